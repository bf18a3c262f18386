import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { baseSpec } from '../helpers/pipeline-project.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { POSTGRES_URL, storeEnvironment } from '../helpers/store.ts';
import { waitFor } from '../helpers/temp.ts';
import { adminCli, Client } from './auth-helpers.ts';

/**
 * A fleet: two server processes on two ports sharing one PostgreSQL database and one lake (DATA_DIR), each with its
 * own catalog index, as README's "Running several servers" describes. They must behave as one site: sessions,
 * logouts and rate limits are shared, new versions show on both by their own polling, and a schedule due every minute runs
 * once per tick, not once per server.
 */
const password = 'sandi armada yang panjang';
const MINUTE = 60_000;

describe.skipIf(!POSTGRES_URL)('two servers, one PostgreSQL, one lake', () => {
  let environment: Awaited<ReturnType<typeof storeEnvironment>>;
  let a: TestServer;
  let b: TestServer;
  let source: Server;
  let sourceUrl: string;

  beforeAll(async () => {
    environment = await storeEnvironment('postgres');
    const { dataDir } = environment;
    await publishTestVersion(dataDir, { id: 'penduduk-kecamatan', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Andir', jumlah_penduduk: 97123 }] });
    // A pipeline scheduled every minute, reading its source over HTTP from this test.
    source = createServer((_req, res) => res.end('kecamatan,jumlah\nAndir,1\nCoblong,2\n'));
    await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
    sourceUrl = `http://127.0.0.1:${(source.address() as { port: number }).port}/data.csv`;
    const pipelines = path.join(dataDir, '..', `${path.basename(dataDir)}-pipelines`);
    mkdirSync(path.join(pipelines, 'tiap-menit'), { recursive: true });
    writeFileSync(path.join(pipelines, 'tiap-menit', 'pipeline.yaml'), stringify(baseSpec({ schedule: '* * * * *', source: { url: sourceUrl, format: 'csv' } })));

    expect(adminCli(dataDir, ['create-user', '--email', 'armada@kota.test', '--name', 'Armada'], `${password}\n`, environment.env).status).toBe(0);
    const server = (index: string) =>
      startTestServer({
        dataDir,
        env: {
          ...environment.env,
          PIPELINES_DIR: pipelines,
          KOTA_SCHEDULER: 'on',
          KOTA_PREWARM: 'off',
          KOTA_CATALOG_INDEX: path.join(dataDir, `catalog-${index}.duckdb`),
        },
      });
    [a, b] = await Promise.all([server('a'), server('b')]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    source?.close();
    await environment?.cleanup();
  });

  test('a session made on A works on B; logging out on B ends it on A', async () => {
    const onA = new Client(a.url);
    await onA.logIn('armada@kota.test', password);
    const onB = new Client(b.url);
    for (const [key, value] of onA.cookies) onB.cookies.set(key, value);
    expect((await onB.get('/account')).status).toBe(200);
    expect((await onB.post('/logout')).status).toBe(303);
    const refused = await onA.get('/account');
    expect(refused.status).toBe(302);
    expect(refused.location).toMatch(/^\/login/);
  });

  test('failed log-ins count against one limit across both servers', async () => {
    const attempt = (server: TestServer) => new Client(server.url).post('/login?_action=auth.login', { email: 'armada@kota.test', password: 'salah sekali ya' });
    // login.account allows 5 failures per address; spread them over both servers.
    for (const server of [a, b, a, b, a]) expect((await attempt(server)).status).toBe(401);
    expect((await attempt(b)).status).toBe(429);
    expect((await attempt(a)).status).toBe(429);
  });

  // Each server polls the lake every 2 s (catalog/sync.ts), which is where README's "within 5 s" comes from. This
  // test proves that a version reaches both servers with no restart and no request to trigger it; how fast is not a
  // test's business on a shared machine, so it waits up to a minute and prints how long it took.
  test('a version published to the shared lake shows on both servers, with no restart, by their own polling', { timeout: 90_000 }, async () => {
    for (const server of [a, b]) expect((await server.get('/datasets/penduduk-kecamatan')).text).not.toContain('105321');
    const published = Date.now();
    await publishTestVersion(environment.dataDir, {
      id: 'penduduk-kecamatan',
      fields: PENDUDUK_FIELDS,
      rows: [{ kecamatan: 'Sukajadi', jumlah_penduduk: 105321 }],
      publishedAt: new Date().toISOString(),
    });
    const seenAfter = await Promise.all(
      [a, b].map(async (server) => {
        await waitFor(async () => (await server.get('/datasets/penduduk-kecamatan')).text.includes('105321'), {
          timeoutMs: 60_000,
          intervalMs: 250,
          what: `the new version on ${server.url}`,
        }).catch((error: Error) => {
          throw new Error(`${error.message}\n--- server output ---\n${server.output().slice(-3000)}`);
        });
        return Date.now() - published;
      }),
    );
    console.info(`[fleet] the new version showed on A after ${seenAfter[0]} ms and on B after ${seenAfter[1]} ms`);
  });

  test('a schedule due every minute runs once per tick across the fleet, never twice, over two minutes', { timeout: 200_000 }, async () => {
    const firstTick = Math.ceil((Date.now() + 1000) / MINUTE) * MINUTE;
    const secondTick = firstTick + MINUTE;
    const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
    // Runs of earlier ticks (a minute or more ago) have ended by now; count only what the next two ticks start.
    await sleepUntil(firstTick - 1000);
    const from = { a: a.output().length, b: b.output().length };
    // Wait until both ticks have fired and their runs ended, well before a third tick.
    await sleepUntil(secondTick + 20_000);
    const ended = (server: TestServer, offset: number) => server.output().slice(offset).split('\n').filter((line) => line.includes('[scheduler] tiap-menit: run ended'));
    expect(ended(a, from.a).length + ended(b, from.b).length).toBe(2);

    const client = new pg.Client({ connectionString: environment.env.DATABASE_URL });
    await client.connect();
    try {
      const claims = await client.query<{ due_at: string }>(`SELECT due_at FROM pipeline_schedule_claim WHERE pipeline = 'tiap-menit' AND due_at >= $1 ORDER BY due_at`, [firstTick]);
      expect(claims.rows.map((r) => Number(r.due_at))).toEqual([firstTick, secondTick]);
    } finally {
      await client.end();
    }
  });
});
