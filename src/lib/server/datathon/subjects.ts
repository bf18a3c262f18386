import { can, type Actor } from '../auth/authorization.ts';
import { hasRole } from '../auth/rule-kit.ts';
import { defineSubjectType } from '../community/subjects.ts';
import { listUploads } from '../community/uploads.ts';
import { db } from '../db/store.ts';
import { getChallenge } from './challenges.ts';
import { getEvent } from './events.ts';
import { allows } from './phases.ts';

/**
 * The datathon's discussion subjects (docs/community.md): each submitted idea (`submission:<id>`) and each
 * challenge (`challenge:<id>`, questions to its OPD, whose officials answer officially). The event's organisers
 * moderate both, in the scope `datathon:<event>`.
 */
export const submissionSubjects = defineSubjectType({
  type: 'submission',
  async load(id: string) {
    const row = await db()
      .selectFrom('datathon_submission as s')
      .innerJoin('datathon_challenge as c', 'c.id', 's.challenge_id')
      .select(['s.title', 's.status', 's.event_id', 's.team_id', 'c.opd'])
      .where('s.id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    const event = (await getEvent(row.event_id))!;
    const members = (await db().selectFrom('datathon_member').select('user_id').where('team_id', '=', row.team_id).execute()).map((m) => m.user_id);
    return {
      title: row.title,
      url: `/datathon/submissions/${id}`,
      scope: `datathon:${event.id}`,
      scopeTitle: event.title,
      ownerIds: members,
      mayView: (a: Actor | null) => row.status === 'submitted' || (a !== null && members.includes(a.id)),
      mayComment: () => row.status === 'submitted',
      // Up to 5 images, added and removed by the team while the idea may still be edited (locked with it after).
      mayUpload: (a: Actor) => members.includes(a.id) && allows('submit', event.phase),
      files: { accept: 'image', max: 5 },
      mayModerate: (a: Actor) => can(a, 'datathon.moderate', { organisers: event.organisers }),
      mayAnswerOfficially: (a: Actor) => hasRole(a, 'official', row.opd),
    };
  },
});

/**
 * An event as the holder of its cover image (`datathon-event:<id>`): one image, put there and replaced by its
 * organisers, shown to everyone. No discussion on it (ideas and challenges have theirs).
 */
export const eventSubjects = defineSubjectType({
  type: 'datathon-event',
  async load(id: string) {
    const event = await getEvent(id);
    if (!event) return null;
    const organises = (a: Actor) => can(a, 'datathon.organise', { organisers: event.organisers });
    return {
      title: event.title,
      url: `/datathon/${event.id}`,
      scope: `datathon:${event.id}`,
      scopeTitle: event.title,
      ownerIds: [],
      mayView: () => true,
      mayComment: () => false,
      mayUpload: organises,
      files: { accept: 'image', max: 1 },
      mayModerate: organises,
    };
  },
});

/** The event's cover image, if its organisers put one. */
export async function coverOf(eventId: string) {
  return (await listUploads(`datathon-event:${eventId}`, { kind: 'image' }))[0] ?? null;
}

export const challengeSubjects = defineSubjectType({
  type: 'challenge',
  async load(id: string) {
    const challenge = await getChallenge(id);
    if (!challenge) return null;
    const event = (await getEvent(challenge.event_id))!;
    return {
      title: challenge.title,
      url: `/datathon/${event.id}/challenges/${id}`,
      scope: `datathon:${event.id}`,
      scopeTitle: event.title,
      ownerIds: [],
      mayView: () => true,
      mayModerate: (a: Actor) => can(a, 'datathon.moderate', { organisers: event.organisers }),
      mayAnswerOfficially: (a: Actor) => hasRole(a, 'official', challenge.opd),
    };
  },
});
