import { can, type Actor } from '../auth/authorization.ts';
import { rolesOfUsers } from '../auth/roles.ts';
import { randomId } from '../auth/secret.ts';
import { now } from '../clock.ts';
import { deployment } from '../config/deployment.ts';
import { db, transaction } from '../db/store.ts';
import { touchReaders } from '../http/reader-revision.ts';
import { consume } from '../http/rate-limit.ts';
import { shouldHold } from './hold.ts';
import { MARKDOWN_VERSION, renderMarkdown } from './markdown.ts';
import { notify, notifyFollowers } from './notifications.ts';
import { failure, type Result } from './results.ts';
import { loadSubject, subjectOpenTo, type Subject } from './subjects.ts';
import { type StoredComment } from './thread.ts';

/**
 * Threaded comments on any subject. Every write checks here who may do it (the page and the action only translate
 * the answer), runs in one store transaction, and tells the people concerned (replies, owners, followers) once the
 * comment is public — for a held comment, when a moderator approves it.
 */
export const MAX_BODY = 10_000;
/** Replies deeper than this attach to their parent's parent, so a thread cannot nest without end. */
export const MAX_DEPTH = 6;

export type Author = Actor & { createdAt: number };

function checkBody(body: string): Result<{ body: string }> {
  const text = body.replace(/\r\n?/g, '\n').trim();
  if (text === '') return failure('empty', { field: 'body' });
  if (text.length > MAX_BODY) return failure('too_long', { field: 'body', params: { max: MAX_BODY, found: text.length } });
  return { ok: true, body: text };
}

/** Posts a comment or a reply. Held for review when the new-account hold applies (hold.ts). */
export async function postComment(
  author: Author,
  input: { subject: string; parentId?: string | null; body: string; official?: boolean },
): Promise<Result<{ id: string; held: boolean }>> {
  if (!can(author, 'community.comment')) return failure('forbidden');
  const subject = await loadSubject(input.subject);
  if (!subject || !subject.mayView(author)) return failure('not_found', { field: 'subject' });
  if (!subjectOpenTo(subject, author)) return failure('closed');
  const checked = checkBody(input.body);
  if (!checked.ok) return checked;
  const official = input.official === true;
  if (official && !can(author, 'community.answer_officially', { subject })) return failure('forbidden', { field: 'official' });
  const moderates = can(author, 'community.moderate', { subject });
  return transaction(async (trx) => {
    const limit = await consume('comment.account', author.id);
    if (!limit.ok) return failure('rate_limited', { retryAfterSeconds: limit.retryAfterSeconds });
    await touchReaders('community');
    let parentId: string | null = null;
    let depth = 0;
    let parentAuthor: string | null = null;
    if (input.parentId) {
      const parent = await trx
        .selectFrom('community_comment')
        .select(['id', 'parent_id', 'depth', 'author_id'])
        .where('id', '=', input.parentId)
        .where('subject', '=', subject.ref)
        .where('held', '=', false)
        .where('hidden_at', 'is', null)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (!parent) return failure('not_found', { field: 'parentId' });
      const attachToGrandparent = parent.depth >= MAX_DEPTH && parent.parent_id !== null;
      parentId = attachToGrandparent ? parent.parent_id : parent.id;
      depth = attachToGrandparent ? parent.depth : parent.depth + 1;
      parentAuthor = parent.author_id;
    }
    const at = now();
    const held = shouldHold(
      { accountCreatedAt: author.createdAt, approvedComments: await approvedCount(author.id), trusted: author.roles.length > 0 || moderates },
      at,
      deployment().community.hold_new_accounts,
    );
    const id = randomId();
    await trx
      .insertInto('community_comment')
      .values({
        id,
        subject: subject.ref,
        scope: subject.scope,
        parent_id: parentId,
        depth,
        author_id: author.id,
        body: checked.body,
        body_html: renderMarkdown(checked.body),
        html_version: MARKDOWN_VERSION,
        official,
        held,
        created_at: at,
      })
      .execute();
    if (!held) await announceComment(subject, { id, authorId: author.id, parentAuthorId: parentAuthor });
    return { ok: true, id, held };
  });
}

