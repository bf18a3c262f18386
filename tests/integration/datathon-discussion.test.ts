import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { setClock } from '../../src/lib/server/clock.ts';
import { postComment } from '../../src/lib/server/community/comments.ts';
import { setFollow } from '../../src/lib/server/community/follows.ts';
import { deleteUpload, listUploads, saveUploads } from '../../src/lib/server/community/uploads.ts';
import { moderateComment } from '../../src/lib/server/community/moderation.ts';
import { db } from '../../src/lib/server/db/store.ts';
import { saveChallenge } from '../../src/lib/server/datathon/challenges.ts';
import { createEvent, getEvent, updateEvent } from '../../src/lib/server/datathon/events.ts';
import { coverOf } from '../../src/lib/server/datathon/subjects.ts';
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

test('an idea holds up to 5 images (images only, whatever the form says), added and removed by its team until the deadline', async () => {
  const png = async (colour: string) => new Uint8Array(await sharp({ create: { width: 40, height: 30, channels: 3, background: colour } }).png().toBuffer());
  const subject = `submission:${submission}`;
  const files = async (n: number, prefix = 'layar') => Promise.all(Array.from({ length: n }, async (_, i) => ({ name: `${prefix}-${i}.png`, bytes: await png(`#${(i + 1) * 111}`) })));
  // someone outside the team may not attach images; the team may
  expect(await saveUploads(stranger, { subject, files: await files(1), accept: 'image' })).toMatchObject({ ok: false, code: 'forbidden' });
  const first = await saveUploads(member, { subject, files: await files(3), accept: 'image' });
  expect(first).toMatchObject({ ok: true });
  // the idea takes images only, whatever the form says: a PDF is refused by its bytes
  const pdf = { name: 'proposal.pdf', bytes: new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF') };
  expect(await saveUploads(leader, { subject, files: [pdf], accept: 'evidence' })).toMatchObject({ ok: false, code: 'type_not_allowed' });
  // 3 + 3 would be 6: refused whole, nothing stored
  expect(await saveUploads(leader, { subject, files: await files(3, 'lagi'), accept: 'image' })).toMatchObject({ ok: false, code: 'too_many_files', params: { max: 5 } });
  expect((await listUploads(subject)).length).toBe(3);
  // two members adding two each at once: one of them gets the room, never 7
  const race = await Promise.all([saveUploads(leader, { subject, files: await files(2, 'a'), accept: 'image' }), saveUploads(member, { subject, files: await files(2, 'b'), accept: 'image' })]);
  expect(race.filter((r) => r.ok).length).toBe(1);
  expect((await listUploads(subject)).length).toBe(5);
  // after the deadline the images are locked with the idea: no more, and their owner cannot remove them
  const event = (await getEvent(EVENT))!;
  await updateEvent(organiser, EVENT, { ...event, ...scheduleFor('voting', T) });
  const mine = (await listUploads(subject)).find((f) => f.ownerId === member.id)!;
  expect(await saveUploads(member, { subject, files: await files(1, 'telat'), accept: 'image' })).toMatchObject({ ok: false, code: 'forbidden' });
  expect(await deleteUpload(member, mine.id)).toMatchObject({ ok: false, code: 'forbidden' });
  // the event's organisers still moderate them
  expect(await deleteUpload(organiser, mine.id)).toMatchObject({ ok: true });
  expect((await listUploads(subject)).length).toBe(4);
});

test('an event has one cover image, put and replaced by its organisers; everyone sees it', async () => {
  const png = new Uint8Array(await sharp({ create: { width: 64, height: 32, channels: 3, background: '#0b5cad' } }).png().toBuffer());
  const subject = `datathon-event:${EVENT}`;
  expect(await saveUploads(leader, { subject, files: [{ name: 'sampul.png', bytes: png }], accept: 'image' })).toMatchObject({ ok: false, code: 'forbidden' });
  const put = await saveUploads(organiser, { subject, files: [{ name: 'sampul.png', bytes: png }], accept: 'image' });
  expect(put).toMatchObject({ ok: true });
  expect(await coverOf(EVENT)).toMatchObject({ fileName: 'sampul.png', width: 64, height: 32 });
  // one cover at a time: replacing it means removing the old one first
  expect(await saveUploads(organiser, { subject, files: [{ name: 'lain.png', bytes: png }], accept: 'image' })).toMatchObject({ ok: false, code: 'too_many_files' });
  expect(await deleteUpload(organiser, put.ok ? put.uploads[0]!.id : '')).toMatchObject({ ok: true });
  expect(await coverOf(EVENT)).toBeNull();
});

test('publishing the results tells every member of a team that submitted and the event’s followers, each once', async () => {
  const event = (await getEvent(EVENT))!;
  await updateEvent(organiser, EVENT, { ...event, ...scheduleFor('results', T) });
  expect(await setFollow(stranger, `datathon-event:${EVENT}`, true)).toMatchObject({ ok: true });
  expect(await setFollow(member, `datathon-event:${EVENT}`, true)).toMatchObject({ ok: true });
  expect(await publishResults(organiser, EVENT, [{ submission, award: 'winner' }])).toEqual({ ok: true });
  expect(await kinds(leader)).toContain('datathon.results');
  expect((await kinds(member)).filter((k) => k === 'datathon.results')).toHaveLength(1);
  expect(await kinds(stranger)).toContain('datathon.results');
  expect(await kinds(citizen)).not.toContain('datathon.results');
  // a correction of published results (another honourable mention) changes the awards and tells nobody again
  expect(await publishResults(organiser, EVENT, [{ submission, award: 'winner' }])).toEqual({ ok: true });
  expect((await kinds(leader)).filter((k) => k === 'datathon.results')).toHaveLength(1);
  expect((await kinds(stranger)).filter((k) => k === 'datathon.results')).toHaveLength(1);
});
