import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchServer } from '../src/cli/server-process.ts';
import { ensureBuild } from '../src/cli/build-stamp.ts';
import { PENDUDUK_FIELDS, publishTestVersion } from '../tests/helpers/lake.ts';
import { makeTempDir, removeDir } from '../tests/helpers/temp.ts';
import { freePort } from '../tests/helpers/server.ts';
import { SESSION_COOKIE } from '../src/lib/server/auth/settings.ts';
import { measure } from './page-load.ts';

/**
 * Discussions under load: a dataset thread with 300 comments (a third of them replies), read by a visitor and by a
 * signed-in official who moderates it (flags, official marks, the bell), and the notifications page of a person with
 * 5,000 notifications, each at 50 connections — next to the health endpoint and the catalog page measured in the
 * same run. The datathon and Badami pages embed the same thread, so their p95 < 100 ms target includes it.
 */
const COMMENTS = 300;
const NOTIFICATIONS = 5_000;

async function seed(dataDir: string): Promise<{ cookie: string }> {
  const log = console.log;
  console.log = () => {}; // the outbox prints the reply e-mails it would send
  try {
    return await seedQuietly(dataDir);
  } finally {
    console.log = log;
  }
}

async function seedQuietly(dataDir: string): Promise<{ cookie: string }> {
  process.env.DATA_DIR = dataDir;
  process.env.AUTH_RATE_LIMIT_SCALE = '0.000001';
  await publishTestVersion(dataDir, { id: 'penduduk-kecamatan', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Andir', jumlah_penduduk: 97123 }] });
  // The seeding process needs the catalog to know the dataset; it keeps its own index so the server opens its own.
  process.env.KOTA_CATALOG_INDEX = path.join(dataDir, '..', 'seed-catalog.duckdb');
  await (await import('../src/lib/server/catalog/sync.ts')).syncCatalog();
  const { createUser } = await import('../src/lib/server/auth/user.ts');
  const { grantRole } = await import('../src/lib/server/auth/roles.ts');
  const { createSession } = await import('../src/lib/server/auth/session.ts');
  const { postComment } = await import('../src/lib/server/community/comments.ts');
  const { flagComment } = await import('../src/lib/server/community/moderation.ts');
  const { notify } = await import('../src/lib/server/community/notifications.ts');
  const { getUser } = await import('../src/lib/server/auth/user.ts');
  const { closeStores } = await import('../src/lib/server/db/store.ts');
  const old = Date.now() - 90 * 86_400_000;
  const { setClock } = await import('../src/lib/server/clock.ts');
  setClock(() => old);
  const people = [];
  for (let i = 0; i < 20; i++) people.push(await createUser({ email: `warga${i}@bench.test`, name: `Warga ${i}`, passwordHash: 'x', emailVerified: true }));
  const official = await createUser({ email: 'pejabat@bench.test', name: 'Pejabat', passwordHash: 'x', emailVerified: true });
  await grantRole(official.id, { role: 'official', scope: 'disdukcapil' }, null);
  setClock(undefined);
  const ids: string[] = [];
  const body = 'Apakah data **2024** tersedia per kelurahan? Lihat juga [portal](https://data.example.go.id) dan `kode` ini.\n\n- satu\n- dua';
  for (let i = 0; i < COMMENTS; i++) {
    const author = (await getUser(people[i % people.length]!.id))!;
    const parentId = i % 3 === 2 ? ids[ids.length - 1] : undefined;
    const posted = await postComment(author, { subject: 'dataset:penduduk-kecamatan', parentId, body: `${body} (${i})` });
    if (!posted.ok) throw new Error(`seeding comment ${i}: ${posted.code}`);
    ids.push(posted.id);
    if (i % 25 === 0) await flagComment(people[(i + 1) % people.length]!, { id: posted.id, reason: 'spam' });
  }
  const subject = { ref: 'dataset:penduduk-kecamatan', title: 'Jumlah Penduduk per Kecamatan', url: '/discussions/dataset/penduduk-kecamatan' };
  for (let i = 0; i < NOTIFICATIONS; i++) await notify([official.id], { kind: 'community.comment_followed', subject, actorId: people[i % people.length]!.id, anchor: `#comment-${ids[i % ids.length]}` });
  const { token } = await createSession(official.id);
  await closeStores();
  return { cookie: `${SESSION_COOKIE}=${token}` };
}

export async function run(): Promise<void> {
  const repo = path.resolve(import.meta.dirname, '..');
  await ensureBuild(repo, () => {});
  const root = makeTempDir('kota-bench-community-');
  const dataDir = path.join(root, 'data');
  mkdirSync(path.join(root, 'pipelines'));
  const { cookie } = await seed(dataDir);
  const port = await freePort();
  const server = await launchServer({
    root: repo,
    host: '127.0.0.1',
    port,
    env: { ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, KOTA_CATALOG_INDEX: path.join(dataDir, 'catalog.duckdb'), AUTH_RATE_LIMIT_SCALE: '1', KOTA_SCHEDULER: 'off', KOTA_PREWARM: 'off', PIPELINES_DIR: path.join(root, 'pipelines') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  console.log(`load average before: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);
  const cases: { name: string; path: string; headers: Record<string, string> }[] = [
    { name: 'baseline: health endpoint', path: '/api/v1/health', headers: {} },
    { name: 'baseline: catalog page', path: '/datasets', headers: {} },
    { name: `thread page, ${COMMENTS} comments, visitor`, path: '/discussions/dataset/penduduk-kecamatan', headers: {} },
    { name: `thread page, ${COMMENTS} comments, signed-in moderator (flags, bell, all controls)`, path: '/discussions/dataset/penduduk-kecamatan', headers: { cookie } },
    { name: `notifications page, ${NOTIFICATIONS} notifications (50 shown)`, path: '/notifications', headers: { cookie } },
  ];
  try {
    for (const c of cases) {
      const r = await measure(`${server.url}${c.path}`, c.headers, seconds);
      console.log(`-- ${c.name}\n  alone: median ${r.single} ms; 50 connections: ${r.rps} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms, errors ${r.errors}`);
    }
  } finally {
    await server.stop();
    removeDir(root);
  }
}
