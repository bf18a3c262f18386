import { can, type Actor } from '../auth/authorization.ts';
import { grantRole } from '../auth/roles.ts';
import { now } from '../clock.ts';
import { db } from '../db/store.ts';
import { datathonWrite } from './write.ts';
import { accountForOrganiser } from './events.ts';
import { failure, type Outcome } from './outcome.ts';

/**
 * Judges of an event: assigned by its organisers to all challenges or some (which also grants the `judge` role for
 * the event, the one `can()` reads). A judge never sees or scores a submission they declared a conflict with, nor
 * one written by a team they belong to.
 */
export interface JudgeAssignment {
  user_id: string;
  name: string | null;
  /** null: every challenge. */
  challenges: string[] | null;
}

export async function listJudges(eventId: string): Promise<JudgeAssignment[]> {
  const rows = await db()
    .selectFrom('datathon_judge as j')
    .innerJoin('auth_user as u', 'u.id', 'j.user_id')
    .select(['j.user_id', 'u.name', 'j.challenges'])
    .where('j.event_id', '=', eventId)
    .orderBy('u.name')
    .execute();
  return rows.map((r) => ({ user_id: r.user_id, name: r.name, challenges: r.challenges === null ? null : (JSON.parse(r.challenges) as string[]) }));
}

/** Assigns the account with this e-mail (looked up only after the organiser check). */
export async function assignJudge(actor: Actor, eventId: string, email: string, challenges: string[] | null): Promise<Outcome<{ userId: string }>> {
  const found = await accountForOrganiser(actor, eventId, email);
  if (!found.ok) return found;
  const { userId } = found;
  const known = await db().selectFrom('datathon_challenge').select('id').where('event_id', '=', eventId).execute();
  const unknown = (challenges ?? []).filter((c) => !known.some((k) => k.id === c));
  if (unknown.length > 0) return failure('unknown_challenge', 'challenges', { ids: unknown.join(', ') });
  const list = challenges && challenges.length > 0 ? JSON.stringify(challenges) : null;
  await datathonWrite(async (trx) => {
    await trx
      .insertInto('datathon_judge')
      .values({ event_id: eventId, user_id: userId, challenges: list, assigned_at: now() })
      .onConflict((oc) => oc.columns(['event_id', 'user_id']).doUpdateSet({ challenges: list }))
      .execute();
    await grantRole(userId, { role: 'judge', scope: eventId }, actor.id);
  });
  return { ok: true, userId };
}

/** The submitted submissions of the event this judge may see and score, in a stable order. */
export async function eligibleSubmissions(eventId: string, judgeId: string): Promise<{ id: string; title: string; challenge_id: string }[]> {
  const assignment = await db().selectFrom('datathon_judge').select('challenges').where('event_id', '=', eventId).where('user_id', '=', judgeId).executeTakeFirst();
  if (!assignment) return [];
  const challenges = assignment.challenges === null ? null : (JSON.parse(assignment.challenges) as string[]);
  let query = db()
    .selectFrom('datathon_submission as s')
    .select(['s.id', 's.title', 's.challenge_id'])
    .where('s.event_id', '=', eventId)
    .where('s.status', '=', 'submitted')
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('datathon_conflict as c').select('c.submission_id').whereRef('c.submission_id', '=', 's.id').where('c.judge_id', '=', judgeId))),
    )
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('datathon_member as m').select('m.user_id').whereRef('m.team_id', '=', 's.team_id').where('m.user_id', '=', judgeId))),
    );
  if (challenges) query = query.where('s.challenge_id', 'in', challenges.length > 0 ? challenges : ['']);
  return query.orderBy('s.id').execute();
}

export async function mayScore(eventId: string, judgeId: string, submissionId: string): Promise<boolean> {
  return (await eligibleSubmissions(eventId, judgeId)).some((s) => s.id === submissionId);
}

/** A judge declares a conflict of interest: the submission leaves their queue for good. */
export async function declareConflict(actor: Actor, submissionId: string, reason: string): Promise<Outcome> {
  const submission = await db().selectFrom('datathon_submission').select(['event_id']).where('id', '=', submissionId).executeTakeFirst();
  if (!submission) return failure('not_found');
  if (!can(actor, 'datathon.judge', { event: submission.event_id })) return failure('forbidden');
  await datathonWrite((trx) =>
    trx
      .insertInto('datathon_conflict')
      .values({ judge_id: actor.id, submission_id: submissionId, reason, declared_at: now() })
      .onConflict((oc) => oc.columns(['judge_id', 'submission_id']).doUpdateSet({ reason }))
      .execute(),
  );
  return { ok: true };
}

export async function conflictsOf(eventId: string): Promise<{ judge_id: string; submission_id: string; reason: string }[]> {
  return db()
    .selectFrom('datathon_conflict as c')
    .innerJoin('datathon_submission as s', 's.id', 'c.submission_id')
    .select(['c.judge_id', 'c.submission_id', 'c.reason'])
    .where('s.event_id', '=', eventId)
    .execute();
}
