import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { can } from '../../src/lib/server/auth/authorization.ts';
import { setClock } from '../../src/lib/server/clock.ts';
import { db } from '../../src/lib/server/db/store.ts';
import { saveChallenge } from '../../src/lib/server/datathon/challenges.ts';
import { compare, pairFor } from '../../src/lib/server/datathon/comparisons.ts';
import { addCriterion } from '../../src/lib/server/datathon/criteria.ts';
import { createEvent, getEvent, updateEvent } from '../../src/lib/server/datathon/events.ts';
import { assignJudge, declareConflict, eligibleSubmissions } from '../../src/lib/server/datathon/judges.ts';
import { exportTable } from '../../src/lib/server/datathon/exports.ts';
import { leaderboard } from '../../src/lib/server/datathon/leaderboard.ts';
import { publishResults, results, winningSubmission } from '../../src/lib/server/datathon/results.ts';
import { reuseCounts, reusesOf } from '../../src/lib/server/datathon/reuse.ts';
import { revisionHistory } from '../../src/lib/server/datathon/revisions.ts';
import { scoreSubmission } from '../../src/lib/server/datathon/scores.ts';
import { getSubmission, saveSubmission, setSubmitted, type SubmissionInput } from '../../src/lib/server/datathon/submissions.ts';
import { createTeam, getTeam, joinTeam, leaveTeam, renewInvite, transferLeadership } from '../../src/lib/server/datathon/teams.ts';
import { castVote, votesOf, withdrawVote } from '../../src/lib/server/datathon/votes.ts';
import type { User } from '../../src/lib/server/auth/user.ts';
import { eventInput, makeUser, makeUsers, publishDatasets, scheduleFor, voteCount } from '../helpers/datathon.ts';
import { BACKENDS, useBackend } from '../helpers/store.ts';

/**
 * The datathon's rules against a real store (SQLite always, PostgreSQL where TEST_DATABASE_URL is set), with the
 * server's clock moved by setClock: phases, the team rules, votes under concurrency, conflicts of interest,
 * judging and results. Every refusal is checked to have changed nothing.
 */
const T = Date.UTC(2026, 10, 1, 3, 0, 0);
const DAY = 86_400_000;

