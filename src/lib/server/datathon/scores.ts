import { audit } from '../audit/audit.ts';
import { can, type Actor } from '../auth/authorization.ts';
import { now } from '../clock.ts';
import { db } from '../db/store.ts';
import { datathonWrite } from './write.ts';
import { listCriteria } from './criteria.ts';
import { getEvent } from './events.ts';
import { eligibleSubmissions, mayScore } from './judges.ts';
import { answer, failure, refuse, type Outcome } from './outcome.ts';
import { allows } from './phases.ts';
import { closed } from './teams.ts';

/** A judge's rubric scores for one submission, with a private note and public feedback. Re-scoring replaces. */
export async function scoreSubmission(
  actor: Actor,
  submissionId: string,
  input: { scores: Record<string, number>; privateNote: string; publicFeedback: string },
): Promise<Outcome> {
  const submission = await db().selectFrom('datathon_submission').select(['event_id']).where('id', '=', submissionId).executeTakeFirst();
  if (!submission) return failure('not_found');
  const event = (await getEvent(submission.event_id))!;
  if (!can(actor, 'datathon.judge', { event: event.id })) return failure('forbidden');
  if (!allows('judge', event.phase)) return closed(event);
  // a judge on the submission's team, or with a declared conflict, gets the same answer as for an unassigned one
  if (!(await mayScore(event.id, actor.id, submissionId))) return failure('conflict_of_interest');
  const criteria = await listCriteria(event.id);
  for (const c of criteria) {
    const value = input.scores[c.id];
    if (value === undefined || !Number.isInteger(value) || value < 1 || value > c.scale_max) {
      return failure('score_range', `score-${c.id}`, { criterion: c.name, max: c.scale_max, found: String(value ?? '') });
    }
  }
  const time = now();
  const result = await answer(() =>
    datathonWrite(async (trx) => {
      if (criteria.length === 0) refuse('incomplete');
      for (const c of criteria) {
        const score = input.scores[c.id]!;
        await trx
          .insertInto('datathon_score')
          .values({ judge_id: actor.id, submission_id: submissionId, criterion_id: c.id, event_id: event.id, score, updated_at: time })
          .onConflict((oc) => oc.columns(['judge_id', 'submission_id', 'criterion_id']).doUpdateSet({ score, updated_at: time }))
          .execute();
      }
      const review = { private_note: input.privateNote, public_feedback: input.publicFeedback, updated_at: time };
      await trx
        .insertInto('datathon_review')
        .values({ judge_id: actor.id, submission_id: submissionId, ...review })
        .onConflict((oc) => oc.columns(['judge_id', 'submission_id']).doUpdateSet(review))
        .execute();
      return {};
    }),
  );
  if (result.ok) await audit('datathon.judge.score', { actorId: actor.id, subjectId: submissionId });
  return result;
}

/** What a judge gave one submission (to fill their form again). */
export async function myScores(judgeId: string, submissionId: string) {
  const scores = await db().selectFrom('datathon_score').select(['criterion_id', 'score']).where('judge_id', '=', judgeId).where('submission_id', '=', submissionId).execute();
  const review = await db().selectFrom('datathon_review').select(['private_note', 'public_feedback']).where('judge_id', '=', judgeId).where('submission_id', '=', submissionId).executeTakeFirst();
  return { scores: Object.fromEntries(scores.map((s) => [s.criterion_id, s.score])), review: review ?? null };
}

/** The judge's queue: what they may score, and whether they have. */
export async function judgeQueue(eventId: string, judgeId: string) {
  const eligible = await eligibleSubmissions(eventId, judgeId);
  const scored = await db().selectFrom('datathon_review').select('submission_id').where('judge_id', '=', judgeId).execute();
  const done = new Set(scored.map((s) => s.submission_id));
  return eligible.map((s) => ({ ...s, scored: done.has(s.id) }));
}

/** Public feedback given to a submission (never the private notes). */
export async function publicFeedback(submissionId: string): Promise<string[]> {
  const rows = await db().selectFrom('datathon_review').select('public_feedback').where('submission_id', '=', submissionId).where('public_feedback', '<>', '').orderBy('updated_at').execute();
  return rows.map((r) => r.public_feedback);
}

/** The organiser's view of judging: per judge, how many ideas they may score, have scored, and declared conflicts with. */
export async function scoringProgress(eventId: string, judges: readonly { user_id: string; name: string | null }[]) {
  const conflicts = await db()
    .selectFrom('datathon_conflict as c')
    .innerJoin('datathon_submission as s', 's.id', 'c.submission_id')
    .select(['c.judge_id', 's.title', 'c.reason'])
    .where('s.event_id', '=', eventId)
    .execute();
  return Promise.all(
    judges.map(async (j) => {
      const queue = await judgeQueue(eventId, j.user_id);
      return {
        ...j,
        eligible: queue.length,
        scored: queue.filter((s) => s.scored).length,
        pending: queue.filter((s) => !s.scored).map((s) => s.title),
        conflicts: conflicts.filter((c) => c.judge_id === j.user_id).map((c) => ({ title: c.title, reason: c.reason })),
      };
    }),
  );
}
