import type { Actor } from '../auth/authorization.ts';
import { randomId } from '../auth/secret.ts';
import { now } from '../clock.ts';
import { afterCommit, db } from '../db/store.ts';
import { datathonWrite } from './write.ts';
import { galleryChanged } from './gallery.ts';
import { openDatasets } from './datasets.ts';
import { getEvent } from './events.ts';
import { answer, failure, refuse, type Outcome } from './outcome.ts';
import { allows } from './phases.ts';
import { closed, teamOf } from './teams.ts';

/**
 * Submissions: one idea per team per event. A team writes a draft, submits it, and may edit it until the
 * submission deadline (the start of voting); every save is kept as a revision. Each dataset used must be open in
 * the catalog, and the version current at the save is recorded with it.
 */
export const SUBMISSION_TEXT_FIELDS = ['title', 'summary', 'problem', 'solution', 'repo_url', 'demo_url', 'video_url'] as const;

export interface SubmissionInput {
  challenge_id: string;
  title: string;
  summary: string;
  problem: string;
  solution: string;
  repo_url: string;
  demo_url: string;
  video_url: string;
  datasets: string[];
}

export interface Submission extends Omit<SubmissionInput, 'datasets'> {
  id: string;
  event_id: string;
  team_id: string;
  team_name: string;
  status: 'draft' | 'submitted';
  revision: number;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
  datasets: { dataset_id: string; version: string }[];
}

export async function getSubmission(id: string): Promise<Submission | null> {
  const row = await db()
    .selectFrom('datathon_submission as s')
    .innerJoin('datathon_team as t', 't.id', 's.team_id')
    .selectAll('s')
    .select('t.name as team_name')
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const datasets = await db().selectFrom('datathon_submission_dataset').select(['dataset_id', 'version']).where('submission_id', '=', id).orderBy('dataset_id').execute();
  return { ...row, status: row.status as Submission['status'], datasets };
}

export async function submissionOfTeam(teamId: string): Promise<Submission | null> {
  const row = await db().selectFrom('datathon_submission').select('id').where('team_id', '=', teamId).executeTakeFirst();
  return row ? getSubmission(row.id) : null;
}

/** Whether `userId` is on the team that wrote the submission. */
export async function isAuthor(submission: { team_id: string }, userId: string): Promise<boolean> {
  const row = await db().selectFrom('datathon_member').select('user_id').where('team_id', '=', submission.team_id).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** Creates or updates the actor's team's idea, keeping a revision. */
export async function saveSubmission(actor: Actor, eventId: string, input: SubmissionInput): Promise<Outcome<{ id: string; revision: number }>> {
  const event = await getEvent(eventId);
  if (!event) return failure('not_found');
  if (!allows('submit', event.phase)) return closed(event);
  const team = await teamOf(eventId, actor.id);
  if (!team) return failure('not_member');
  const challenge = await db().selectFrom('datathon_challenge').select('id').where('id', '=', input.challenge_id).where('event_id', '=', eventId).executeTakeFirst();
  if (!challenge) return failure('unknown_challenge', 'challenge_id');
  for (const field of ['repo_url', 'demo_url', 'video_url'] as const) {
    if (input[field] && !/^https?:\/\/[^\s]+$/i.test(input[field])) return failure('invalid', field);
  }
  const { found, missing } = await openDatasets(input.datasets);
  if (missing.length > 0) return failure('unknown_dataset', 'datasets', { ids: missing.join(', ') });
  const { datasets: _d, ...fields } = input;
  const time = now();
  return answer(() =>
    datathonWrite(async (trx) => {
      const existing = await trx.selectFrom('datathon_submission').select(['id', 'revision']).where('team_id', '=', team.id).forUpdate().executeTakeFirst();
      const id = existing?.id ?? randomId(10);
      const revision = (existing?.revision ?? 0) + 1;
      if (existing) {
        await trx.updateTable('datathon_submission').set({ ...fields, revision, updated_at: time }).where('id', '=', id).execute();
        await trx.deleteFrom('datathon_submission_dataset').where('submission_id', '=', id).execute();
      } else {
        await trx
          .insertInto('datathon_submission')
          .values({ id, event_id: eventId, team_id: team.id, ...fields, status: 'draft', revision, created_at: time, updated_at: time, submitted_at: null })
          .execute();
      }
      const used = found.map((m) => ({ submission_id: id, dataset_id: m.dataset, version: m.version }));
      if (used.length > 0) await trx.insertInto('datathon_submission_dataset').values(used).execute();
      const content = JSON.stringify({ ...fields, datasets: used.map((u) => `${u.dataset_id}@${u.version}`) });
      await trx.insertInto('datathon_revision').values({ submission_id: id, revision, author_id: actor.id, created_at: time, content }).execute();
      afterCommit(galleryChanged);
      return { id, revision };
    }),
  );
}

/** Draft → submitted (and back to draft, to hide it again before the deadline). */
export async function setSubmitted(actor: Actor, submissionId: string, submitted: boolean): Promise<Outcome> {
  const submission = await getSubmission(submissionId);
  if (!submission) return failure('not_found');
  if (!(await isAuthor(submission, actor.id))) return failure('not_member');
  const event = (await getEvent(submission.event_id))!;
  if (!allows('submit', event.phase)) return closed(event);
  return answer(() =>
    datathonWrite(async (trx) => {
      if (submitted && (!submission.title || !submission.summary)) refuse('incomplete', 'summary');
      await trx
        .updateTable('datathon_submission')
        .set({ status: submitted ? 'submitted' : 'draft', submitted_at: submitted ? now() : null })
        .where('id', '=', submissionId)
        .execute();
      afterCommit(galleryChanged);
      return {};
    }),
  );
}