describe.each(BACKENDS)('datathon on $name', ({ name, skip }) => {
  let backend: Awaited<ReturnType<typeof useBackend>> | undefined;
  let admin: User;
  let official: User;
  let citizen: User;
  const eventId = `uji-${name}`;
  let challengeId = '';
  const idea = (overrides: Partial<SubmissionInput> = {}): SubmissionInput => ({
    challenge_id: challengeId,
    title: 'Peta Sekolah',
    summary: 'Ringkasan ide.',
    problem: 'Masalahnya.',
    solution: 'Solusinya.',
    repo_url: 'https://example.org/repo',
    demo_url: '',
    video_url: '',
    datasets: ['penduduk-uji', 'sekolah-uji'],
    ...overrides,
  });
  const atPhase = async (phase: Parameters<typeof scheduleFor>[0]) => {
    const event = (await getEvent(eventId))!;
    const result = await updateEvent(admin, eventId, { ...event, ...scheduleFor(phase, T) });
    expect(result.ok).toBe(true);
  };

  beforeAll(async () => {
    if (skip) return;
    backend = await useBackend(name);
    await publishDatasets(backend.dataDir);
    setClock(() => T);
    admin = await makeUser('Admin', { role: 'admin' });
    official = await makeUser('Pejabat', { role: 'official', scope: 'dinkes' });
    citizen = await makeUser('Warga');
  });
  afterAll(async () => {
    setClock(undefined);
    await backend?.cleanup();
  });

  test.skipIf(skip)('admins and officials create events; a participant may not; dates must be in order', async () => {
    expect(await createEvent(citizen, 'tidak-boleh', eventInput('registration', T))).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await createEvent(official, `${eventId}-opd`, eventInput('registration', T))).toMatchObject({ ok: true });
    const badDates = eventInput('registration', T, { voting_at: T - 10 * DAY });
    expect(await createEvent(admin, eventId, badDates)).toEqual({ ok: false, code: 'schedule_order', field: 'voting_at' });
    expect(await getEvent(eventId)).toBeNull();
    expect(await createEvent(admin, eventId, eventInput('registration', T, { team_size_max: 2, vote_limit: 3 }))).toEqual({ ok: true, id: eventId });
    expect((await getEvent(eventId))!.phase).toBe('registration');
    // the official organises their own event, not this one
    expect(await updateEvent(official, eventId, eventInput('submission', T))).toMatchObject({ ok: false, code: 'forbidden' });
  });

  test.skipIf(skip)('a challenge suggests open datasets only', async () => {
    const base = { title: 'Akses sekolah', problem: 'Di mana sekolah kurang?', opd: 'disdik' };
    expect(await saveChallenge(admin, eventId, { ...base, datasets: ['penduduk-uji', 'rahasia-uji', 'tidak-ada'] })).toEqual({
      ok: false,
      code: 'unknown_dataset',
      field: 'datasets',
      params: { ids: 'rahasia-uji, tidak-ada' },
    });
    expect(await saveChallenge(admin, eventId, { ...base, opd: 'bukan-opd', datasets: [] })).toMatchObject({ ok: false, code: 'invalid', field: 'opd' });
    const saved = await saveChallenge(admin, eventId, { ...base, datasets: ['penduduk-uji', 'sekolah-uji'] });
    expect(saved.ok).toBe(true);
    challengeId = saved.ok ? saved.id : '';
  });

  test.skipIf(skip)('teams: one per person per event, size limit, expiring invitations, leadership', async () => {
    const [a, b, c] = [await makeUser('Ani'), await makeUser('Budi'), await makeUser('Cici')];
    const made = await createTeam(a, eventId, 'Tim Ani');
    expect(made.ok).toBe(true);
    const team = (await getTeam(made.ok ? made.id : ''))!;
    expect(await createTeam(a, eventId, 'Tim Kedua')).toMatchObject({ ok: false, code: 'already_in_team' });
    expect(await createTeam(b, eventId, 'Tim Ani')).toMatchObject({ ok: false, code: 'taken', field: 'name' });
    expect(await joinTeam(b, team.invite_code)).toMatchObject({ ok: true, id: team.id });
    expect(await joinTeam(c, team.invite_code)).toEqual({ ok: false, code: 'team_full', params: { max: 2 } });
    expect(await joinTeam(c, 'kode-palsu')).toMatchObject({ ok: false, code: 'invite_invalid' });
    // a new link ends the old one
    const renewed = await renewInvite(a, team.id);
    expect(renewed.ok).toBe(true);
    expect(await joinTeam(c, team.invite_code)).toMatchObject({ ok: false, code: 'invite_invalid' });
    expect(await renewInvite(b, team.id)).toMatchObject({ ok: false, code: 'not_leader' });
    expect((await getTeam(team.id))!.members.map((m) => m.user_id)).toEqual([a.id, b.id]);
    // a leader hands over before leaving
    expect(await leaveTeam(a, team.id)).toMatchObject({ ok: false, code: 'leader_must_transfer' });
    expect(await transferLeadership(b, team.id, a.id)).toMatchObject({ ok: false, code: 'not_leader' });
    expect(await transferLeadership(a, team.id, b.id)).toEqual({ ok: true });
    expect(await leaveTeam(a, team.id)).toEqual({ ok: true });
    expect((await getTeam(team.id))!).toMatchObject({ leader_id: b.id, members: [{ user_id: b.id }] });
    // the invitation expires after a week
    setClock(() => T + 8 * DAY);
    await atPhaseAt('registration', T + 8 * DAY);
    expect(await joinTeam(c, (await getTeam(team.id))!.invite_code)).toMatchObject({ ok: false, code: 'invite_expired' });
    setClock(() => T);
    await atPhase('registration');
  });

  async function atPhaseAt(phase: Parameters<typeof scheduleFor>[0], at: number) {
    const event = (await getEvent(eventId))!;
    expect((await updateEvent(admin, eventId, { ...event, ...scheduleFor(phase, at) })).ok).toBe(true);
  }

  test.skipIf(skip)('200 at once joining one team of two: exactly two members', async () => {
    const leader = await makeUser('Pemimpin');
    const made = await createTeam(leader, eventId, 'Tim Rebutan');
    const team = (await getTeam(made.ok ? made.id : ''))!;
    const people = await makeUsers(200, `join-${name}`);
    const answers = await Promise.all(people.map((p) => joinTeam(p, team.invite_code)));
    expect(answers.filter((r) => r.ok)).toHaveLength(1);
    expect(answers.filter((r) => !r.ok && r.code === 'team_full')).toHaveLength(199);
    expect((await getTeam(team.id))!.members).toHaveLength(2);
  });

  const teams: { leader: User; submission: string }[] = [];

  test.skipIf(skip)('submissions: datasets with their versions, revisions with diffs, locked at the deadline', async () => {
    await atPhase('submission');
    for (let i = 0; i < 6; i++) {
      const leader = await makeUser(`Ketua${i}`);
      await createTeam(leader, eventId, `Tim ${i}`);
      const saved = await saveSubmission(leader, eventId, idea({ title: `Ide ${i}` }));
      expect(saved).toMatchObject({ ok: true, revision: 1 });
      teams.push({ leader, submission: saved.ok ? saved.id : '' });
    }
    const first = teams[0]!;
    expect(await saveSubmission(first.leader, eventId, idea({ datasets: ['rahasia-uji'] }))).toMatchObject({ ok: false, code: 'unknown_dataset' });
    expect(await saveSubmission(first.leader, eventId, idea({ repo_url: 'javascript:alert(1)' }))).toMatchObject({ ok: false, code: 'invalid', field: 'repo_url' });
    expect(await saveSubmission(citizen, eventId, idea())).toMatchObject({ ok: false, code: 'not_member' });
    expect(await saveSubmission(first.leader, eventId, idea({ title: 'Ide 0', solution: 'Solusi yang lebih baik.' }))).toMatchObject({ ok: true, revision: 2 });
    const submission = (await getSubmission(first.submission))!;
    expect(submission.datasets.map((d) => d.dataset_id)).toEqual(['penduduk-uji', 'sekolah-uji']);
    expect(submission.datasets.every((d) => /^[0-9a-f]{16}$/.test(d.version))).toBe(true);
    const history = await revisionHistory(first.submission);
    expect(history.map((h) => h.revision)).toEqual([2, 1]);
    expect(history[0]!.fields.map((f) => f.field)).toEqual(['solution']);
    expect(history[0]!.fields[0]!.parts.filter((p) => p.added).map((p) => p.value).join('')).toContain('yang lebih baik');
    expect(history[0]!.fields[0]!.parts.filter((p) => p.removed).map((p) => p.value).join('')).toContain('Solusinya');
    for (const t of teams) expect(await setSubmitted(t.leader, t.submission, true)).toEqual({ ok: true });
    // the deadline passes: the edit is refused, in words naming the phase, and nothing changes
    await atPhase('voting');
    expect(await saveSubmission(first.leader, eventId, idea({ title: 'Terlambat' }))).toEqual({ ok: false, code: 'phase_closed', params: { phase: 'voting' } });
    expect((await getSubmission(first.submission))!).toMatchObject({ title: 'Ide 0', revision: 2, status: 'submitted' });
    expect(await reusesOf('sekolah-uji')).toHaveLength(6);
    expect((await reuseCounts()).get('penduduk-uji')).toBe(6);
  });

  test.skipIf(skip)('200 accounts voting on one submission at once: 200 votes, each once', async () => {
    const target = teams[1]!.submission;
    const voters = await makeUsers(200, `voter-${name}`);
    // each votes twice at once (a double click): still one vote per person
    const answers = await Promise.all(voters.flatMap((v) => [castVote(v, target), castVote(v, target)]));
    expect(answers.filter((r) => !r.ok)).toEqual([]);
    expect(await votesOf(target)).toBe(200);
    expect(await voteCount(target)).toBe(200);
  });

  test.skipIf(skip)('one account voting on many submissions at once never passes the limit of 3', async () => {
    const voter = (await makeUsers(1, `greedy-${name}`))[0]!;
    const answers = await Promise.all(teams.map((t) => castVote(voter, t.submission)));
    expect(answers.filter((r) => r.ok)).toHaveLength(3);
    expect(answers.filter((r) => !r.ok && r.code === 'vote_limit')).toHaveLength(3);
    const rows = await db().selectFrom('datathon_vote').select('submission_id').where('user_id', '=', voter.id).execute();
    expect(rows).toHaveLength(3);
    // own team's idea: refused
    expect(await castVote(teams[0]!.leader, teams[0]!.submission)).toMatchObject({ ok: false, code: 'own_submission' });
  });

  test.skipIf(skip)('votes withdrawn while others vote: the count is always the rows', async () => {
    const target = teams[2]!.submission;
    const before = await votesOf(target);
    const voters = await makeUsers(50, `withdraw-${name}`);
    await Promise.all(voters.map((v) => castVote(v, target)));
    // half withdraw while the other half vote again and withdraw at once
    await Promise.all(voters.flatMap((v, i) => (i % 2 === 0 ? [withdrawVote(v, target)] : [castVote(v, target), withdrawVote(v, target), castVote(v, target)])));
    const after = await votesOf(target);
    expect(after).toBe(await voteCount(target));
    expect(after - before).toBeGreaterThanOrEqual(0);
    expect(after - before).toBeLessThanOrEqual(25);
    // withdrawing is over when voting closes
    await atPhase('judging');
    expect(await withdrawVote(voters[1]!, target)).toMatchObject({ ok: false, code: 'phase_closed' });
    expect(await votesOf(target)).toBe(after);
  });

  test.skipIf(skip)('a judge never sees or scores their own team’s idea, nor one they declared a conflict with', async () => {
    const judgeOnTeam = teams[3]!.leader;
    const judge = await makeUser('Juri', { role: 'judge', scope: eventId });
    expect(await assignJudge(citizen, eventId, judge.email, null)).toMatchObject({ ok: false, code: 'forbidden' });
    await assignJudge(admin, eventId, judge.email, null);
    await assignJudge(admin, eventId, judgeOnTeam.email, null);
    const judgeOnTeamNow = { ...judgeOnTeam, roles: [{ role: 'judge' as const, scope: eventId }] };
    for (const c of [
      { name: 'Dampak', description: 'd', weight: 2, scale_max: 5 },
      { name: 'Data', description: 'd', weight: 1, scale_max: 10 },
    ]) {
      await addCriterion(admin, eventId, c);
    }
    const criteria = await db().selectFrom('datathon_criterion').select(['id', 'scale_max']).where('event_id', '=', eventId).orderBy('position').execute();
    const scores = (a: number, b: number) => ({ scores: { [criteria[0]!.id]: a, [criteria[1]!.id]: b }, privateNote: 'catatan pribadi', publicFeedback: 'Bagus.' });
    const own = teams[3]!.submission;
    expect((await eligibleSubmissions(eventId, judgeOnTeam.id)).map((s) => s.id)).not.toContain(own);
    expect(await scoreSubmission(judgeOnTeamNow, own, scores(5, 10))).toMatchObject({ ok: false, code: 'conflict_of_interest' });
    expect(await declareConflict(judge, teams[4]!.submission, 'Saudara saya di tim ini')).toEqual({ ok: true });
    expect((await eligibleSubmissions(eventId, judge.id)).map((s) => s.id)).not.toContain(teams[4]!.submission);
    expect(await scoreSubmission(judge, teams[4]!.submission, scores(5, 10))).toMatchObject({ ok: false, code: 'conflict_of_interest' });
    expect(await scoreSubmission(judge, teams[0]!.submission, scores(6, 10))).toMatchObject({ ok: false, code: 'score_range', params: { criterion: 'Dampak', max: 5 } });
    const none = await db().selectFrom('datathon_score').select('score').where('judge_id', 'in', [judge.id, judgeOnTeam.id]).execute();
    expect(none).toEqual([]);
    // the judge scores three; the leaderboard ranks by the weighted mean and flags the judge with fewer than 3
    expect(await scoreSubmission(judge, teams[0]!.submission, scores(5, 10))).toEqual({ ok: true });
    expect(await scoreSubmission(judge, teams[1]!.submission, scores(3, 4))).toEqual({ ok: true });
    expect(await scoreSubmission(judge, teams[2]!.submission, scores(1, 1))).toEqual({ ok: true });
    expect(await scoreSubmission(judgeOnTeamNow, teams[0]!.submission, scores(5, 10))).toEqual({ ok: true });
    const board = await leaderboard(eventId, 'weighted');
    expect(board.rows.slice(0, 3).map((r) => [r.submission, Math.round(r.raw! * 100) / 100])).toEqual([
      [teams[0]!.submission, 100],
      [teams[1]!.submission, 53.33],
      [teams[2]!.submission, 16.67],
    ]);
    expect(board.judges.find((j) => j.judge === judgeOnTeam.id)).toMatchObject({ count: 1, few: true });
    expect(board.judges.find((j) => j.judge === judge.id)).toMatchObject({ count: 3, few: false });
    // pairwise: the judge compares, the pair never includes the conflicted or own-team idea
    const pair = (await pairFor(eventId, judge.id))!;
    expect(pair).toHaveLength(2);
    expect(pair).not.toContain(teams[4]!.submission);
    expect(await compare(judge, eventId, { first: pair[0], second: pair[1], winner: pair[0] })).toEqual({ ok: true });
    expect(await compare(judge, eventId, { first: pair[0], second: teams[4]!.submission, winner: pair[0] })).toMatchObject({ ok: false, code: 'conflict_of_interest' });
    const pairwise = await leaderboard(eventId, 'crowdbt');
    expect(pairwise.rows[0]!.submission).toBe(pair[0]);
    expect(pairwise.comparisons).toBe(1);
  });

  test.skipIf(skip)('results: published by organisers in the results phase only; the winner is what Badami links to', async () => {
    const awards = [
      { submission: teams[0]!.submission, award: 'winner' as const },
      { submission: teams[1]!.submission, award: 'honourable' as const },
    ];
    expect(await publishResults(admin, eventId, awards)).toMatchObject({ ok: false, code: 'phase_closed' });
    await atPhase('results');
    expect(await publishResults(citizen, eventId, awards)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await results(eventId)).toEqual([]);
    expect(await publishResults(admin, eventId, awards)).toEqual({ ok: true });
    expect((await results(eventId)).map((r) => [r.title, r.award, r.rank])).toEqual([
      ['Ide 0', 'winner', 1],
      ['Ide 1', 'honourable', 2],
    ]);
    const winner = (await winningSubmission(teams[0]!.submission))!;
    expect(winner).toMatchObject({ title: 'Ide 0', award: 'winner', eventId, challengeOpd: 'disdik', datasets: ['penduduk-uji', 'sekolah-uji'], url: `/datathon/submissions/${teams[0]!.submission}` });
    expect(winner.challenge.opd).toBe('disdik');
    expect(winner.team.members.length).toBeGreaterThan(0);
    expect(winner.datasetVersions.map((d) => d.version)).toEqual([expect.stringMatching(/^[0-9a-f]{16}$/), expect.stringMatching(/^[0-9a-f]{16}$/)]);
    // organisers and admins promote it to Badami; its own team does not
    expect(can(admin, 'datathon.promote', winner)).toBe(true);
    expect(can({ id: winner.organisers[0]!, roles: [] }, 'datathon.promote', winner)).toBe(true);
    expect(can(citizen, 'datathon.promote', winner)).toBe(false);
    expect(await winningSubmission(teams[2]!.submission)).toBeNull();
  });

  test.skipIf(skip)('exports for organisers: ideas with datasets and votes, scores raw and normalised', async () => {
    const ideas = await exportTable(eventId, 'submissions');
    const first = ideas.rows.find((r) => r.id === teams[0]!.submission)!;
    expect(first).toMatchObject({ title: 'Ide 0', status: 'submitted', revision: 2 });
    expect(String(first.datasets)).toMatch(/^penduduk-uji@[0-9a-f]{16} sekolah-uji@[0-9a-f]{16}$/);
    expect(ideas.rows.find((r) => r.id === teams[1]!.submission)!.votes).toBe(await votesOf(teams[1]!.submission));
    const scores = await exportTable(eventId, 'scores');
    expect(scores.columns.map((c) => c.key)).toEqual(['judge', 'submission', 'raw:Dampak', 'raw:Data', 'weighted_total', 'z']);
    const top = scores.rows.filter((r) => r.submission === teams[0]!.submission);
    expect(top.map((r) => r.weighted_total)).toEqual([100, 100]);
    expect(top.find((r) => r['raw:Dampak'] === 5 && r.z !== 0)?.z).toBeCloseTo(1.271, 3);
    const votes = await exportTable(eventId, 'votes');
    expect(votes.rows.length).toBe((await db().selectFrom('datathon_vote').select('id').where('event_id', '=', eventId).execute()).length);
    const team = await exportTable(eventId, 'teams');
    expect(team.rows.some((r) => r.leader === true)).toBe(true);
  });
});
