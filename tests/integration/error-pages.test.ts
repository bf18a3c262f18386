import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/**
 * The 500 and 503 pages: in the portal's style, in the reader's language, with a way back, and nothing about the
 * failure's cause. Both are caused for real: a lost data file, stores that cannot be opened.
 */
const servers: TestServer[] = [];
const roots: string[] = [];
const html = { headers: { accept: 'text/html,application/xhtml+xml' } };

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const root of roots) removeDir(root);
});

async function serve(prepare: (dataDir: string) => Promise<void> | void): Promise<TestServer> {
  const root = makeTempDir('kota-errors-');
  roots.push(root);
  const dataDir = path.join(root, 'data');
  mkdirSync(path.join(root, 'pipelines'), { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  await prepare(dataDir);
  const server = await startTestServer({ dataDir, env: { PIPELINES_DIR: path.join(root, 'pipelines'), KOTA_PREWARM: 'off' } });
  servers.push(server);
  return server;
}

describe('503 while the stores cannot be opened', () => {
  test('pages get the styled 503 with Retry-After and a way back; API clients get JSON', async () => {
    // Every store the server opens at start is a folder where a file should be: opening fails on each request.
    const server = await serve((dataDir) => {
      for (const store of ['platform.duckdb', 'catalog.duckdb', 'app.sqlite']) mkdirSync(path.join(dataDir, store));
    });
    const page = await server.get('/', html);
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('60');
    expect(page.text).toContain('Layanan sedang tidak tersedia');
    expect(page.text).toContain('Kode galat 503');
    expect(page.text).toMatch(/<a href="\/"[^>]*>[\s\S]*?Kembali ke beranda/);
    expect(page.text).not.toMatch(/duckdb|sqlite|EISDIR|Error:/i);

    const english = await server.get('/datasets?lang=en', html);
    expect(english.status).toBe(503);
    expect(english.text).toContain('Service temporarily unavailable');

    // The one JSON error shape, in the reader's language.
    const api = await server.get('/api/v1/datasets?lang=en');
    expect(api.status).toBe(503);
    expect(api.headers.get('content-type')).toContain('application/json');
    expect(api.headers.get('retry-after')).toBe('60');
    expect(JSON.parse(api.text)).toEqual({ error: { status: 503, code: 'unavailable', message: expect.stringContaining('try again') } });
    const indonesian = await server.get('/api/v1/datasets');
    expect(JSON.parse(indonesian.text).error.message).toContain('coba lagi');
  });
});

describe('500 when a page fails', () => {
  test('a lost data file gives the styled 500 page, without the error', async () => {
    const server = await serve(async (dataDir) => {
      const manifest = await publishTestVersion(dataDir, {
        id: 'penduduk-rusak',
        fields: PENDUDUK_FIELDS,
        rows: [{ kecamatan: 'Andir', jumlah_penduduk: 1 }],
        publishedAt: '2026-01-15T02:00:00.000Z',
      });
      rmSync(path.join(dataDir, 'lake', 'penduduk-rusak', manifest.version, 'data.parquet'));
    });
    const page = await server.get('/datasets/penduduk-rusak', html);
    expect(page.status).toBe(500);
    expect(page.text).toContain('Terjadi kesalahan di server kami');
    expect(page.text).toContain('Kembali ke beranda');
    expect(page.text).not.toMatch(/parquet|duckdb|stack|at \w+ \(/i);
    // The rest of the portal still works.
    expect((await server.get('/datasets', html)).status).toBe(200);
  });
});
