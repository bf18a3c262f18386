import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { distDir } from '../../src/cli/build-stamp.ts';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/**
 * Reads that no static file can answer skip @astrojs/node's static-file check (src/server/api-first.ts): the API and
 * every path whose first segment the built client folder does not have. The build's files are still served, under
 * their names and percent-encoded, and everything else still answers as Astro renders it.
 */
let root: string;
let server: TestServer;

beforeAll(async () => {
  root = makeTempDir('kota-static-skip-');
  server = await startTestServer({ dataDir: path.join(root, 'data') });
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

test('the build’s files are served by the static handler, by name and percent-encoded', async () => {
  const css = readdirSync(path.join(distDir(REPO_ROOT), 'client', '_astro')).find((f) => f.endsWith('.css'));
  for (const [asset, type] of [['/favicon.ico', 'image/'], ['/logo.svg', 'image/svg+xml'], ['/%66avicon.ico', 'image/'], [`/_astro/${css}`, 'text/css']] as const) {
    const answer = await fetch(`${server.url}${asset}`);
    expect(answer.status, asset).toBe(200);
    expect(answer.headers.get('content-type'), asset).toContain(type);
  }
});

test('pages and the API answer as Astro renders them, with the middleware’s headers; an unknown path is the 404 page', async () => {
  for (const pathname of ['/', '/datasets', '/datathon', '/api/v1/datasets']) {
    const answer = await fetch(`${server.url}${pathname}`);
    expect(answer.status, pathname).toBe(200);
    expect(answer.headers.get('x-content-type-options'), pathname).toBe('nosniff');
  }
  const missing = await fetch(`${server.url}/tidak-ada-halaman`, { headers: { accept: 'text/html' } });
  expect(missing.status).toBe(404);
  expect(missing.headers.get('content-type')).toContain('text/html');
  expect(await missing.text()).toMatch(/<html/);
  const head = await fetch(`${server.url}/datasets`, { method: 'HEAD' });
  expect(head.status).toBe(200);
});
