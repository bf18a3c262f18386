import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchServer } from '../src/cli/server-process.ts';
import { ensureBuild } from '../src/cli/build-stamp.ts';
import { makeTempDir, removeDir } from '../tests/helpers/temp.ts';
import { freePort } from '../tests/helpers/server.ts';
import { measure } from './page-load.ts';

/**
 * The Badami board under load: 2,000 innovations over ten OPDs and every stage, 20,000 progress updates and 100,000
 * KPI measurements (two KPIs per innovation), then the board (anonymous and signed in as an official), the table
 * (first page and a filtered one), the map view, the city and one OPD's dashboard and an innovation's page at 50
 * connections, next to the health endpoint measured in the same run, each with the server's CPU time per request (the
 * figure to compare on a loaded machine). Target: p95 < 100 ms.
 */
const INNOVATIONS = 2_000;
const UPDATES = 20_000;
const MEASUREMENTS = 100_000;
const OPDS = ['dinkes', 'disdik', 'dishub', 'disdukcapil', 'dlh', 'diskominfo', 'bappelitbang', 'bpkad', 'disbudpar', 'dpkp'];
const STAGES = ['ide', 'inisiatif', 'uji_coba', 'penerapan', 'replikasi', 'dihentikan'] as const;

async function seed(dataDir: string): Promise<{ cookie: string }> {
  process.env.DATA_DIR = dataDir;
  const { openStore, closeStores, transaction } = await import('../src/lib/server/db/store.ts');
  const { createUser } = await import('../src/lib/server/auth/user.ts');
  const { createInnovation } = await import('../src/lib/server/badami/innovations.ts');
  await openStore();
  const user = await createUser({ email: 'bench@badami.test', name: 'Bench', passwordHash: '!', emailVerified: true });
  const actor = { id: user.id, roles: [{ role: 'admin' as const, scope: '' }] };
  const ids: string[] = [];
  for (let i = 0; i < INNOVATIONS; i++) {
    const made = await createInnovation(
      actor,
      {
        title: `Inovasi uji beban ${i}`, summary: 'Inovasi sintetis untuk mengukur papan Badami di bawah beban.', opd: OPDS[i % OPDS.length]!, initiator: 'opd',
        innovation_type: 'digital', form: 'pelayanan_publik', affair: 'kesehatan', design: '', goals: '', benefits: '', results: '', budget: null, start_date: null,
        contacts: [], city_wide: i % 3 === 0, kecamatan: i % 3 === 0 ? [] : [`32.73.${String((i % 30) + 1).padStart(2, '0')}`], origin_kind: 'opd', origin_title: '', origin_url: '',
        topics: ['uji'], sdgs: [3], datasets: [], parent_id: null,
      },
      { stage: STAGES[i % STAGES.length], id: `bench${i}` },
    );
    if (!made.ok) throw new Error(`seeding innovation ${i}: ${JSON.stringify(made)}`);
    ids.push(made.id);
  }
  const now = Date.now();
  const kpiIds: number[] = [];
  await transaction(async (trx) => {
    for (let start = 0; start < ids.length; start += 200) {
      const rows = ids.slice(start, start + 200).flatMap((id) =>
        [0, 1].map((k) => ({ innovation_id: id, name: `KPI ${k}`, unit: '%', baseline: 10, target: 90, target_on: '2027-12-31', direction: 'higher', dataset_id: null, query: null, binding_error: null, binding_version: null, binding_checked_at: null, created_at: now, updated_at: now })),
      );
      const inserted = await trx.insertInto('badami_kpi').values(rows).returning('id').execute();
      kpiIds.push(...inserted.map((r) => Number(r.id)));
    }
    for (let start = 0; start < UPDATES; start += 500) {
      const rows = Array.from({ length: 500 }, (_, j) => {
        const n = start + j;
        return { innovation_id: ids[n % ids.length]!, author_id: user.id, title: `Kabar ${n}`, body: 'Kabar **singkat**.', body_html: '<p>Kabar <strong>singkat</strong>.</p>', posted_at: now - (n % 200) * 86_400_000 };
      });
      await trx.insertInto('badami_update').values(rows).execute();
    }
    for (let start = 0; start < MEASUREMENTS; start += 1000) {
      const rows = Array.from({ length: 1000 }, (_, j) => {
        const n = start + j;
        const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(n / kpiIds.length) * 86_400_000).toISOString().slice(0, 10);
        return { kpi_id: kpiIds[n % kpiIds.length]!, measured_on: day, value: 10 + (n % 80), source: 'manual', dataset_id: null, dataset_version: null, note: '', created_by: user.id, created_at: now };
      });
      await trx.insertInto('badami_measurement').values(rows).execute();
    }
    await trx.updateTable('badami_innovation').set({ last_update_at: now }).execute();
  });
  // An official of one OPD: the board signed in is rendered for them (move forms on their OPD's cards), never kept.
  const { grantRole } = await import('../src/lib/server/auth/roles.ts');
  const { createSession } = await import('../src/lib/server/auth/session.ts');
  const { SESSION_COOKIE } = await import('../src/lib/server/auth/settings.ts');
  await grantRole(user.id, { role: 'official', scope: 'dinkes' }, null);
  const { token } = await createSession(user.id);
  await closeStores();
  return { cookie: `${SESSION_COOKIE}=${token}` };
}

