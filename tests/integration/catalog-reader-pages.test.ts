import path from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser, visibleText } from './auth-helpers.ts';

/**
 * The catalog page and dataset pages kept for readers without an account (catalog/reader-pages.ts) on the real
 * server: kept between requests; a new version, a download on this server, and a dataset reclassified as terbatas
 * each show to the next reader; a restricted dataset's page is never kept, for its officials or anyone else.
 */
let root: string;
let dataDir: string;
let server: TestServer;
const password = 'sandi katalog yang panjang sekali';
let official: Client;
let anonymous: Client;

beforeAll(async () => {
  root = makeTempDir('kota-catalog-kept-');
  dataDir = path.join(root, 'data');
  await publishTestVersion(dataDir, { id: 'penduduk-simpan', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Andir', jumlah_penduduk: 97123 }], metadata: { title: 'Penduduk Simpan Uji' } });
  await publishTestVersion(dataDir, { id: 'rahasia-simpan', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Andir', jumlah_penduduk: 1 }], metadata: { classification: 'terbatas', title: 'Data Rahasia Simpan' } });
  seedUser(dataDir, { email: 'pejabat@katalog.test', name: 'Pejabat Katalog', password, role: 'official', scope: 'disdukcapil' });
  server = await startTestServer({ dataDir });
  official = new Client(server.url);
  anonymous = new Client(server.url);
  await official.logIn('pejabat@katalog.test', password);
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

const versionsShown = (html: string) => [...html.matchAll(/\/datasets\/penduduk-simpan\/versions\/([0-9a-f]{16})/g)].map((m) => m[1]!);

test('the catalog page and a dataset page are kept: the second reader gets the same bytes', async () => {
  for (const pathname of ['/datasets', '/datasets/penduduk-simpan', '/datasets/penduduk-simpan?kecamatan=Andir']) {
    const first = await anonymous.get(pathname);
    expect(first.status, pathname).toBe(200);
    const second = await anonymous.get(pathname);
    expect(second.headers.get('x-cache'), pathname).toBe('HIT');
    expect(second.text).toBe(first.text);
  }
});

test('a download on this server shows in the version’s count on the next view', async () => {
  const page = '/datasets/penduduk-simpan';
  await anonymous.get(page);
  const before = await anonymous.get(page);
  expect(before.headers.get('x-cache')).toBe('HIT');
  expect(before.text).toMatch(/data-label="Unduhan" class="num"[^>]*>0</);
  const download = await fetch(`${server.url}/api/v1/datasets/penduduk-simpan/download.csv`);
  expect(download.status).toBe(200);
  await download.arrayBuffer();
  // counted before the download's answer: the very next view is rendered with it (not 5 s later)
  const after = await anonymous.get(page);
  expect(after.headers.get('x-cache')).toBeNull();
  expect(after.text).toMatch(/data-label="Unduhan" class="num"[^>]*>1</);
});

test('a new version published to the lake shows on the kept page once the server has synced it', async () => {
  const page = '/datasets/penduduk-simpan';
  await anonymous.get(page);
  expect((await anonymous.get(page)).headers.get('x-cache')).toBe('HIT');
  const published = await publishTestVersion(dataDir, { id: 'penduduk-simpan', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Coblong', jumlah_penduduk: 131000 }], metadata: { title: 'Penduduk Simpan Uji' } });
  await vi.waitFor(async () => expect(versionsShown((await anonymous.get(page)).text)).toContain(published.version), { timeout: 15_000, interval: 250 });
  expect(visibleText((await anonymous.get(page)).text)).toContain('Coblong');
});

test('a restricted dataset’s page is never kept: its official sees it fresh, a reader without an account never does', async () => {
  const page = '/datasets/rahasia-simpan';
  for (let i = 0; i < 2; i++) {
    const mine = await official.get(page);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('x-cache')).toBeNull();
    expect(visibleText(mine.text)).toContain('Data Rahasia Simpan');
    const reader = await anonymous.get(page);
    expect(reader.status).toBe(404);
    expect(reader.text).not.toContain('Data Rahasia Simpan');
  }
  const catalog = await anonymous.get('/datasets');
  expect(catalog.text).not.toContain('Data Rahasia Simpan');
});
