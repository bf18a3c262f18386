import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { baseSpec, createProject } from '../helpers/pipeline-project.ts';
import { readPublished } from '../helpers/read-parquet.ts';

const CSV = 'kecamatan,jumlah\nAndir,1\nCibiru,2\n';
let server: http.Server;
let base: string;
const hits: Record<string, number> = {};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    hits[url] = (hits[url] ?? 0) + 1;
    if (url === '/ok.csv') return res.end(CSV);
    if (url === '/empty.csv') return res.end('');
    if (url === '/flaky.csv') {
      if (hits[url]! < 3) return res.writeHead(503).end('busy');
      return res.end(CSV);
    }
    if (url === '/missing.csv') return res.writeHead(404).end('not here');
    if (url === '/down.csv') return res.writeHead(500).end('error');
    if (url === '/slow.csv') {
      res.write('kecamatan,jumlah\n');
      const timer = setTimeout(() => res.end('Andir,1\n'), 5_000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (url === '/big-declared.csv') return res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000));
    if (url === '/big-chunked.csv') {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 10; i++) res.write('x'.repeat(1000));
      return res.end();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function urlProject(path: string, extra: Record<string, unknown> = {}) {
  const project = createProject();
  project.addPipeline('uji-url', baseSpec({ source: { url: `${base}${path}`, format: 'csv', retries: 2, timeout_ms: 2_000, ...extra } }));
  return project;
}

describe('URL sources', () => {
  test('a URL source is downloaded, hashed and recorded in the lineage', async () => {
    const project = urlProject('/ok.csv');
    const { record, exitCode } = await project.run('uji-url');
    expect(exitCode).toBe(0);
    expect(record.source).toMatchObject({ location: `${base}/ok.csv`, bytes: CSV.length });
    expect(record.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await readPublished('uji-url')).toHaveLength(2);
    expect((await project.run('uji-url')).record.status).toBe('unchanged');
  });

  test('a failing server is retried with backoff until it answers', async () => {
    const project = urlProject('/flaky.csv');
    const { exitCode } = await project.run('uji-url');
    expect(exitCode).toBe(0);
    expect(hits['/flaky.csv']).toBe(3);
  });

  test('a server that keeps failing ends the run with exit 2 and the last error', async () => {
    const project = urlProject('/down.csv');
    const { record, exitCode } = await project.run('uji-url');
    expect(exitCode).toBe(2);
    expect(record.error).toBe(`source.url: ${base}/down.csv failed after 3 attempts; last error: source.url: ${base}/down.csv answered HTTP 500 Internal Server Error`);
  });

  test('a 404 is final: no retries', async () => {
    const project = urlProject('/missing.csv');
    const before = hits['/missing.csv'] ?? 0;
    const { record, exitCode } = await project.run('uji-url');
    expect(exitCode).toBe(2);
    expect(record.error).toContain('answered HTTP 404');
    expect(hits['/missing.csv']! - before).toBe(1);
  });

  test('a slow server times out', async () => {
    const project = urlProject('/slow.csv', { timeout_ms: 300, retries: 1 });
    const { record, exitCode } = await project.run('uji-url');
    expect(exitCode).toBe(2);
    expect(record.error).toContain('no complete answer within 300 ms');
  });

  test.each(['/big-declared.csv', '/big-chunked.csv'])('a source larger than max_bytes is refused (%s)', async (path) => {
    const project = urlProject(path, { max_bytes: 2048 });
    const { record, exitCode } = await project.run('uji-url');
    expect(exitCode).toBe(2);
    expect(record.error).toMatch(/more than source.max_bytes \(2048\)/);
  });

  test('an empty answer (0 bytes) is a bad source: exit 2, no retries', async () => {
    const project = urlProject('/empty.csv');
    const { record, exitCode } = await project.run('uji-url');
    expect(exitCode).toBe(2);
    expect(record.error).toBe(`source.url: ${base}/empty.csv answered with an empty body (0 bytes); expected a file with a header and rows`);
    expect(hits['/empty.csv']).toBe(1);
  });
});
