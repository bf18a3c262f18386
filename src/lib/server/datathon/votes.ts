import type { Actor } from '../auth/authorization.ts';
import { now } from '../clock.ts';
import { afterCommit, db } from '../db/store.ts';
import { datathonWrite } from './write.ts';
import { galleryChanged } from './gallery.ts';
import { getEvent } from './events.ts';
import { answer, failure, refuse, type Outcome } from './outcome.ts';
import { allows } from './phases.ts';
import { closed } from './teams.ts';

/**
 * Public votes, apart from judging: one row per person per submission (a unique key, so a double click or a
 * concurrent retry counts once), at most the event's vote limit per person, withdrawable until voting closes.
 * Counts are aggregates of the rows. The limit is checked and the vote inserted in one transaction holding the
 * voter's row lock, so one account voting on many submissions at once cannot pass the limit.
 */
export async function castVote(actor: Actor, submissionId: string): Promise<Outcome<{ votes: number; remaining: number }>> {
  const target = await votable(submissionId);
  if (!target.ok) return target;
  const { event } = target;
  if (await onTeam(submissionId, actor.id)) return failure('own_submission');
  return answer(() =>
    datathonWrite(async (trx) => {
      await trx.insertInto('datathon_voter').values({ event_id: event.id, user_id: actor.id }).onConflict((oc) => oc.columns(['event_id', 'user_id']).doNothing()).execute();
      await trx.selectFrom('datathon_voter').select('user_id').where('event_id', '=', event.id).where('user_id', '=', actor.id).forUpdate().execute();
      const mine = await trx.selectFrom('datathon_vote').select('submission_id').where('event_id', '=', event.id).where('user_id', '=', actor.id).execute();
      const already = mine.some((v) => v.submission_id === submissionId);
      if (!already && mine.length >= event.vote_limit) refuse('vote_limit', undefined, { max: event.vote_limit });
      if (!already) {
        await trx
          .insertInto('datathon_vote')
          .values({ event_id: event.id, submission_id: submissionId, user_id: actor.id, created_at: now() })
          .onConflict((oc) => oc.columns(['submission_id', 'user_id']).doNothing())
          .execute();
      }
      afterCommit(galleryChanged);
      const used = mine.length + (already ? 0 : 1);
      return { votes: await votesOf(submissionId), remaining: event.vote_limit - used };
    }),
  );
}

export async function withdrawVote(actor: Actor, submissionId: string): Promise<Outcome<{ votes: number }>> {
  const target = await votable(submissionId);
  if (!target.ok) return target;
  await datathonWrite(async (trx) => {
    await trx.deleteFrom('datathon_vote').where('submission_id', '=', submissionId).where('user_id', '=', actor.id).execute();
    afterCommit(galleryChanged);
  });
  return { ok: true, votes: await votesOf(submissionId) };
}

export async function votesOf(submissionId: string): Promise<number> {
  const { n } = await db().selectFrom('datathon_vote').where('submission_id', '=', submissionId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

/** The submissions `userId` voted for in the event. */
export async function myVotes(eventId: string, userId: string): Promise<Set<string>> {
  const rows = await db().selectFrom('datathon_vote').select('submission_id').where('event_id', '=', eventId).where('user_id', '=', userId).execute();
  return new Set(rows.map((r) => r.submission_id));
}

async function votable(submissionId: string) {
  const submission = await db().selectFrom('datathon_submission').select(['event_id', 'status']).where('id', '=', submissionId).executeTakeFirst();
  if (!submission || submission.status !== 'submitted') return failure('not_found');
  const event = (await getEvent(submission.event_id))!;
  if (!allows('vote', event.phase)) return closed(event);
  return { ok: true as const, event };
}

async function onTeam(submissionId: string, userId: string): Promise<boolean> {
  const row = await db()
    .selectFrom('datathon_submission as s')
    .innerJoin('datathon_member as m', 'm.team_id', 's.team_id')
    .select('m.user_id')
    .where('s.id', '=', submissionId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}
