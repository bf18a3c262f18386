import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { launchServer } from '../src/cli/server-process.ts';
import { ensureBuild } from '../src/cli/build-stamp.ts';
import { createSession } from '../src/lib/server/auth/session.ts';
import { SESSION_COOKIE } from '../src/lib/server/auth/settings.ts';
import { closeStores, openStore, transaction } from '../src/lib/server/db/store.ts';
import { createEvent, getEvent, updateEvent } from '../src/lib/server/datathon/events.ts';
import { repo } from './server.ts';

/**
 * Datathon: 2,000 submitted ideas and 50,000 votes seeded in a fresh store (bulk inserts: seeding is not what is
 * measured), then the built server: the gallery and an idea page at 50 connections for 10 s each, next to the
 * catalog page as the baseline measured in the same run (readers without an account, so the gallery and ideas come
 * from the pages kept for them, http/reader-pages.ts, once rendered); a random idea each request (each idea's first
 * view rendered); every idea once right after a vote (nothing kept: what each rendering costs); and 200 signed-in voters voting at once (10 votes each,
 * through the real form endpoint), next to the bare store insert of the same number of votes.
 * Targets on this 2-core machine: pages p95 < 100 ms; votes: 0 errors and every vote counted.
 */
const dataDir = path.join(repo, 'bench/.tmp/datathon-data');
const EVENT = 'bench-datathon';
const SUBMISSIONS = 2_000;
const VOTERS = 2_000;
const VOTES_EACH = 25; // 2,000 × 25 = 50,000 votes
const CONCURRENT_VOTERS = 200;
const VOTES_PER_CONCURRENT_VOTER = 10;
const DAY = 86_400_000;

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);

