import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';
import { Client, seedUser } from './auth-helpers.ts';

/**
 * The data API's rows and facets kept for callers without an account (api/reader-answers.ts) on the real server:
 * the same bytes and ETag again, a 304 for a matching If-None-Match, a new version shown once synced, a restricted
 * dataset never kept (its official's answers are theirs alone), and many distinct filters never evicting a kept page
 * of another family.
 */
let root: string;
let dataDir: string;
let server: TestServer;
const password = 'sandi jawaban yang panjang sekali';
let official: Client;
let anonymous: Client;
const KECAMATAN = ['Andir', 'Coblong', 'Regol', 'Cibiru', 'Sukajadi'];

beforeAll(async () => {
  root = makeTempDir('kota-api-kept-');
  dataDir = path.join(root, 'data');
  const rows = Array.from({ length: 400 }, (_, i) => ({ kecamatan: KECAMATAN[i % KECAMATAN.length]!, jumlah_penduduk: 1000 + i }));
  await publishTestVersion(dataDir, { id: 'penduduk-api', fields: PENDUDUK_FIELDS, rows, metadata: { title: 'Penduduk API Uji' } });
  await publishTestVersion(dataDir, { id: 'penduduk-banjir', fields: PENDUDUK_FIELDS, rows, metadata: { title: 'Penduduk Banjir Uji' } });
  await publishTestVersion(dataDir, { id: 'rahasia-api', fields: PENDUDUK_FIELDS, rows: [{ kecamatan: 'Andir', jumlah_penduduk: 7 }], metadata: { classification: 'terbatas', title: 'Rahasia API' } });
  seedUser(dataDir, { email: 'pejabat@api.test', name: 'Pejabat API', password, role: 'official', scope: 'disdukcapil' });
  server = await startTestServer({ dataDir });
  official = new Client(server.url);
  anonymous = new Client(server.url);
  await official.logIn('pejabat@api.test', password);
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

test('rows and facets asked again are kept: the next caller gets the same bytes, headers and ETag, marked X-Cache: HIT', async () => {
  for (const pathname of ['/api/v1/datasets/penduduk-api/rows?limit=5&kecamatan=Andir', '/api/v1/datasets/penduduk-api/facets?_facet=kecamatan&jumlah_penduduk__gte=1100']) {
    const first = await anonymous.get(pathname);
    expect(first.status, pathname).toBe(200);
    expect(first.headers.get('x-cache')).toBeNull();
    // Kept on its second ask (a filter asked once is not worth keeping), served from memory from the third on.
    expect((await anonymous.get(pathname)).headers.get('x-cache')).toBeNull();
    const second = await anonymous.get(pathname);
    expect(second.headers.get('x-cache'), pathname).toBe('HIT');
    expect(second.text).toBe(first.text);
    for (const name of ['content-type', 'etag', 'cache-control', 'access-control-allow-origin', 'content-security-policy', 'x-content-type-options']) {
      expect(second.headers.get(name), `${pathname}: ${name}`).toBe(first.headers.get(name));
    }
    expect(second.headers.get('content-security-policy')).toContain("default-src 'none'");
  }
});

test('a matching If-None-Match is a 304 even when the answer is kept (the route decides); another ETag gets the whole answer', async () => {
  const pathname = '/api/v1/datasets/penduduk-api/rows?limit=3&kecamatan=Regol';
  const first = await anonymous.get(pathname);
  await anonymous.get(pathname);
  expect((await anonymous.get(pathname)).headers.get('x-cache')).toBe('HIT');
  const etag = first.headers.get('etag')!;
  const unchanged = await anonymous.get(pathname, { 'if-none-match': etag });
  expect(unchanged.status).toBe(304);
  expect(unchanged.text).toBe('');
  const other = await anonymous.get(pathname, { 'if-none-match': '"something-else"' });
  expect(other.status).toBe(200);
  expect(other.text).toBe(first.text);
  expect((await anonymous.get(pathname)).headers.get('x-cache')).toBe('HIT');
});

test('a new version published to the lake shows in the kept answer once the server has synced it', async () => {
  const pathname = '/api/v1/datasets/penduduk-api/rows?limit=2&kecamatan=Cibiru';
  const before = JSON.parse((await anonymous.get(pathname)).text) as { version: string; total: number };
  await anonymous.get(pathname);
  expect((await anonymous.get(pathname)).headers.get('x-cache')).toBe('HIT');
  const published = await publishTestVersion(dataDir, {
    id: 'penduduk-api',
    fields: PENDUDUK_FIELDS,
    rows: [
      { kecamatan: 'Cibiru', jumlah_penduduk: 5 },
      { kecamatan: 'Andir', jumlah_penduduk: 6 },
    ],
    metadata: { title: 'Penduduk API Uji' },
  });
  expect(before.total).toBe(80);
  await vi.waitFor(
    async () => {
      const after = JSON.parse((await anonymous.get(pathname)).text) as { version: string; total: number; rows: { jumlah_penduduk: number }[] };
      expect(after.version).toBe(published.version);
      expect(after.total).toBe(1);
      expect(after.rows.map((r) => r.jumlah_penduduk)).toEqual([5]);
    },
    { timeout: 15_000, interval: 250 },
  );
});

test('a restricted dataset’s rows are never kept: its official gets them fresh each time, a caller without an account a 404', async () => {
  const pathname = '/api/v1/datasets/rahasia-api/rows?limit=5';
  for (let i = 0; i < 3; i++) {
    const mine = await official.get(pathname);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('x-cache')).toBeNull();
    expect(mine.headers.get('cache-control')).toBe('private, no-store');
    expect(mine.text).toContain('"jumlah_penduduk":7');
    const reader = await anonymous.get(pathname);
    expect(reader.status).toBe(404);
    expect(reader.text).not.toContain('"jumlah_penduduk":7');
  }
  // A signed-in caller is never given a kept answer either, even for public data.
  const pathname2 = '/api/v1/datasets/penduduk-api/rows?limit=4&kecamatan=Andir';
  await anonymous.get(pathname2);
  await anonymous.get(pathname2);
  expect((await anonymous.get(pathname2)).headers.get('x-cache')).toBe('HIT');
  expect((await official.get(pathname2)).headers.get('x-cache')).toBeNull();
});

test('a filter asked once is not kept; a flood of filters asked twice drops the API’s own oldest answers, never a kept page of another family', async () => {
  // The Badami board: a page whose version does not move with time (a dataset page's download counts move every 5 s).
  const page = '/badami';
  const once = '/api/v1/datasets/penduduk-banjir/rows?limit=3&kecamatan=Regol';
  await anonymous.get(once);
  expect((await anonymous.get(once)).headers.get('x-cache'), 'asked once before: kept now, not served from memory yet').toBeNull();
  expect((await anonymous.get(once)).headers.get('x-cache')).toBe('HIT');
  await anonymous.get(page);
  expect((await anonymous.get(page)).headers.get('x-cache')).toBe('HIT');
  // ~1,300 distinct pages of 400 rows (~30 KB each, ~40 MB in all): past the API family's 16 MB, within the pages' 64 MB.
  const first = '/api/v1/datasets/penduduk-banjir/rows?limit=400&jumlah_penduduk__gte=0';
  await anonymous.get(first);
  await anonymous.get(first);
  expect((await anonymous.get(first)).headers.get('x-cache')).toBe('HIT');
  // Each asked twice, so each is kept.
  const ask = (n: number) => fetch(`${server.url}/api/v1/datasets/penduduk-banjir/rows?limit=400&jumlah_penduduk__gte=-${n}`).then((r) => r.arrayBuffer());
  for (let start = 0; start < 1300; start += 50) {
    for (let twice = 0; twice < 2; twice++) await Promise.all(Array.from({ length: 50 }, (_, i) => ask(start + i + 1)));
  }
  expect((await anonymous.get(first)).headers.get('x-cache'), 'the oldest API answer was dropped').toBeNull();
  expect((await anonymous.get(page)).headers.get('x-cache'), 'the dataset page is still kept').toBe('HIT');
}, 60_000);

describe('a facet given up at its time limit', () => {
  let slowRoot: string;
  let slow: TestServer;

  beforeAll(async () => {
    slowRoot = makeTempDir('kota-api-slow-');
    // 60,000 different kecamatan: a facet too big to batch, its own GROUP BY statement, never done within 1 ms.
    const rows = Array.from({ length: 60_000 }, (_, i) => ({ kecamatan: `Wilayah ${String(i).padStart(6, '0')}`, jumlah_penduduk: i }));
    await publishTestVersion(path.join(slowRoot, 'data'), { id: 'banyak-nilai', fields: PENDUDUK_FIELDS, rows, metadata: { title: 'Banyak Nilai' } });
    slow = await startTestServer({ dataDir: path.join(slowRoot, 'data'), env: { KOTA_FACET_TIME_LIMIT_MS: '1' } });
  });

  afterAll(async () => {
    await slow?.stop();
    removeDir(slowRoot);
  });

  test('is said so (timed_out), and that answer is no-store, without an ETag, and never kept', async () => {
    const pathname = '/api/v1/datasets/banyak-nilai/facets?_facet=kecamatan';
    for (let ask = 0; ask < 3; ask++) {
      const reply = await slow.get(pathname);
      expect(reply.status).toBe(200);
      const body = JSON.parse(reply.text) as { facets: { column: string; timed_out?: boolean; values: unknown[] }[] };
      expect(body.facets).toEqual([expect.objectContaining({ column: 'kecamatan', timed_out: true, values: [] })]);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.headers.get('etag')).toBeNull();
      expect(reply.headers.get('x-cache'), `ask ${ask + 1}`).toBeNull();
    }
    // The rows of the same dataset are kept as usual on that server.
    const rows = '/api/v1/datasets/banyak-nilai/rows?limit=2';
    for (let ask = 0; ask < 2; ask++) await slow.get(rows);
    expect((await slow.get(rows)).headers.get('x-cache')).toBe('HIT');
  });
});
