import { afterAll, beforeAll, expect, test } from 'vitest';
import { setClock } from '../../src/lib/server/clock.ts';
import { postComment } from '../../src/lib/server/community/comments.ts';
import { moderateComment } from '../../src/lib/server/community/moderation.ts';
import { db } from '../../src/lib/server/db/store.ts';
import { saveChallenge } from '../../src/lib/server/datathon/challenges.ts';
import { createEvent, getEvent, updateEvent } from '../../src/lib/server/datathon/events.ts';
import { publishResults } from '../../src/lib/server/datathon/results.ts';
import { saveSubmission, setSubmitted } from '../../src/lib/server/datathon/submissions.ts';
import { createTeam, getTeam, joinTeam } from '../../src/lib/server/datathon/teams.ts';
import type { User } from '../../src/lib/server/auth/user.ts';
import { eventInput, makeUser, publishDatasets, scheduleFor } from '../helpers/datathon.ts';
import { useBackend } from '../helpers/store.ts';

/**
 * The datathon on the community module: discussions of ideas and challenges moderated by the event's organisers,
 * the new-account hold, and the datathon's notifications (a new team member, results, comments on your idea).
 */
const T = Date.UTC(2026, 10, 3, 3, 0, 0);
let backend: Awaited<ReturnType<typeof useBackend>>;
let organiser: User;
let leader: User;
let member: User;
let citizen: User;
let stranger: User;
let submission = '';
let draft = '';
let challenge = '';
const EVENT = 'diskusi-uji';
const kinds = async (user: User) => (await db().selectFrom('community_notification').select('kind').where('user_id', '=', user.id).execute()).map((n) => n.kind);

beforeAll(async () => {
  backend = await useBackend('sqlite');
  await publishDatasets(backend.dataDir);
  setClock(() => T);
  organiser = await makeUser('Panitia', { role: 'official', scope: 'disdik' });
  [leader, member, citizen, stranger] = [await makeUser('Ketua'), await makeUser('Anggota'), await makeUser('Warga'), await makeUser('Orang lain')];
  await createEvent(organiser, EVENT, eventInput('submission', T));
  const saved = await saveChallenge(organiser, EVENT, { title: 'Sekolah', problem: 'Masalah sekolah.', opd: 'disdik', datasets: [] });
  challenge = saved.ok ? saved.id : '';
  const team = await createTeam(leader, EVENT, 'Tim Diskusi');
  const invite = (await getTeam(team.ok ? team.id : ''))!.invite_code;
  expect(await joinTeam(member, invite)).toMatchObject({ ok: true });
  const idea = await saveSubmission(leader, EVENT, { challenge_id: challenge, title: 'Ide diskusi', summary: 'S', problem: '', solution: '', repo_url: '', demo_url: '', video_url: '', datasets: [] });
  submission = idea.ok ? idea.id : '';
  await setSubmitted(leader, submission, true);
  const other = await makeUser('Ketua draf');
  await createTeam(other, EVENT, 'Tim Draf');
  const d = await saveSubmission(other, EVENT, { challenge_id: challenge, title: 'Draf', summary: '', problem: '', solution: '', repo_url: '', demo_url: '', video_url: '', datasets: [] });
  draft = d.ok ? d.id : '';
});
afterAll(async () => {
  setClock(undefined);
  await backend?.cleanup();
});

test('a new member joining tells the team', async () => {
  expect(await kinds(leader)).toContain('datathon.team_join');
  expect(await kinds(member)).not.toContain('datathon.team_join'); // nobody is told of their own doing
});

test('a new account’s first comment on an idea is held; the organiser approves it, a stranger cannot; the team is told', async () => {
  const posted = await postComment({ ...citizen, createdAt: citizen.createdAt }, { subject: `submission:${submission}`, body: 'Apakah datanya **per kelurahan**?' });
  expect(posted).toMatchObject({ ok: true, held: true });
  const id = posted.ok ? posted.id : '';
  expect(await moderateComment(stranger, { id, decision: 'approve' })).toMatchObject({ ok: false, code: 'forbidden' });
  expect(await moderateComment(organiser, { id, decision: 'approve' })).toMatchObject({ ok: true });
  expect(await kinds(leader)).toContain('community.comment_on_yours');
  expect(await kinds(member)).toContain('community.comment_on_yours');
  // the organiser hides it with a reason
  expect(await moderateComment(organiser, { id, decision: 'hide', reason: 'di luar topik' })).toMatchObject({ ok: true });
  const row = await db().selectFrom('community_comment').select(['hidden_at', 'hidden_reason']).where('id', '=', id).executeTakeFirstOrThrow();
  expect(row.hidden_reason).toBe('di luar topik');
});

test('a draft idea has no public thread; a challenge takes questions to its OPD', async () => {
  expect(await postComment({ ...citizen, createdAt: 0 }, { subject: `submission:${draft}`, body: 'halo' })).toMatchObject({ ok: false, code: 'not_found' });
  const question = await postComment({ ...citizen, createdAt: 0 }, { subject: `challenge:${challenge}`, body: 'Data tahun berapa yang dipakai?' });
  expect(question).toMatchObject({ ok: true, held: false });
  // an official of the challenge's OPD answers officially
  const answer = await postComment({ ...organiser, createdAt: 0 }, { subject: `challenge:${challenge}`, parentId: question.ok ? question.id : null, body: 'Data 2024.', official: true });
  expect(answer).toMatchObject({ ok: true });
  const official = await db().selectFrom('community_comment').select('official').where('id', '=', answer.ok ? answer.id : '').executeTakeFirstOrThrow();
  expect(official.official).toBe(true);
});

test('publishing the results tells every member of a team that submitted', async () => {
  const event = (await getEvent(EVENT))!;
  await updateEvent(organiser, EVENT, { ...event, ...scheduleFor('results', T) });
  expect(await publishResults(organiser, EVENT, [{ submission, award: 'winner' }])).toEqual({ ok: true });
  expect(await kinds(leader)).toContain('datathon.results');
  expect(await kinds(member)).toContain('datathon.results');
  expect(await kinds(citizen)).not.toContain('datathon.results');
});