export async function seed(): Promise<{ submissions: string[]; cookies: string[] }> {
  rmSync(dataDir, { recursive: true, force: true });
  process.env.DATA_DIR = dataDir;
  await openStore();
  const t0 = Date.now();
  const users = ids('u', VOTERS + SUBMISSIONS + CONCURRENT_VOTERS + 1);
  await transaction(async (trx) => {
    for (let i = 0; i < users.length; i += 500) {
      await trx.insertInto('auth_user').values(users.slice(i, i + 500).map((id) => ({ id, email: `${id}@bench.invalid`, name: `Bench ${id}`, password_hash: 'x', email_verified: true, created_at: t0 }))).execute();
    }
    await trx.insertInto('auth_role').values({ user_id: users.at(-1)!, role: 'admin', scope: '', granted_by: null, granted_at: t0 }).execute();
  });
  const admin = { id: users.at(-1)!, roles: [{ role: 'admin' as const, scope: '' }] };
  const schedule = (phase: number) => ({ registration_at: t0 - (phase + 0.5) * DAY, submission_at: t0 - (phase - 0.5) * DAY, voting_at: t0 - (phase - 1.5) * DAY, judging_at: t0 - (phase - 2.5) * DAY, results_at: t0 - (phase - 3.5) * DAY });
  const base = { title: 'Datathon Bench', description: 'Bench.', rules: '', prizes: '', cover_url: null, team_size_max: 4, vote_limit: 50, ranking_method: 'weighted' as const };
  const created = await createEvent(admin, EVENT, { ...base, ...schedule(1) });
  if (!created.ok) throw new Error(`bench event: ${created.code}`);
  const submissions = ids('s', SUBMISSIONS);
  const challenges = ids('c', 4);
  await transaction(async (trx) => {
    await trx.insertInto('datathon_challenge').values(challenges.map((id, i) => ({ id, event_id: EVENT, title: `Tantangan ${i + 1}`, problem: 'Masalah.', opd: 'dinkes', datasets: '[]', position: i }))).execute();
    for (let i = 0; i < SUBMISSIONS; i += 250) {
      const slice = submissions.slice(i, i + 250);
      const teams = slice.map((id, k) => ({ id: `t${id}`, event_id: EVENT, name: `Tim ${i + k}`, leader_id: users[VOTERS + i + k]!, invite_code: `inv${id}`, invite_expires_at: t0, created_at: t0 }));
      await trx.insertInto('datathon_team').values(teams).execute();
      await trx.insertInto('datathon_member').values(teams.map((t) => ({ team_id: t.id, event_id: EVENT, user_id: t.leader_id, joined_at: t0 }))).execute();
      await trx
        .insertInto('datathon_submission')
        .values(
          slice.map((id, k) => ({
            id,
            event_id: EVENT,
            team_id: `t${id}`,
            challenge_id: challenges[(i + k) % 4]!,
            title: `Ide nomor ${i + k} tentang data kota`,
            summary: 'Ringkasan ide untuk pengukuran.',
            problem: 'Masalah yang ingin dipecahkan. '.repeat(10),
            solution: 'Solusi yang diusulkan tim. '.repeat(30),
            repo_url: '',
            demo_url: '',
            video_url: '',
            status: 'submitted',
            revision: 1,
            created_at: t0 + i + k,
            updated_at: t0 + i + k,
            submitted_at: t0 + i + k,
          })),
        )
        .execute();
    }
    const votes = [];
    for (let v = 0; v < VOTERS; v++) for (let k = 0; k < VOTES_EACH; k++) votes.push({ event_id: EVENT, submission_id: submissions[(v * 37 + k * 101) % SUBMISSIONS]!, user_id: users[v]!, created_at: t0 });
    for (let i = 0; i < votes.length; i += 1000) await trx.insertInto('datathon_vote').values(votes.slice(i, i + 1000)).execute();
  });
  const event = (await getEvent(EVENT))!;
  await updateEvent(admin, EVENT, { ...event, ...schedule(2) }); // now in public voting
  const voters = users.slice(VOTERS + SUBMISSIONS, VOTERS + SUBMISSIONS + CONCURRENT_VOTERS);
  const cookies = await Promise.all(voters.map(async (id) => `${SESSION_COOKIE}=${(await createSession(id)).token}`));
  console.log(`seeded ${SUBMISSIONS} ideas, ${VOTERS * VOTES_EACH} votes in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { submissions, cookies };
}

/** The bare store insert: the same number of votes, one transaction each, 200 at a time, in this process. */
async function bareInserts(): Promise<void> {
  const users = ids('u', CONCURRENT_VOTERS);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const latencies: number[] = [];
  await Promise.all(
    users.map(async (user, v) => {
      for (let k = 0; k < VOTES_PER_CONCURRENT_VOTER; k++) {
        const t = performance.now();
        await transaction((trx) => trx.insertInto('datathon_vote').values({ event_id: EVENT, submission_id: `s${String((v * 13 + k * 7 + 1000) % SUBMISSIONS).padStart(5, '0')}`, user_id: user, created_at: Date.now() }).onConflict((oc) => oc.doNothing()).execute());
        latencies.push(performance.now() - t);
      }
    }),
  );
  report('baseline: bare store insert of a vote (in process)', latencies, performance.now() - started, 0);
  const used = process.cpuUsage(cpu);
  console.log(`  CPU ${((used.user + used.system) / 1000 / latencies.length).toFixed(2)} ms/vote`);
}

function report(name: string, latencies: number[], elapsedMs: number, errors: number): void {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) / 10;
  console.log(`-- ${name}\n  ${latencies.length} votes in ${(elapsedMs / 1000).toFixed(2)} s: ${((latencies.length / elapsedMs) * 1000).toFixed(0)} votes/s, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, errors ${errors}`);
}

/**
 * The server process's CPU time so far (user + system, ms), from /proc: on a shared machine the wall figures move
 * with everyone else's load, CPU time per request much less. Linux only (NaN elsewhere); 100 ticks a second.
 */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

let serverPid: number | undefined;

async function page(url: string, name: string, target: number | null, vary?: () => string, amount?: number): Promise<void> {
  if (amount === undefined) await autocannon({ url, connections: 10, duration: 2 });
  const cpuBefore = cpuMs(serverPid);
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const options: autocannon.Options = amount === undefined ? { url, connections: 50, duration: Number(process.env.BENCH_SECONDS ?? 10) } : { url, connections: 50, amount };
    if (vary) options.requests = [{ setupRequest: (request) => ({ ...request, path: vary() }) }];
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_c: unknown, _s: number, _b: number, ms: number) => latencies.push(ms));
  });
  const cpuPerRequest = (cpuMs(serverPid) - cpuBefore) / Math.max(1, latencies.length);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) / 10;
  const p95 = at(0.95);
  const verdict = target === null ? '(baseline)' : `(target p95 < ${target} ms) ${p95 < target ? 'OK' : 'OVER'}`;
  console.log(`-- ${name}\n  ${result.requests.average.toFixed(0)} req/s, p50 ${at(0.5)} ms, p95 ${p95} ms, p99 ${at(0.99)} ms, errors ${result.errors + result.non2xx} ${verdict}; server CPU ${cpuPerRequest.toFixed(2)} ms/request`);
}

/** One vote through the form endpoint: a datathon write, so every page kept for readers is rendered anew. */
async function castOneVoteEach(base: string, cookie: string, ideas: string[]): Promise<void> {
  for (const submission of ideas) {
    const response = await fetch(`${base}/_actions/datathon.vote`, {
      method: 'POST',
      headers: { cookie, origin: base, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ submission }),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`bench vote: ${response.status}`);
  }
}

export async function run(): Promise<void> {
  const { submissions, cookies } = await seed();
  await closeStores();
  await ensureBuild(repo, () => {});
  const { freePort } = await import('../tests/helpers/server.ts');
  const server = await launchServer({
    root: repo,
    host: '127.0.0.1',
    port: await freePort(),
    // rate limits refill at once here: 200 voters from one address would otherwise be stopped by the per-address limit
    env: { ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, KOTA_SCHEDULER: 'off', KOTA_PREWARM: 'off', AUTH_RATE_LIMIT_SCALE: '0.000001' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  serverPid = server.child.pid;
  try {
    const base = server.url;
    await page(`${base}/datasets`, 'baseline: catalog page /datasets', null);
    await page(`${base}/datathon/gallery?event=${EVENT}`, `gallery, newest first (${SUBMISSIONS} ideas)`, 100);
    await page(`${base}/datathon/gallery?event=${EVENT}&sort=votes`, 'gallery, most voted first (counts 50,000 votes)', 100);
    await page(`${base}/datathon/gallery?event=${EVENT}&q=nomor%20kota`, 'gallery, full-text search', 100);
    await page(`${base}/datathon/submissions/${submissions[42]}`, 'idea page (one idea)', 100);
    const random = () => `/datathon/submissions/${submissions[Math.floor(Math.random() * SUBMISSIONS)]}`;
    await page(`${base}${random()}`, `idea page, a random one of the ${SUBMISSIONS} each request (each one's first view is rendered)`, 100, random);
    // Every idea viewed once more after a vote on each has changed what the pages show: nothing kept can answer.
    let next = 0;
    const inTurn = () => `/datathon/submissions/${submissions[next++ % SUBMISSIONS]}`;
    await castOneVoteEach(base, cookies[0]!, [submissions[SUBMISSIONS - 1]!]); // counted below
    await page(`${base}${inTurn()}`, `idea page, each of the ${SUBMISSIONS} once, none kept (every request rendered)`, null, inTurn, SUBMISSIONS);

    // 200 signed-in voters at once, each voting for 10 ideas one after another, through the form endpoint
    const latencies: number[] = [];
    let errors = 0;
    const started = performance.now();
    const cpuBefore = cpuMs(serverPid);
    await Promise.all(
      cookies.map(async (cookie, v) => {
        for (let k = 0; k < VOTES_PER_CONCURRENT_VOTER; k++) {
          const t = performance.now();
          const response = await fetch(`${base}/_actions/datathon.vote`, {
            method: 'POST',
            headers: { cookie, origin: base, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ submission: submissions[(v * 11 + k * 3) % SUBMISSIONS]! }),
          });
          await response.arrayBuffer();
          latencies.push(performance.now() - t);
          if (!response.ok) errors++;
        }
      }),
    );
    report(`${CONCURRENT_VOTERS} voters at once, ${VOTES_PER_CONCURRENT_VOTER} votes each (POST /_actions/datathon.vote)`, latencies, performance.now() - started, errors);
    console.log(`  server CPU ${((cpuMs(serverPid) - cpuBefore) / latencies.length).toFixed(2)} ms/vote`);
  } finally {
    await server.stop();
  }
  process.env.DATA_DIR = dataDir;
  const { db } = await import('../src/lib/server/db/store.ts');
  const { n } = await db().selectFrom('datathon_vote').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const expected = VOTERS * VOTES_EACH + CONCURRENT_VOTERS * VOTES_PER_CONCURRENT_VOTER + 1;
  console.log(`  votes in the store: ${Number(n)} (expected ${expected}: ${Number(n) === expected ? 'every vote counted once' : 'MISMATCH'})`);
  await bareInserts();
  await closeStores();
}
