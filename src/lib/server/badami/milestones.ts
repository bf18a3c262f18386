import { z } from 'zod';
import type { Actor } from '../auth/authorization.ts';
import { now } from '../clock.ts';
import { db, transaction } from '../db/store.ts';
import { writableInnovation as writable } from './innovations.ts';
import { failure, invalid, type Outcome } from './results.ts';
import { bumpRevision } from './revision.ts';
import { isCalendarDate, problemsOf } from './validation.ts';
import type { Selectable } from 'kysely';
import type { BadamiTables } from './migrations.ts';

/** Milestones: what an innovation promises by when, who answers for it, and when it was done (overdue until then). */
export type Milestone = Selectable<BadamiTables['badami_milestone']>;

const date = z.string().trim().refine(isCalendarDate, 'date');
export const milestoneSchema = z.object({
  title: z.string().trim().min(1, 'required').max(200, 'too_long'),
  owner: z.string().trim().min(1, 'required').max(100, 'too_long'),
  due_on: date,
  completed_on: date.nullable(),
  note: z.string().trim().max(1000, 'too_long'),
});
export type MilestoneInput = z.input<typeof milestoneSchema>;

/** Adds a milestone, or saves one (`id`) of the same innovation. */
export async function saveMilestone(actor: Actor, innovationId: string, input: MilestoneInput, id?: number): Promise<Outcome<{ id: number }>> {
  const allowed = await writable(actor, innovationId);
  if (!allowed.ok) return allowed;
  const parsed = milestoneSchema.safeParse(input);
  if (!parsed.success) return invalid(problemsOf(parsed.error.issues));
  const m = parsed.data;
  return transaction(async (trx) => {
    const at = now();
    let saved: number;
    if (id === undefined) {
      const row = await trx
        .insertInto('badami_milestone')
        .values({ innovation_id: innovationId, ...m, created_at: at, updated_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      saved = Number(row.id);
    } else {
      const updated = await trx.updateTable('badami_milestone').set({ ...m, updated_at: at }).where('id', '=', id).where('innovation_id', '=', innovationId).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return failure('not_found');
      saved = id;
    }
    await bumpRevision(trx);
    return { ok: true as const, id: saved };
  });
}

/** Marks a milestone done on `on` (a date), or open again with null. */
export async function completeMilestone(actor: Actor, innovationId: string, id: number, on: string | null): Promise<Outcome<{ id: number }>> {
  const found = await db().selectFrom('badami_milestone').selectAll().where('id', '=', id).where('innovation_id', '=', innovationId).executeTakeFirst();
  if (!found) {
    const allowed = await writable(actor, innovationId);
    return allowed.ok ? failure('not_found') : allowed;
  }
  return saveMilestone(actor, innovationId, { title: found.title, owner: found.owner, due_on: found.due_on, completed_on: on, note: found.note }, id);
}

export async function deleteMilestone(actor: Actor, innovationId: string, id: number): Promise<Outcome> {
  const allowed = await writable(actor, innovationId);
  if (!allowed.ok) return allowed;
  return transaction(async (trx) => {
    const removed = await trx.deleteFrom('badami_milestone').where('id', '=', id).where('innovation_id', '=', innovationId).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) return failure('not_found');
    await bumpRevision(trx);
    return { ok: true as const };
  });
}

export async function listMilestones(innovationIds: readonly string[]): Promise<Milestone[]> {
  if (innovationIds.length === 0) return [];
  const rows = await db().selectFrom('badami_milestone').selectAll().where('innovation_id', 'in', innovationIds).orderBy('due_on').orderBy('id').execute();
  return rows.map(toMilestone);
}

export function toMilestone(r: { id: number; created_at: number; updated_at: number } & Omit<Milestone, 'id' | 'created_at' | 'updated_at'>): Milestone {
  return { ...r, id: Number(r.id), created_at: Number(r.created_at), updated_at: Number(r.updated_at) };
}
