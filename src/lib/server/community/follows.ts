import { can, type Actor } from '../auth/authorization.ts';
import { now } from '../clock.ts';
import { db, transaction } from '../db/store.ts';
import { failure, type Result } from './results.ts';
import { loadSubject } from './subjects.ts';

/** Following a subject: its followers are told of new comments and whatever its domain announces (notifyFollowers). */

/** Follows or unfollows; doing it twice changes nothing. */
export async function setFollow(actor: Actor, ref: string, following: boolean): Promise<Result<{ following: boolean }>> {
  if (!can(actor, 'community.follow')) return failure('forbidden');
  const subject = await loadSubject(ref);
  if (!subject || !subject.mayView(actor)) return failure('not_found', { field: 'subject' });
  await transaction(async (trx) => {
    if (following) {
      await trx
        .insertInto('community_follow')
        .values({ subject: ref, user_id: actor.id, created_at: now() })
        .onConflict((oc) => oc.columns(['subject', 'user_id']).doNothing())
        .execute();
    } else {
      await trx.deleteFrom('community_follow').where('subject', '=', ref).where('user_id', '=', actor.id).execute();
    }
  });
  return { ok: true, following };
}

export async function isFollowing(userId: string, ref: string): Promise<boolean> {
  const row = await db().selectFrom('community_follow').select('user_id').where('subject', '=', ref).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

export async function followerCount(ref: string): Promise<number> {
  const { n } = await db()
    .selectFrom('community_follow')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject', '=', ref)
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** The subjects someone follows, newest first. */
export async function followedSubjects(userId: string): Promise<string[]> {
  const rows = await db().selectFrom('community_follow').select('subject').where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
  return rows.map((r) => r.subject);
}
