import { audit } from '../audit/audit.ts';
import { can, type Actor } from '../auth/authorization.ts';
import { now } from '../clock.ts';
import { db, transaction } from '../db/store.ts';
import { touchReaders } from '../http/reader-revision.ts';
import { consume } from '../http/rate-limit.ts';
import { announceComment, currentHtml } from './comments.ts';
import { notify } from './notifications.ts';
import { failure, type Result } from './results.ts';
import { loadSubject, loadSubjects, type Subject } from './subjects.ts';
import { stateOf } from './thread.ts';

/**
 * Flags and moderation. Anyone signed in may flag a published comment (once); the subject's moderators — its
 * domain decides who, admins always — hide it with a reason shown publicly, restore it, approve or reject comments
 * held for review, or dismiss flags. Every decision is in the audit log and tells the comment's author.
 */
export const FLAG_REASONS = ['spam', 'abuse', 'off_topic', 'personal_data', 'other'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
export const DECISIONS = ['hide', 'restore', 'approve', 'dismiss'] as const;
export type Decision = (typeof DECISIONS)[number];
export const REASON_MAX = 300;

interface ModeratedComment {
  id: string;
  subject: string;
  parent_id: string | null;
  author_id: string;
  held: boolean;
  hidden_at: number | null;
  deleted_at: number | null;
}

async function findComment(id: string): Promise<ModeratedComment | undefined> {
  return db()
    .selectFrom('community_comment')
    .select(['id', 'subject', 'parent_id', 'author_id', 'held', 'hidden_at', 'deleted_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function flagComment(actor: Actor, input: { id: string; reason: FlagReason; note?: string }): Promise<Result> {
  if (!can(actor, 'community.flag')) return failure('forbidden');
  const comment = await findComment(input.id);
  const subject = comment ? await loadSubject(comment.subject) : null;
  if (!comment || !subject || !subject.mayView(actor) || stateOf({ deletedAt: comment.deleted_at, hiddenAt: comment.hidden_at, held: comment.held }) !== 'published') {
    return failure('not_found', { field: 'id' });
  }
  if (comment.author_id === actor.id) return failure('own_comment');
  const note = input.note?.trim().slice(0, 500) || null;
  return transaction(async (trx) => {
    const limit = await consume('flag.account', actor.id);
    if (!limit.ok) return failure('rate_limited', { retryAfterSeconds: limit.retryAfterSeconds });
    await trx
      .insertInto('community_flag')
      .values({ comment_id: comment.id, user_id: actor.id, reason: input.reason, note, created_at: now() })
      .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
      .execute();
    return { ok: true };
  });
}

/**
 * A moderator's decision on one comment. hide needs a reason (shown publicly); restore undoes a hide; approve
 * publishes a held comment (and only then tells whoever it concerns); dismiss closes the open flags.
 */
export async function moderateComment(actor: Actor, input: { id: string; decision: Decision; reason?: string; ip?: string | null }): Promise<Result<{ subject: Subject }>> {
  const comment = await findComment(input.id);
  const subject = comment ? await loadSubject(comment.subject) : null;
  if (!comment || !subject) return failure('not_found', { field: 'id' });
  if (!can(actor, 'community.moderate', { subject })) return failure('forbidden');
  const reason = (input.reason ?? '').trim().replace(/\s+/g, ' ');
  if (reason.length > REASON_MAX) return failure('too_long', { field: 'reason', params: { max: REASON_MAX, found: reason.length } });
  const state = stateOf({ deletedAt: comment.deleted_at, hiddenAt: comment.hidden_at, held: comment.held });
  const allowed: Record<Decision, boolean> = {
    hide: state === 'published' || state === 'held',
    restore: state === 'hidden' || state === 'rejected',
    approve: state === 'held',
    dismiss: state !== 'deleted',
  };
  if (!allowed[input.decision]) return failure('not_moderatable', { params: { state } });
  if (input.decision === 'hide' && reason.length < 3) return failure('reason_required', { field: 'reason' });
  const at = now();
  await transaction(async (trx) => {
    await touchReaders('community');
    const resolveFlags = () =>
      trx.updateTable('community_flag').set({ resolved_at: at, resolved_by: actor.id }).where('comment_id', '=', comment.id).where('resolved_at', 'is', null).execute();
    const detail = `${subject.ref} ${comment.id}${reason ? `: ${reason}` : ''}`;
    switch (input.decision) {
      case 'hide':
        await trx.updateTable('community_comment').set({ hidden_at: at, hidden_by: actor.id, hidden_reason: reason }).where('id', '=', comment.id).execute();
        await resolveFlags();
        await audit('community.comment.hide', { actorId: actor.id, subjectId: comment.author_id, ip: input.ip, detail });
        await notify([comment.author_id], { kind: 'community.comment_hidden', subject, actorId: actor.id, anchor: `#comment-${comment.id}`, params: { reason } });
        break;
      case 'restore':
        await trx.updateTable('community_comment').set({ hidden_at: null, hidden_by: null, hidden_reason: null }).where('id', '=', comment.id).execute();
        await audit('community.comment.restore', { actorId: actor.id, subjectId: comment.author_id, ip: input.ip, detail });
        break;
      case 'approve': {
        await trx.updateTable('community_comment').set({ held: false }).where('id', '=', comment.id).execute();
        await audit('community.comment.approve', { actorId: actor.id, subjectId: comment.author_id, ip: input.ip, detail });
        await notify([comment.author_id], { kind: 'community.comment_approved', subject, actorId: actor.id, anchor: `#comment-${comment.id}` });
        const parent = comment.parent_id
          ? await trx.selectFrom('community_comment').select('author_id').where('id', '=', comment.parent_id).executeTakeFirst()
          : undefined;
        await announceComment(subject, { id: comment.id, authorId: comment.author_id, parentAuthorId: parent?.author_id ?? null });
        break;
      }
      case 'dismiss':
        await resolveFlags();
        await audit('community.flags.dismiss', { actorId: actor.id, subjectId: comment.author_id, ip: input.ip, detail });
        break;
    }
  });
  return { ok: true, subject };
}

export interface QueueItem {
  id: string;
  subject: Subject;
  author: { id: string; name: string | null; deleted: boolean };
  html: string;
  createdAt: number;
  held: boolean;
  flags: { reason: string; count: number; notes: string[] }[];
}

export interface QueueScope {
  scope: string;
  title: string;
  items: QueueItem[];
}

const QUEUE_LIMIT = 500;

/**
 * What waits for `actor` to moderate: held comments and comments with open flags, grouped by moderation scope,
 * only in scopes they moderate (one subject per scope is asked: a scope's subjects share their moderators).
 */
export async function moderationQueue(actor: Actor, options: { scope?: string } = {}): Promise<QueueScope[]> {
  const rows = await db()
    .selectFrom('community_comment as c')
    .innerJoin('auth_user as u', 'u.id', 'c.author_id')
    .select(['c.id', 'c.subject', 'c.scope', 'c.author_id', 'u.name as author_name', 'u.deleted_at as author_deleted_at', 'c.body', 'c.body_html', 'c.html_version', 'c.created_at', 'c.held'])
    .where('c.deleted_at', 'is', null)
    .where('c.hidden_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('c.held', '=', true),
        eb.exists(eb.selectFrom('community_flag as f').select('f.comment_id').whereRef('f.comment_id', '=', 'c.id').where('f.resolved_at', 'is', null)),
      ]),
    )
    .$if(options.scope !== undefined, (q) => q.where('c.scope', '=', options.scope!))
    .orderBy('c.created_at')
    .limit(QUEUE_LIMIT)
    .execute();
  if (rows.length === 0) return [];
  // May the actor moderate each scope? Ask one subject of it.
  const firstOfScope = new Map<string, string>();
  for (const r of rows) if (!firstOfScope.has(r.scope)) firstOfScope.set(r.scope, r.subject);
  const probes = await loadSubjects(firstOfScope.values());
  const scopes = new Set([...firstOfScope].filter(([, ref]) => { const s = probes.get(ref); return s !== undefined && can(actor, 'community.moderate', { subject: s }); }).map(([scope]) => scope));
  const mine = rows.filter((r) => scopes.has(r.scope));
  if (mine.length === 0) return [];
  const subjects = await loadSubjects(mine.map((r) => r.subject));
  const flags = await db()
    .selectFrom('community_flag')
    .select(['comment_id', 'reason', 'note'])
    .where('comment_id', 'in', mine.map((r) => r.id))
    .where('resolved_at', 'is', null)
    .execute();
  const grouped = new Map<string, QueueScope>();
  for (const r of mine) {
    const subject = subjects.get(r.subject);
    if (!subject) continue;
    const own = flags.filter((f) => f.comment_id === r.id);
    const byReason = new Map<string, { reason: string; count: number; notes: string[] }>();
    for (const f of own) {
      const entry = byReason.get(f.reason) ?? { reason: f.reason, count: 0, notes: [] };
      entry.count++;
      if (f.note) entry.notes.push(f.note);
      byReason.set(f.reason, entry);
    }
    const group = grouped.get(r.scope) ?? { scope: r.scope, title: subject.scopeTitle, items: [] };
    group.items.push({
      id: r.id,
      subject,
      author: { id: r.author_id, name: r.author_name, deleted: r.author_deleted_at !== null },
      html: currentHtml(r),
      createdAt: Number(r.created_at),
      held: r.held,
      flags: [...byReason.values()],
    });
    grouped.set(r.scope, group);
  }
  return [...grouped.values()];
}

/** How many items wait for `actor` (the moderation link in the header, a domain's organiser page). */
export async function moderationQueueSize(actor: Actor, options: { scope?: string } = {}): Promise<number> {
  return (await moderationQueue(actor, options)).reduce((n, s) => n + s.items.length, 0);
}
