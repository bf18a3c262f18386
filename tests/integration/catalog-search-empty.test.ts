import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/** A fresh deployment with nothing published yet: every site page still answers and says so plainly. */
let dataDir: string;
let server: TestServer;

beforeAll(async () => {
  dataDir = makeTempDir('kota-search-empty-');
  server = await startTestServer({ dataDir });
});

afterAll(async () => {
  await server?.stop();
  removeDir(dataDir);
});

test('home, catalog and sitemap with an empty lake', async () => {
  const home = await server.get('/');
  expect(home.status).toBe(200);
  expect(home.text).toContain('Belum ada dataset yang diterbitkan.');
  const catalog = await server.get('/datasets');
  expect(catalog.status).toBe(200);
  expect(catalog.text).toContain('0 dataset ditemukan');
  expect(catalog.text).toContain('Belum ada dataset yang diterbitkan.');
  expect(catalog.text).not.toContain('periksa ejaan');
  const sitemap = await server.get('/sitemap.xml');
  expect(sitemap.status).toBe(200);
  expect([...sitemap.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname)).toEqual(['/', '/datasets']);
});

test('user SQL works on an empty catalog too (the worker is set up even with no tables)', async () => {
  const api = await server.get(`/api/v1/sql?sql=${encodeURIComponent('SELECT 1 AS satu')}`);
  expect(api.status, api.text).toBe(200);
  expect(JSON.parse(api.text).rows).toEqual([{ satu: 1 }]);
  expect((await server.get(`/sql?sql=${encodeURIComponent('SELECT 1 AS satu')}`)).status).toBe(200);
});
