import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PENDUDUK_FIELDS, publishTestVersion, writeTestRunRecord } from '../helpers/lake.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir, waitFor } from '../helpers/temp.ts';

/**
 * The real built server over a lake in its own DATA_DIR: what a visitor sees on the catalog and
 * dataset pages, new versions appearing without a restart (invariant 5), and a deleted index being
 * rebuilt from the lake (invariant 4).
 */
let root: string;
let dataDir: string;
let server: TestServer;

const rows = (pairs: [string, number][]) => pairs.map(([kecamatan, jumlah_penduduk]) => ({ kecamatan, jumlah_penduduk }));
const start = () => startTestServer({ dataDir, env: { PIPELINES_DIR: path.join(root, 'pipelines') } });

beforeAll(async () => {
  root = makeTempDir('kota-server-');
  dataDir = path.join(root, 'data');
  mkdirSync(path.join(root, 'pipelines'));
  await publishTestVersion(dataDir, {
    id: 'penduduk-kecamatan',
    fields: PENDUDUK_FIELDS,
    rows: rows([['Andir', 97123], ['Coblong', 113456], ['Cidadap', 59789]]),
    publishedAt: '2026-01-15T02:00:00.000Z',
  });
  await publishTestVersion(dataDir, {
    id: 'data-terbatas',
    fields: PENDUDUK_FIELDS,
    rows: rows([['Rahasia', 1]]),
    metadata: { title: 'Data Terbatas Internal', classification: 'terbatas' },
  });
  writeTestRunRecord(dataDir, { dataset: 'penduduk-kecamatan', run_id: '20260115T020000Z-aaaaaa', trigger: 'schedule', rows: 3 });
  server = await start();
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

describe('catalog pages on the real server', () => {
  test('the home page lists the public dataset with its agency, row count and synthetic badge', async () => {
    const home = await server.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<html lang="id"');
    expect(home.text).toContain('Jumlah Penduduk per Kecamatan');
    expect(home.text).toContain('href="/datasets/penduduk-kecamatan"');
    expect(home.text).toContain('Dinas Kependudukan dan Pencatatan Sipil');
    expect(home.text).toContain('3 baris');
    expect(home.text).toContain('Contoh sintetis');
  });

  test('a terbatas dataset is not listed and its page is a 404', async () => {
    expect((await server.get('/')).text).not.toContain('Data Terbatas Internal');
    const page = await server.get('/datasets/data-terbatas');
    expect(page.status).toBe(404);
    expect(page.text).not.toContain('Data Terbatas Internal');
    expect(page.text).toContain('Halaman tidak ditemukan');
    expect((await server.get('/datasets/tidak-ada')).status).toBe(404);
  });

  test('the dataset page shows the data dictionary, the first rows, versions and runs', async () => {
    const page = await server.get('/datasets/penduduk-kecamatan');
    expect(page.status).toBe(200);
    for (const text of ['Kamus data', 'jumlah_penduduk', 'Jumlah penduduk', 'jiwa', 'wajib diisi; unik', 'minimum 0']) {
      expect(page.text).toContain(text);
    }
    expect(page.text).toContain('Pratinjau data');
    expect(page.text).toMatch(/<td[^>]*>Coblong<\/td><td[^>]*>113456<\/td>/);
    expect(page.text).toContain('Riwayat versi');
    expect(page.text).toContain('Proses terakhir');
    expect(page.text).toContain('schedule');
  });

  test('?lang=en switches to English, remembers it in a cookie, and keeps the page', async () => {
    const page = await server.get('/datasets/penduduk-kecamatan?lang=en');
    expect(page.text).toContain('<html lang="en"');
    expect(page.text).toContain('Population by District');
    expect(page.text).toContain('Data dictionary');
    expect(page.text).toContain('href="/datasets/penduduk-kecamatan?lang=id"');
    expect(page.headers.get('set-cookie')).toMatch(/lang=en/);
    const home = await server.get('/', { headers: { cookie: 'lang=en' } });
    expect(home.text).toContain('Public datasets');
    expect(home.text).toContain('3 rows');
  });

  test('/api/v1/health reports the public datasets and the last sync', async () => {
    const health = await server.get('/api/v1/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({ status: 'ok', datasets: 1, last_sync: expect.any(String) });
  });

  test('a version published while the server runs appears without a restart (the sync loop polls every 2 s)', async () => {
    const v2 = await publishTestVersion(dataDir, {
      id: 'penduduk-kecamatan',
      fields: PENDUDUK_FIELDS,
      rows: rows([['Andir', 97500], ['Coblong', 113900], ['Cidadap', 60100], ['Sukajadi', 105321]]),
      publishedAt: '2026-02-15T02:00:00.000Z',
    });
    const page = await waitFor(
      async () => {
        const p = await server.get('/datasets/penduduk-kecamatan');
        return p.text.includes(v2.version) && p.text.includes('Sukajadi') ? p : null;
      },
      // The 2 s sync loop makes this ~2 s on a quiet machine; the deadline is generous so load cannot fail it.
      { timeoutMs: 60_000, what: `version ${v2.version} on the dataset page` },
    );
    expect(page.text).toMatch(/<td[^>]*>Sukajadi<\/td><td[^>]*>105321<\/td>/);
    expect((await server.get('/')).text).toContain('4 baris');
  });

  test('deleting catalog.duckdb (server stopped) and restarting rebuilds the same catalog', async () => {
    const pages = ['/', '/datasets/penduduk-kecamatan', '/?lang=en'];
    const before = await Promise.all(pages.map((p) => server.get(p)));
    const oldUrl = server.url;
    await server.stop();
    for (const file of ['catalog.duckdb', 'catalog.duckdb.wal']) rmSync(path.join(dataDir, file), { force: true });
    expect(existsSync(path.join(dataDir, 'catalog.duckdb'))).toBe(false);

    server = await start();
    const after = await Promise.all(pages.map((p) => server.get(p)));
    expect(existsSync(path.join(dataDir, 'catalog.duckdb'))).toBe(true);
    expect(after.map((r) => r.status)).toEqual([200, 200, 200]);
    // The "use this data" snippets carry the server's own origin, and the restart has a new port.
    expect(after.map((r) => r.text.replaceAll(server.url, 'ORIGIN'))).toEqual(before.map((r) => r.text.replaceAll(oldUrl, 'ORIGIN')));
    expect((await server.get('/datasets/data-terbatas')).status).toBe(404);
  });
});
