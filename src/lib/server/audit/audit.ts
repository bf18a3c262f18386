import { db, transaction } from '../db/store.ts';
import { now } from '../clock.ts';
import type { AuditEvent } from '../domains.ts';

export { AUDIT_EVENTS, type AuditEvent } from '../domains.ts';

/**
 * The audit log of security events, newest first on the admin page. Never holds passwords, tokens or links.
 * Each domain declares the events it writes (its domain.ts); the log itself is this folder's table.
 */
export async function audit(event: AuditEvent, entry: { actorId?: string | null; subjectId?: string | null; ip?: string | null; detail?: string } = {}): Promise<void> {
  await transaction((trx) =>
    trx
      .insertInto('audit_log')
      .values({ occurred_at: now(), event, actor_id: entry.actorId ?? null, subject_id: entry.subjectId ?? null, ip: entry.ip ?? null, detail: entry.detail ?? null })
      .execute(),
  );
}

export async function listAudit(options: { event?: string; limit?: number } = {}): Promise<AuditEntry[]> {
  const rows = await db()
    .selectFrom('audit_log as a')
    .leftJoin('auth_user as actor', 'actor.id', 'a.actor_id')
    .leftJoin('auth_user as subject', 'subject.id', 'a.subject_id')
    .select(['a.id', 'a.occurred_at', 'a.event', 'a.actor_id', 'actor.name as actor_name', 'a.subject_id', 'subject.name as subject_name', 'a.ip', 'a.detail'])
    .$if(Boolean(options.event), (q) => q.where('a.event', '=', options.event!))
    .orderBy('a.id', 'desc')
    .limit(options.limit ?? 200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.occurred_at,
    event: r.event,
    actorId: r.actor_id,
    actorName: r.actor_name,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    ip: r.ip,
    detail: r.detail,
  }));
}

export interface AuditEntry {
  id: number;
  at: number;
  event: string;
  actorId: string | null;
  actorName: string | null;
  subjectId: string | null;
  subjectName: string | null;
  ip: string | null;
  detail: string | null;
}
