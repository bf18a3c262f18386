import { can } from '../auth/authorization.ts';
import { rolesOfUsers } from '../auth/roles.ts';
import type { User } from '../auth/user.ts';
import { now } from '../clock.ts';
import { deployment } from '../config/deployment.ts';
import { db } from '../db/store.ts';
import { storedComments } from './comments.ts';
import { isFollowing } from './follows.ts';
import { buildThread, publishedCount, type ThreadComment } from './thread.ts';
import { loadSubject, subjectOpenTo, type Subject } from './subjects.ts';

/** A subject's thread as one reader sees it (thread.ts decides what each comment shows), with what they may do. */
export interface Thread {
  subject: Subject;
  comments: ThreadComment[];
  /** Comments everyone can read. */
  count: number;
  reader: { signedIn: boolean; mayComment: boolean; moderates: boolean; answersOfficially: boolean; following: boolean };
  /** More comments than one page shows were stored. */
  truncated: boolean;
}

const THREAD_LIMIT = 1000;

/**
 * The thread of `of` (a subject reference, or the subject when the page has loaded it already) for `reader` (null:
 * not signed in); null when the subject does not exist or is not theirs to see.
 */
export async function loadThread(of: string | Subject, reader: User | null): Promise<Thread | null> {
  const subject = typeof of === 'string' ? await loadSubject(of) : of;
  if (!subject || !subject.mayView(reader)) return null;
  const ref = subject.ref;
  const stored = await storedComments(ref, THREAD_LIMIT + 1);
  const truncated = stored.length > THREAD_LIMIT;
  if (truncated) stored.pop();
  const signedIn = reader !== null && !reader.tokenScopes;
  const moderates = signedIn && can(reader, 'community.moderate', { subject });
  const answersOfficially = signedIn && can(reader, 'community.answer_officially', { subject });
  const mayComment = signedIn && can(reader, 'community.comment') && subjectOpenTo(subject, reader);
  const [flaggedByMe, openFlags, officialAuthors, following] = await Promise.all([
    signedIn ? flagsBy(reader.id, ref) : new Set<string>(),
    moderates ? openFlagsOf(ref) : new Map<string, { reason: string; count: number }[]>(),
    answersOfficially ? officialsAmong(subject, stored.map((c) => c.authorId)) : new Set<string>(),
    signedIn ? isFollowing(reader.id, ref) : false,
  ]);
  const comments = buildThread(stored, {
    id: signedIn ? reader.id : null,
    moderates,
    mayComment,
    answersOfficially,
    now: now(),
    editWindowMs: deployment().community.edit_window_minutes * 60_000,
    flaggedByMe,
    openFlags,
    officialAuthors,
  });
  return { subject, comments, count: publishedCount(stored), reader: { signedIn, mayComment, moderates, answersOfficially, following }, truncated };
}

async function flagsBy(userId: string, ref: string): Promise<Set<string>> {
  const rows = await db()
    .selectFrom('community_flag as f')
    .innerJoin('community_comment as c', 'c.id', 'f.comment_id')
    .select('f.comment_id')
    .where('c.subject', '=', ref)
    .where('f.user_id', '=', userId)
    .execute();
  return new Set(rows.map((r) => r.comment_id));
}

async function openFlagsOf(ref: string): Promise<Map<string, { reason: string; count: number }[]>> {
  const rows = await db()
    .selectFrom('community_flag as f')
    .innerJoin('community_comment as c', 'c.id', 'f.comment_id')
    .select(['f.comment_id', 'f.reason', (eb) => eb.fn.countAll<number>().as('n')])
    .where('c.subject', '=', ref)
    .where('f.resolved_at', 'is', null)
    .groupBy(['f.comment_id', 'f.reason'])
    .execute();
  const byComment = new Map<string, { reason: string; count: number }[]>();
  for (const r of rows) byComment.set(r.comment_id, [...(byComment.get(r.comment_id) ?? []), { reason: r.reason, count: Number(r.n) }]);
  return byComment;
}

async function officialsAmong(subject: Subject, authorIds: string[]): Promise<Set<string>> {
  const roles = await rolesOfUsers([...new Set(authorIds)]);
  return new Set([...roles].filter(([id, grants]) => can({ id, roles: grants }, 'community.answer_officially', { subject })).map(([id]) => id));
}
