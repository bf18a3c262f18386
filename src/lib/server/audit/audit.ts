import { queryRows, withConnection } from '../db/database.ts';
import { now } from '../clock.ts';

/** The audit log of security events, newest first on the admin page. Never holds passwords, tokens or links. */
export const AUDIT_EVENTS = [
  'signup',
  'login.success',
  'login.failure',
  'logout',
  'logout.everywhere',
  'password.change',
  'password.reset',
  'email.verified',
  'role.grant',
  'role.revoke',
  'token.create',
  'token.revoke',
  'account.delete',
  'rate_limit',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export async function audit(event: AuditEvent, entry: { actorId?: string | null; subjectId?: string | null; ip?: string | null; detail?: string } = {}): Promise<void> {
  await withConnection((conn) =>
    conn.run(
      `INSERT INTO auth_audit (occurred_at, event, actor_id, subject_id, ip, detail) VALUES (epoch_ms($at::BIGINT), $event, $actor, $subject, $ip, $detail)`,
      { at: now(), event, actor: entry.actorId ?? null, subject: entry.subjectId ?? null, ip: entry.ip ?? null, detail: entry.detail ?? null },
    ),
  );
}

export async function listAudit(options: { event?: string; limit?: number } = {}): Promise<AuditEntry[]> {
  const rows = await withConnection((conn) =>
    queryRows<{ id: string; at: string; event: string; actor_id: string | null; actor_name: string | null; subject_id: string | null; subject_name: string | null; ip: string | null; detail: string | null }>(
      conn,
      `SELECT a.id, epoch_ms(a.occurred_at) AS at, a.event, a.actor_id, actor.name AS actor_name, a.subject_id, subject.name AS subject_name, a.ip, a.detail
       FROM auth_audit a
       LEFT JOIN auth_user actor ON actor.id = a.actor_id
       LEFT JOIN auth_user subject ON subject.id = a.subject_id
       WHERE $event = '' OR a.event = $event
       ORDER BY a.id DESC LIMIT $limit`,
      { event: options.event ?? '', limit: options.limit ?? 200 },
    ),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: Number(r.at),
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
