import { audit } from '../audit/audit.ts';
import { notify } from '../community/notifications.ts';
import { can, type Actor } from '../auth/authorization.ts';
import { now } from '../clock.ts';
import { afterCommit, db } from '../db/store.ts';
import { datathonWrite } from './write.ts';
import { galleryChanged } from './gallery.ts';
import { getEvent } from './events.ts';
import { failure, type Outcome } from './outcome.ts';
import { allows } from './phases.ts';
import { closed, eventSubject } from './teams.ts';

/** Results: organisers publish winners and honourable mentions once the results phase has begun. */
export const AWARDS = ['winner', 'honourable'] as const;
export type Award = (typeof AWARDS)[number];

export async function publishResults(actor: Actor, eventId: string, awards: { submission: string; award: Award }[]): Promise<Outcome> {
  const event = await getEvent(eventId);
  if (!event) return failure('not_found');
  if (!can(actor, 'datathon.organise', { organisers: event.organisers })) return failure('forbidden');
  if (!allows('publish', event.phase)) return closed(event);
  if (!awards.some((a) => a.award === 'winner')) return failure('incomplete', 'awards');
  const ids = awards.map((a) => a.submission);
  const known = await db().selectFrom('datathon_submission').select('id').where('event_id', '=', eventId).where('status', '=', 'submitted').where('id', 'in', ids).execute();
  if (known.length !== new Set(ids).size) return failure('not_found', 'awards');
  await datathonWrite(async (trx) => {
    await trx.deleteFrom('datathon_award').where('event_id', '=', eventId).execute();
    await trx.insertInto('datathon_award').values(awards.map((a, i) => ({ event_id: eventId, submission_id: a.submission, award: a.award, rank: i + 1 }))).execute();
    // The first publication dates the results and tells people; a correction afterwards changes the awards only
    // (one conditional update, so two organisers publishing at once still tell each person once).
    const first = await trx.updateTable('datathon_event').set({ results_published_at: now() }).where('id', '=', eventId).where('results_published_at', 'is', null).executeTakeFirst();
    afterCommit(galleryChanged);
    if (Number(first.numUpdatedRows) === 0) return;
    const entrants = await trx
      .selectFrom('datathon_member as m')
      .innerJoin('datathon_submission as s', 's.team_id', 'm.team_id')
      .select('m.user_id')
      .where('s.event_id', '=', eventId)
      .where('s.status', '=', 'submitted')
      .execute();
    // and those who follow the event (each person once, whichever way they are told)
    const followers = await trx.selectFrom('community_follow').select('user_id').where('subject', '=', `datathon-event:${eventId}`).execute();
    await notify([...entrants, ...followers].map((e) => e.user_id), { kind: 'datathon.results', subject: eventSubject(event), actorId: actor.id });
  });
  await audit('datathon.results.publish', { actorId: actor.id, subjectId: eventId, detail: awards.map((a) => `${a.award}:${a.submission}`).join(' ') });
  return { ok: true };
}

export interface AwardedSubmission {
  submission: string;
  title: string;
  team: string;
  award: Award;
  rank: number;
}

/** Published results (empty until the organisers publish). */
export async function results(eventId: string): Promise<AwardedSubmission[]> {
  const rows = await db()
    .selectFrom('datathon_award as a')
    .innerJoin('datathon_event as e', 'e.id', 'a.event_id')
    .innerJoin('datathon_submission as s', 's.id', 'a.submission_id')
    .innerJoin('datathon_team as t', 't.id', 's.team_id')
    .select(['a.submission_id as submission', 's.title', 't.name as team', 'a.award', 'a.rank'])
    .where('a.event_id', '=', eventId)
    .where('e.results_published_at', 'is not', null)
    .orderBy('a.rank')
    .execute();
  return rows.map((r) => ({ ...r, award: r.award as Award }));
}

/** A published winning or honourable submission, with what an innovation needs to cite it. */
export interface WinningSubmission {
  id: string;
  title: string;
  summary: string;
  eventId: string;
  eventTitle: string;
  /** Who may promote it: `can(actor, 'datathon.promote', winner)` takes this object as its resource. */
  organisers: string[];
  challenge: { id: string; title: string; opd: string };
  /** Kept for callers of the first version of this read model: the challenge's OPD. */
  challengeOpd: string;
  team: { id: string; name: string; members: string[] };
  award: Award;
  /** The datasets the submission used, with the version it recorded. */
  datasets: string[];
  datasetVersions: { id: string; version: string }[];
  /** The submission's page, relative to the site. */
  url: string;
}

/**
 * The read model Badami links to ("promote to Badami"): a published awarded submission, or null for anything else
 * (unknown, not awarded, results not published yet). Promoting is allowed when
 * `can(actor, 'datathon.promote', winner)`: admins and the event's organisers.
 */
export async function winningSubmission(submissionId: string): Promise<WinningSubmission | null> {
  const row = await db()
    .selectFrom('datathon_award as a')
    .innerJoin('datathon_event as e', 'e.id', 'a.event_id')
    .innerJoin('datathon_submission as s', 's.id', 'a.submission_id')
    .innerJoin('datathon_team as t', 't.id', 's.team_id')
    .innerJoin('datathon_challenge as c', 'c.id', 's.challenge_id')
    .select(['s.id', 's.title', 's.summary', 'e.id as eventId', 'e.title as eventTitle', 'c.id as challengeId', 'c.title as challengeTitle', 'c.opd as challengeOpd', 't.id as teamId', 't.name as teamName', 'a.award'])
    .where('a.submission_id', '=', submissionId)
    .where('e.results_published_at', 'is not', null)
    .executeTakeFirst();
  if (!row) return null;
  const [datasets, members, organisers] = await Promise.all([
    db().selectFrom('datathon_submission_dataset').select(['dataset_id', 'version']).where('submission_id', '=', submissionId).orderBy('dataset_id').execute(),
    db().selectFrom('datathon_member as m').innerJoin('auth_user as u', 'u.id', 'm.user_id').select('u.name').where('m.team_id', '=', row.teamId).orderBy('u.name').execute(),
    db().selectFrom('datathon_organiser').select('user_id').where('event_id', '=', row.eventId).execute(),
  ]);
  return {
    id: row.id,
    title: row.title,
    summary: row.summary,
    eventId: row.eventId,
    eventTitle: row.eventTitle,
    organisers: organisers.map((o) => o.user_id),
    challenge: { id: row.challengeId, title: row.challengeTitle, opd: row.challengeOpd },
    challengeOpd: row.challengeOpd,
    team: { id: row.teamId, name: row.teamName, members: members.flatMap((m) => (m.name === null ? [] : [m.name])) },
    award: row.award as Award,
    datasets: datasets.map((d) => d.dataset_id),
    datasetVersions: datasets.map((d) => ({ id: d.dataset_id, version: d.version })),
    url: `/datathon/submissions/${row.id}`,
  };
}
