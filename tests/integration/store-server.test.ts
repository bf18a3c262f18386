import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { BACKENDS, storeEnvironment } from '../helpers/store.ts';
import { adminCli, Client } from './auth-helpers.ts';

/**
 * The app-state store under the real server, on each backend: what people wrote survives a SIGKILL in the middle of
 * a burst of writes (invariant 7), and survives deleting the catalog index, which is only a cache of the lake
 * (invariant 4).
 */
const password = 'sandi penguji yang panjang';

describe.each(BACKENDS)('the store under the server on $name', ({ name, skip }) => {
  let environment: Awaited<ReturnType<typeof storeEnvironment>> | undefined;
  let server: TestServer | undefined;
  const start = () => startTestServer({ dataDir: environment!.dataDir, env: { ...environment!.env, AUTH_RATE_LIMIT_SCALE: '0.000001' } });

  beforeAll(async () => {
    if (skip) return;
    environment = await storeEnvironment(name);
    await publishTestVersion(environment.dataDir, {
      id: 'penduduk-kecamatan',
      fields: PENDUDUK_FIELDS,
      rows: [{ kecamatan: 'Andir', jumlah_penduduk: 97123 }],
      publishedAt: '2026-01-15T02:00:00.000Z',
    });
    const created = adminCli(environment.dataDir, ['create-user', '--email', 'penguji@kota.test', '--name', 'Penguji'], `${password}\n`, environment.env);
    expect(created.status, created.stderr).toBe(0);
    server = await start();
  });
  afterAll(async () => {
    await server?.stop();
    await environment?.cleanup();
  });

  test.skipIf(skip)('SIGKILL during a burst of writes: every write the server acknowledged is there after the restart', async () => {
    const client = new Client(server!.url);
    await client.logIn('penguji@kota.test', password);
    const acknowledged: string[] = [];
    let killed = false;
    const writer = async (n: number) => {
      for (let i = 0; !killed; i++) {
        try {
          const reply = await client.post('/account?_action=auth.createToken', { name: `token ${n}-${i}`, scopes: ['read'] });
          const token = reply.status === 200 ? reply.text.match(/kt_[a-z2-7]+\.[a-z2-7]+/)?.[0] : undefined;
          if (token) acknowledged.push(token);
        } catch {
          return; // the connection died with the server
        }
      }
    };
    const writers = Array.from({ length: 4 }, (_, n) => writer(n));
    while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 20));
    server!.child.kill('SIGKILL');
    killed = true;
    await Promise.all(writers);
    await server!.stop();

    server = await start();
    const missing: string[] = [];
    for (const token of acknowledged) {
      const me = await fetch(`${server.url}/api/v1/account/me`, { headers: { authorization: `Bearer ${token}` } });
      if (me.status !== 200) missing.push(token);
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    expect(missing).toEqual([]);
  });

  test.skipIf(skip)('deleting catalog.duckdb (server stopped): accounts and sessions intact, the catalog rebuilt from the lake', async () => {
    const client = new Client(server!.url);
    await client.logIn('penguji@kota.test', password);
    expect((await client.get('/account')).text).toContain('penguji@kota.test');
    await server!.stop();
    for (const file of ['catalog.duckdb', 'catalog.duckdb.wal']) rmSync(path.join(environment!.dataDir, file), { force: true });

    server = await start();
    const again = new Client(server.url);
    for (const [key, value] of client.cookies) again.cookies.set(key, value);
    const account = await again.get('/account');
    expect(account.status).toBe(200); // the same session cookie still works
    expect(account.text).toContain('penguji@kota.test');
    const dataset = await again.get('/datasets/penduduk-kecamatan');
    expect(dataset.status).toBe(200);
    expect(dataset.text).toContain('97123');
  });

  test.skipIf(skip)('an index of another format is thrown away and rebuilt, not trusted', async () => {
    await server!.stop();
    // Not a DuckDB file of the current format: what an older build, or a half-written copy, might leave.
    writeFileSync(path.join(environment!.dataDir, 'catalog.duckdb'), 'bukan indeks');
    rmSync(path.join(environment!.dataDir, 'catalog.duckdb.wal'), { force: true });
    server = await start();
    expect((await server.get('/datasets/penduduk-kecamatan')).status).toBe(200);
  });
});
