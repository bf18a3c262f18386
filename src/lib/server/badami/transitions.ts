import { can, type Actor } from '../auth/authorization.ts';
import { now } from '../clock.ts';
import { notifyFollowers } from '../community/notifications.ts';
import { db, transaction } from '../db/store.ts';
import { t } from '../../i18n/index.ts';
import { checkEvidence, storeEvidence, type EvidenceInput } from './evidence.ts';
import { getInnovation } from './innovations.ts';
import { failure, invalid, Refusal, settle, type Outcome, type Problem } from './results.ts';
import { bumpRevision } from './revision.ts';
import { checkTransition } from './stages.ts';
import { innovationRef } from './subjects.ts';
import { STOPPED, isStage, type Stage } from './vocabulary.ts';

/**
 * Moving an innovation to another stage: who, when, a note, a reason where the rules ask for one (stages.ts) and
 * optional evidence tagged with its IID indicator. The move only applies if the innovation is still at the stage the
 * person saw (a second official moving the same card at once gets a conflict, not a silent double move).
 */
export const NOTE_MAX = 1000;

export interface MoveInput {
  to: string;
  /** The stage the person saw the card at (optional; when given, a different current stage is a conflict). */
  from?: string | null;
  note: string;
  reason?: string | null;
  evidence?: EvidenceInput;
}

export interface Transition {
  id: number;
  innovation_id: string;
  from_stage: Stage | null;
  to_stage: Stage;
  kind: string;
  note: string;
  reason: string | null;
  actor_id: string;
  at: number;
}

export async function moveStage(actor: Actor, innovationId: string, input: MoveInput): Promise<Outcome<{ stage: Stage; transitionId: number }>> {
  const innovation = await getInnovation(innovationId);
  if (!innovation) return failure('not_found');
  if (!can(actor, 'opd.innovation.write', { opd: innovation.opd })) return failure('forbidden');
  const problems: Problem[] = [];
  if (!isStage(input.to)) problems.push({ field: 'to', code: 'choose_one' });
  const note = input.note.trim();
  const reason = input.reason?.trim() || null;
  if (!note) problems.push({ field: 'note', code: 'required' });
  if (note.length > NOTE_MAX) problems.push({ field: 'note', code: 'too_long', params: { max: NOTE_MAX } });
  if (reason && reason.length > NOTE_MAX) problems.push({ field: 'reason', code: 'too_long', params: { max: NOTE_MAX } });
  problems.push(...checkEvidence(input.evidence));
  if (problems.length > 0) return invalid(problems);
  const to = input.to as Stage;
  const from = innovation.stage;
  if (input.from && input.from !== from) return failure('conflict', { params: { stage: from } });
  const rule = checkTransition(from, to, reason);
  if (!rule.ok) return rule.code === 'same_stage' ? failure('same_stage') : invalid([{ field: 'reason', code: 'reason_required' }]);
  return settle(() =>
    transaction(async (trx) => {
      const at = now();
      const moved = await trx
        .updateTable('badami_innovation')
        .set({ stage: to, stage_since: at, stopped_reason: to === STOPPED ? reason : null, updated_at: at })
        .where('id', '=', innovationId)
        .where('stage', '=', from)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) throw new Refusal(failure('conflict', { params: { stage: from } }));
      const inserted = await trx
        .insertInto('badami_transition')
        .values({ innovation_id: innovationId, from_stage: from, to_stage: to, kind: rule.kind, note, reason, actor_id: actor.id, at })
        .returning('id')
        .executeTakeFirstOrThrow();
      const transitionId = Number(inserted.id);
      await storeEvidence(actor, innovationId, input.evidence, { transitionId });
      await bumpRevision(trx);
      await notifyFollowers({
        kind: 'badami.stage_changed',
        subject: { ref: innovationRef(innovationId), title: innovation.title, url: `/badami/innovations/${innovationId}` },
        actorId: actor.id,
        anchor: `#transition-${transitionId}`,
        params: { stage_id: t('id', `badami.stage.${to}`), stage_en: t('en', `badami.stage.${to}`) },
      });
      return { ok: true as const, stage: to, transitionId };
    }),
  );
}

export async function listTransitions(innovationId: string): Promise<Transition[]> {
  const rows = await db().selectFrom('badami_transition').selectAll().where('innovation_id', '=', innovationId).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), at: Number(r.at), from_stage: r.from_stage as Stage | null, to_stage: r.to_stage as Stage }));
}

/**
 * The date each stage began — the first time it was entered, as the IID asks when uji coba and penerapan started;
 * a stage that was skipped has none. Transitions are in time order.
 */
export function stageDates(transitions: readonly Transition[]): Partial<Record<Stage, number>> {
  const dates: Partial<Record<Stage, number>> = {};
  for (const tr of transitions) dates[tr.to_stage] ??= tr.at;
  return dates;
}