export async function run(): Promise<void> {
  const repo = path.resolve(import.meta.dirname, '..');
  await ensureBuild(repo, () => {});
  const root = makeTempDir('kota-bench-badami-');
  const dataDir = path.join(root, 'data');
  mkdirSync(path.join(root, 'pipelines'));
  const started = performance.now();
  const { cookie } = await seed(dataDir);
  console.log(`seeded ${INNOVATIONS} innovations, ${UPDATES} updates, ${MEASUREMENTS} measurements in ${Math.round((performance.now() - started) / 1000)} s`);
  // The map view draws on the real kecamatan boundaries (the repository's reference pipeline).
  Object.assign(process.env, { KOTA_ROOT: repo, PIPELINES_DIR: 'pipelines', KOTA_CONFIG: 'kota.config.yaml' });
  const { runPipeline } = await import('../src/lib/server/pipelines/runner.ts');
  if ((await runPipeline('batas-kecamatan')).exitCode !== 0) throw new Error('batas-kecamatan did not publish');
  const port = await freePort();
  const server = await launchServer({
    root: repo,
    host: '127.0.0.1',
    port,
    env: { ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, KOTA_CATALOG_INDEX: path.join(dataDir, 'catalog.duckdb'), KOTA_SCHEDULER: 'off', KOTA_PREWARM: 'off', PIPELINES_DIR: path.join(root, 'pipelines') },
    stdio: ['ignore', 'ignore', 'inherit'],
    // BENCH_PROFILE=<dir>: the server writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
    execArgv: process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
  });
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  const cases = [
    { name: 'baseline: health endpoint', path: '/api/v1/health' },
    { name: `board (kanban), ${INNOVATIONS} innovations`, path: '/badami' },
    { name: 'board signed in (an official of one OPD: move forms on its cards, not kept)', path: '/badami', headers: { cookie } },
    { name: 'board signed in, filtered to no card (what the signed-in page costs without the cards)', path: '/badami?q=tidak-ada-yang-cocok', headers: { cookie } },
    { name: 'table view, first page of 50', path: '/badami?view=table' },
    { name: 'table view filtered (one OPD, at risk or stalled)', path: '/badami?view=table&opd=dinkes&health=at_risk&health=stalled' },
    { name: 'map view (30 kecamatan)', path: '/badami?view=map' },
    { name: 'city dashboard', path: '/badami/dashboard' },
    { name: 'one OPD\'s dashboard', path: '/badami/dashboard?opd=dinkes' },
    { name: `innovation page (${UPDATES / INNOVATIONS} updates, ${MEASUREMENTS / INNOVATIONS} measurements)`, path: '/badami/innovations/bench7' },
  ];
  try {
    // The first request after a Badami write rebuilds the dashboard (its SQL aggregates and SVG); later ones are cached.
    const cold = performance.now();
    await (await fetch(`${server.url}/badami/dashboard`)).arrayBuffer();
    console.log(`-- city dashboard, first request (aggregates + SVG, nothing cached): ${Math.round(performance.now() - cold)} ms`);
    for (const c of cases) {
      const headers: Record<string, string> = ('headers' in c && c.headers) || {};
      const cpu = await cpuPerRequest(server.child.pid!, `${server.url}${c.path}`, headers);
      const r = await measure(`${server.url}${c.path}`, headers, seconds);
      console.log(`-- ${c.name}\n  server CPU ${cpu.toFixed(1)} ms/request (one at a time); alone: median ${r.single} ms; 50 connections: ${r.rps} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms, errors ${r.errors}`);
    }
  } finally {
    await server.stop();
    removeDir(root);
  }
}

/** User + system CPU time of a process so far, in ms (Linux /proc; 100 clock ticks per second here). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * The server's CPU time per request, 40 requests one at a time after 5 to warm up: unlike latency it hardly moves
 * when other work shares the machine, so it is the figure to compare between runs on a loaded machine.
 */
async function cpuPerRequest(pid: number, url: string, headers: Record<string, string>, times = 40): Promise<number> {
  for (let i = 0; i < 5; i++) await (await fetch(url, { headers })).arrayBuffer();
  const before = cpuMs(pid);
  for (let i = 0; i < times; i++) await (await fetch(url, { headers })).arrayBuffer();
  return (cpuMs(pid) - before) / times;
}
