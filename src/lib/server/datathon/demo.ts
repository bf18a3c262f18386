import { hashPassword } from '../auth/password.ts';
import { randomId } from '../auth/secret.ts';
import { createUser, getUser, getUserByEmail, type User } from '../auth/user.ts';
import { grantRole } from '../auth/roles.ts';
import { now } from '../clock.ts';
import { datathonWrite } from './write.ts';
import { saveChallenge } from './challenges.ts';
import { compare, pairFor } from './comparisons.ts';
import { addCriterion, DEFAULT_RUBRIC, listCriteria } from './criteria.ts';
import { openDatasets } from './datasets.ts';
import { createEvent, getEvent, updateEvent, type EventInput } from './events.ts';
import { recordPhaseSilently } from './phase-announcements.ts';
import { assignJudge } from './judges.ts';
import { DEMO_EVENTS, type DemoEvent } from './demo-content.ts';
import type { Phase } from './phases.ts';
import { publishResults } from './results.ts';
import { scoreSubmission } from './scores.ts';
import { saveSubmission, setSubmitted } from './submissions.ts';
import { createTeam } from './teams.ts';
import { castVote } from './votes.ts';

/**
 * Demo content, labelled as such (events flagged demo, accounts at demo.invalid that cannot log in): one finished
 * event with published results and one in its public-voting phase, on the datasets in the lake. Built through the
 * domain's own functions, moving each event's schedule as an organiser would, so the demo obeys every rule it
 * shows. Idempotent: an event that exists is left alone.
 */
const DAY = 86_400_000;

export async function seedDemo(): Promise<string[]> {
  const created: string[] = [];
  for (const demo of DEMO_EVENTS) {
    if (await getEvent(demo.id)) continue;
    await seedEvent(demo);
    // Seeding moved it through several phases at once: its (made-up) people are not told of any.
    await recordPhaseSilently(demo.id);
    created.push(demo.id);
  }
  return created;
}