/** Published comments of an author that are not hidden: what the new-account hold counts. */
async function approvedCount(authorId: string): Promise<number> {
  const { n } = await db()
    .selectFrom('community_comment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('author_id', '=', authorId)
    .where('held', '=', false)
    .where('hidden_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * Tells the people concerned about a comment that just became public: the author of the comment it answers, the
 * subject's owners, its followers — each once, never the writer.
 */
export async function announceComment(subject: Subject, comment: { id: string; authorId: string; parentAuthorId: string | null }): Promise<void> {
  const event = { subject, actorId: comment.authorId, anchor: `#comment-${comment.id}` };
  const told = new Set<string>([comment.authorId]);
  if (comment.parentAuthorId && !told.has(comment.parentAuthorId)) {
    await notify([comment.parentAuthorId], { ...event, kind: 'community.comment_reply' });
    told.add(comment.parentAuthorId);
  }
  const owners = subject.ownerIds.filter((id) => !told.has(id));
  await notify(owners, { ...event, kind: 'community.comment_on_yours' });
  for (const id of owners) told.add(id);
  await notifyFollowers({ ...event, kind: 'community.comment_followed' }, { except: told });
}

interface OwnComment {
  id: string;
  subject: string;
  author_id: string;
  created_at: number;
  held: boolean;
  hidden_at: number | null;
  deleted_at: number | null;
}

async function ownComment(author: Actor, id: string): Promise<Result<{ comment: OwnComment; subject: Subject }>> {
  const comment = await db()
    .selectFrom('community_comment')
    .select(['id', 'subject', 'author_id', 'created_at', 'held', 'hidden_at', 'deleted_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  const subject = comment ? await loadSubject(comment.subject) : null;
  if (!comment || !subject || !subject.mayView(author)) return failure('not_found', { field: 'id' });
  if (comment.author_id !== author.id) return failure('forbidden');
  return { ok: true, comment, subject };
}

/** The author edits their comment within the edit window (kota.config.yaml community.edit_window_minutes). */
export async function editComment(author: Actor, input: { id: string; body: string }): Promise<Result> {
  if (!can(author, 'community.comment')) return failure('forbidden');
  const found = await ownComment(author, input.id);
  if (!found.ok) return found;
  const { comment } = found;
  if (comment.deleted_at !== null || comment.hidden_at !== null) return failure('not_editable');
  const windowMs = deployment().community.edit_window_minutes * 60_000;
  if (now() - comment.created_at > windowMs) return failure('edit_window', { params: { minutes: deployment().community.edit_window_minutes } });
  const checked = checkBody(input.body);
  if (!checked.ok) return checked;
  await transaction(async (trx) => {
    await trx
      .updateTable('community_comment')
      .set({ body: checked.body, body_html: renderMarkdown(checked.body), html_version: MARKDOWN_VERSION, edited_at: now() })
      .where('id', '=', comment.id)
      .where('deleted_at', 'is', null)
      .execute();
    await touchReaders('community');
  });
  return { ok: true };
}

/** The author deletes their comment: its text is gone, its place in the thread stays while it has replies. */
export async function deleteComment(author: Actor, id: string): Promise<Result> {
  if (!can(author, 'community.comment')) return failure('forbidden');
  const found = await ownComment(author, id);
  if (!found.ok) return found;
  await transaction(async (trx) => {
    await trx
      .updateTable('community_comment')
      .set({ body: '', body_html: '', deleted_at: now(), official: false })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .execute();
    await touchReaders('community');
  });
  return { ok: true };
}

/**
 * Marks (or unmarks) a published comment as an official answer. Who marks must answer officially for the subject,
 * and so must the comment's author (an official may mark a colleague's answer, never a citizen's).
 */
export async function markOfficial(actor: Actor, input: { id: string; official: boolean }): Promise<Result<{ subject: Subject }>> {
  const comment = await db()
    .selectFrom('community_comment')
    .select(['id', 'subject', 'author_id', 'held', 'hidden_at', 'deleted_at', 'official'])
    .where('id', '=', input.id)
    .executeTakeFirst();
  const subject = comment ? await loadSubject(comment.subject) : null;
  if (!comment || !subject || !subject.mayView(actor)) return failure('not_found', { field: 'id' });
  if (!can(actor, 'community.answer_officially', { subject })) return failure('forbidden');
  const authorRoles = (await rolesOfUsers([comment.author_id])).get(comment.author_id) ?? [];
  if (!can({ id: comment.author_id, roles: authorRoles }, 'community.answer_officially', { subject })) return failure('forbidden', { field: 'id' });
  if (comment.held || comment.hidden_at !== null || comment.deleted_at !== null) return failure('not_editable');
  if (comment.official === input.official) return { ok: true, subject };
  await transaction(async (trx) => {
    await trx.updateTable('community_comment').set({ official: input.official }).where('id', '=', comment.id).execute();
    await touchReaders('community');
    if (input.official) {
      await notify([comment.author_id], { kind: 'community.comment_official', subject, actorId: actor.id, anchor: `#comment-${comment.id}` });
    }
  });
  return { ok: true, subject };
}

/** Every comment of a subject as stored (oldest first, at most `limit`), with its author's name. */
export async function storedComments(ref: string, limit = 1000): Promise<StoredComment[]> {
  const rows = await db()
    .selectFrom('community_comment as c')
    .innerJoin('auth_user as u', 'u.id', 'c.author_id')
    .select([
      'c.id',
      'c.parent_id',
      'c.depth',
      'c.author_id',
      'u.name as author_name',
      'u.deleted_at as author_deleted_at',
      'c.body',
      'c.body_html',
      'c.html_version',
      'c.official',
      'c.held',
      'c.hidden_at',
      'c.hidden_reason',
      'c.deleted_at',
      'c.created_at',
      'c.edited_at',
    ])
    .where('c.subject', '=', ref)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    depth: Number(r.depth),
    authorId: r.author_id,
    authorName: r.author_name,
    authorDeleted: r.author_deleted_at !== null,
    body: r.body,
    html: currentHtml(r),
    official: r.official,
    held: r.held,
    hiddenAt: r.hidden_at === null ? null : Number(r.hidden_at),
    hiddenReason: r.hidden_reason,
    deletedAt: r.deleted_at === null ? null : Number(r.deleted_at),
    createdAt: Number(r.created_at),
    editedAt: r.edited_at === null ? null : Number(r.edited_at),
  }));
}

/** Stored HTML from an older renderer is made again with today's rules, so a sanitiser fix applies to old comments. */
export function currentHtml(row: { body: string; body_html: string; html_version: number }): string {
  return row.html_version === MARKDOWN_VERSION ? row.body_html : renderMarkdown(row.body);
}

/** Published comments per subject, for lists ("12 comments") and "most discussed" sorting. */
export async function commentCounts(refs: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(refs.map((r) => [r, 0]));
  if (refs.length === 0) return counts;
  const rows = await db()
    .selectFrom('community_comment')
    .select(['subject', (eb) => eb.fn.countAll<number>().as('n')])
    .where('subject', 'in', refs)
    .where('held', '=', false)
    .where('hidden_at', 'is', null)
    .where('deleted_at', 'is', null)
    .groupBy('subject')
    .execute();
  for (const r of rows) counts.set(r.subject, Number(r.n));
  return counts;
}

/** Published comments per subject for every subject of one type (`submission`), in one query. */
export async function commentCountsOfType(type: string): Promise<Map<string, number>> {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(type)) throw new Error(`not a subject type: "${type}"`);
  const pattern = `${type}:%`; // a type has no LIKE wildcards
  const rows = await db()
    .selectFrom('community_comment')
    .select(['subject', (eb) => eb.fn.countAll<number>().as('n')])
    .where((eb) => eb('subject', 'like', pattern))
    .where('held', '=', false)
    .where('hidden_at', 'is', null)
    .where('deleted_at', 'is', null)
    .groupBy('subject')
    .execute();
  return new Map(rows.map((r) => [r.subject, Number(r.n)]));
}
