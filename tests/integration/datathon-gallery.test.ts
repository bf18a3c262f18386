import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setClock } from '../../src/lib/server/clock.ts';
import { saveChallenge } from '../../src/lib/server/datathon/challenges.ts';
import { createEvent, getEvent, updateEvent } from '../../src/lib/server/datathon/events.ts';
import { gallery, searchWords } from '../../src/lib/server/datathon/gallery.ts';
import { publishResults } from '../../src/lib/server/datathon/results.ts';
import { saveSubmission, setSubmitted } from '../../src/lib/server/datathon/submissions.ts';
import { createTeam } from '../../src/lib/server/datathon/teams.ts';
import { castVote } from '../../src/lib/server/datathon/votes.ts';
import { eventInput, makeUser, makeUsers, publishDatasets, scheduleFor } from '../helpers/datathon.ts';
import { BACKENDS, useBackend } from '../helpers/store.ts';

/** The gallery's filters, search and sorts on a real store; a vote shows in the order at once in this process. */
const T = Date.UTC(2026, 10, 2, 3, 0, 0);

describe.each(BACKENDS)('gallery on $name', ({ name, skip }) => {
  let backend: Awaited<ReturnType<typeof useBackend>> | undefined;
  const ids: Record<string, string> = {};
  let challenges: string[] = [];
  const eventId = `galeri-${name}`;

  beforeAll(async () => {
    if (skip) return;
    backend = await useBackend(name);
    await publishDatasets(backend.dataDir);
    setClock(() => T);
    const admin = await makeUser('Admin', { role: 'admin' });
    await createEvent(admin, eventId, eventInput('submission', T, { vote_limit: 5 }));
    await createEvent(admin, `${eventId}-lain`, eventInput('submission', T));
    for (const title of ['Sekolah', 'Kesehatan']) {
      const saved = await saveChallenge(admin, eventId, { title, problem: 'Masalah tantangan.', opd: 'disdik', datasets: [] });
      if (saved.ok) challenges.push(saved.id);
    }
    const ideas = [
      { key: 'peta', title: 'Peta sekolah', solution: 'Peta interaktif kursi sekolah', challenge: 0, datasets: ['sekolah-uji'] },
      { key: 'dbd', title: 'Peringatan DBD', solution: 'Model kasus per kecamatan', challenge: 1, datasets: ['penduduk-uji'] },
      { key: 'rasio', title: 'Rasio guru', solution: 'Rasio per kecamatan dengan peta', challenge: 0, datasets: ['sekolah-uji', 'penduduk-uji'] },
      { key: 'draf', title: 'Draf rahasia', solution: 'Belum dikirim', challenge: 0, datasets: ['sekolah-uji'] },
    ];
    for (const [i, idea] of ideas.entries()) {
      setClock(() => T + i * 1000); // submitted one after another
      const leader = await makeUser(`Ketua ${idea.key}`);
      await createTeam(leader, eventId, `Tim ${idea.key}`);
      const saved = await saveSubmission(leader, eventId, { challenge_id: challenges[idea.challenge]!, title: idea.title, summary: 'Ringkasan.', problem: '', solution: idea.solution, repo_url: '', demo_url: '', video_url: '', datasets: idea.datasets });
      if (!saved.ok) throw new Error(saved.code);
      ids[idea.key] = saved.id;
      if (idea.key !== 'draf') await setSubmitted(leader, saved.id, true);
    }
    setClock(() => T);
    const event = (await getEvent(eventId))!;
    await updateEvent(admin, eventId, { ...event, ...scheduleFor('voting', T) });
    const voters = await makeUsers(3, `galeri-${name}`);
    for (const v of voters) await castVote(v, ids.peta!);
    await castVote(voters[0]!, ids.dbd!);
    await updateEvent(admin, eventId, { ...event, ...scheduleFor('results', T) });
    await publishResults(admin, eventId, [{ submission: ids.dbd!, award: 'winner' }]);
  });
  afterAll(async () => {
    setClock(undefined);
    await backend?.cleanup();
  });

  const titles = async (filter: Partial<Parameters<typeof gallery>[0]>) =>
    (await gallery({ sort: 'newest', page: 0, event: eventId, ...filter })).cards.map((c) => c.title);

  test.skipIf(skip)('newest first; drafts never shown', async () => {
    expect(await titles({})).toEqual(['Rasio guru', 'Peringatan DBD', 'Peta sekolah']);
    expect((await gallery({ sort: 'newest', page: 0, event: eventId })).total).toBe(3);
  });

  test.skipIf(skip)('most voted first, with the counts from the vote rows', async () => {
    const { cards } = await gallery({ sort: 'votes', page: 0, event: eventId });
    expect(cards.map((c) => [c.title, c.votes])).toEqual([
      ['Peta sekolah', 3],
      ['Peringatan DBD', 1],
      ['Rasio guru', 0],
    ]);
  });

  test.skipIf(skip)('filters: challenge, dataset, awarded; search needs every word', async () => {
    expect(await titles({ challenge: challenges[1] })).toEqual(['Peringatan DBD']);
    expect(await titles({ dataset: 'penduduk-uji' })).toEqual(['Rasio guru', 'Peringatan DBD']);
    expect(await titles({ status: 'awarded' })).toEqual(['Peringatan DBD']);
    expect((await gallery({ sort: 'newest', page: 0, event: eventId, status: 'awarded' })).cards[0]!.award).toBe('winner');
    expect(await titles({ q: 'PETA' })).toEqual(['Rasio guru', 'Peta sekolah']);
    expect(await titles({ q: 'peta kecamatan' })).toEqual(['Rasio guru']);
    expect(await titles({ q: '%' })).toEqual(['Rasio guru', 'Peringatan DBD', 'Peta sekolah']);
    expect(await titles({ event: `${eventId}-lain` })).toEqual([]);
  });

  test('search words: wildcards dropped, at most 8', () => {
    expect(searchWords(' Peta_%  sekolah\\ ')).toEqual(['peta', 'sekolah']);
    expect(searchWords('a b c d e f g h i j')).toHaveLength(8);
  });
});