async function seedEvent(demo: DemoEvent): Promise<void> {
  const organiser = await demoUser('panitia', 'Panitia Demo', { role: 'official', scope: 'diskominfo' });
  const at = (phase: Phase) => schedule(phase);
  const input: EventInput = { ...demo.event, cover_url: null, ...at('submission') };
  expectOk(await createEvent(organiser, demo.id, input), demo.id);
  await datathonWrite((trx) => trx.updateTable('datathon_event').set({ demo: true }).where('id', '=', demo.id).execute());
  for (const c of DEFAULT_RUBRIC) await addCriterion(organiser, demo.id, c);
  const challengeIds: string[] = [];
  for (const c of demo.challenges) {
    const { found } = await openDatasets(c.datasets);
    const saved = await saveChallenge(organiser, demo.id, { ...c, datasets: found.map((m) => m.dataset) });
    challengeIds.push(expectOk(saved, c.title).id);
  }
  const submissions: { id: string; members: User[] }[] = [];
  for (const [i, idea] of demo.ideas.entries()) {
    const members = await Promise.all([0, 1, 2].map((m) => demoUser(`${demo.id}-t${i}-${m}`, `${idea.team} ${m + 1} (demo)`)));
    const team = expectOk(await createTeam(members[0]!, demo.id, idea.team), idea.team);
    for (const m of members.slice(1)) await datathonWrite((trx) => trx.insertInto('datathon_member').values({ team_id: team.id, event_id: demo.id, user_id: m.id, joined_at: now() }).execute());
    const { found } = await openDatasets(idea.datasets);
    const saved = expectOk(
      await saveSubmission(members[0]!, demo.id, {
        challenge_id: challengeIds[idea.challenge % challengeIds.length]!,
        title: idea.title,
        summary: idea.summary,
        problem: idea.problem,
        solution: idea.solution,
        repo_url: '',
        demo_url: '',
        video_url: '',
        datasets: found.map((m) => m.dataset),
      }),
      idea.title,
    );
    await setSubmitted(members[0]!, saved.id, true);
    submissions.push({ id: saved.id, members });
  }
  // public voting: each demo citizen gives up to the limit, more to the earlier ideas
  await moveTo(organiser, demo.id, 'voting');
  for (let v = 0; v < demo.voters; v++) {
    const voter = await demoUser(`${demo.id}-warga-${v}`, `Warga ${v + 1} (demo)`);
    for (let k = 0; k < demo.event.vote_limit; k++) {
      const pick = submissions[(v * 7 + k * k) % Math.max(1, Math.min(submissions.length, 2 + ((v + k) % submissions.length)))];
      if (pick) await castVote(voter, pick.id);
    }
  }
  const judges = await Promise.all(['Juri A', 'Juri B', 'Juri C'].map((name, i) => demoUser(`${demo.id}-juri-${i}`, `${name} (demo)`)));
  for (const j of judges) await assignJudge(organiser, demo.id, j.email, null);
  if (!demo.finished) {
    await moveTo(organiser, demo.id, 'voting');
    return;
  }
  await moveTo(organiser, demo.id, 'judging');
  const criteria = await listCriteria(demo.id);
  for (const [ji, j] of judges.entries()) {
    const judge = (await getUser(j.id))!;
    for (const [si, s] of submissions.entries()) {
      // a strict judge (ji = 1) and a lenient one: what the z-score method corrects for
      const base = Math.max(1, Math.min(5, 5 - Math.floor(si / 2) + (ji === 2 ? 1 : 0) - (ji === 1 ? 1 : 0)));
      const scores = Object.fromEntries(criteria.map((c, ci) => [c.id, Math.max(1, Math.min(c.scale_max, base - (ci + si + ji) % 2))]));
      await scoreSubmission(judge, s.id, { scores, privateNote: '', publicFeedback: ji === 0 ? 'Pemanfaatan data yang jelas; perlu rencana uji coba dengan OPD. (umpan balik demo)' : '' });
    }
    for (let k = 0; k < 6; k++) {
      const pair = await pairFor(demo.id, judge.id);
      if (!pair) break;
      const winner = submissions.findIndex((s) => s.id === pair[0]) < submissions.findIndex((s) => s.id === pair[1]) ? pair[0] : pair[1];
      await compare(judge, demo.id, { first: pair[0], second: pair[1], winner });
    }
  }
  await moveTo(organiser, demo.id, 'results');
  await publishResults(organiser, demo.id, [
    { submission: submissions[0]!.id, award: 'winner' },
    ...submissions.slice(1, 3).map((s) => ({ submission: s.id, award: 'honourable' as const })),
  ]);
  // the finished event ended some weeks ago
  const event = (await getEvent(demo.id))!;
  await updateEvent(organiser, demo.id, { ...event, ...schedule('results', now() - 30 * DAY) });
}

/** Phase starts placed so `phase` is current now: registration 20 days ago … results in 20 days, shifted. */
function schedule(phase: Phase, at = now()) {
  const offsets = { registration: 0, submission: 6, voting: 18, judging: 28, results: 38 };
  const start = at - (offsets[phase] + 1) * DAY;
  return {
    registration_at: start,
    submission_at: start + 6 * DAY,
    voting_at: start + 18 * DAY,
    judging_at: start + 28 * DAY,
    results_at: start + 38 * DAY,
  };
}

async function moveTo(organiser: User, eventId: string, phase: Phase): Promise<void> {
  const event = (await getEvent(eventId))!;
  expectOk(await updateEvent(organiser, eventId, { ...event, ...schedule(phase) }), `${eventId} → ${phase}`);
}

let unusableHash: Promise<string> | undefined;
async function demoUser(key: string, name: string, grant?: { role: 'official'; scope: string }): Promise<User> {
  const email = `demo-${key}@demo.invalid`;
  let user = await getUserByEmail(email);
  // a hash of a secret nobody keeps: demo accounts exist to be shown, never to log in
  if (!user) user = await createUser({ email, name, passwordHash: await (unusableHash ??= hashPassword(randomId(24))), emailVerified: true });
  if (grant) await grantRole(user.id, grant, null);
  return (await getUser(user.id))!;
}

function expectOk<T extends object>(outcome: ({ ok: true } & T) | { ok: false; code: string; field?: string }, what: string): T {
  if (!outcome.ok) throw new Error(`demo content: ${what}: ${outcome.code}${outcome.field ? ` (${outcome.field})` : ''}`);
  return outcome;
}
