import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { baseSpec, createProject, type TestProject } from '../helpers/pipeline-project.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Invariant 5: the CLI publishes while the server runs (no DuckDB lock needed) and the server picks it up. */
let project: TestProject;
let server: TestServer;

beforeAll(async () => {
  project = createProject();
  project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,10\n');
  project.addPipeline('uji-langsung', baseSpec({ title: 'Sampel sintetis: uji langsung' }));
  const first = await project.cli(['run', 'uji-langsung']);
  expect(first.code).toBe(0);
  server = await startTestServer({ dataDir: project.dataDir, env: { PIPELINES_DIR: `${project.root}/pipelines`, KOTA_ROOT: project.root } });
});

afterAll(async () => {
  await server?.stop();
});

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('the pipeline CLI beside a running server', () => {
  test('a version published by the CLI appears on the running server within 5 s', async () => {
    const before = await server.get('/datasets/uji-langsung');
    expect(before.status).toBe(200);
    expect(before.text).toContain('Andir');
    expect(before.text).not.toContain('Gedebage');

    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,10\nGedebage,20\n');
    const run = await project.cli(['run', 'uji-langsung']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('uji-langsung: published');

    const seen = await eventually(async () => (await server.get('/datasets/uji-langsung')).text.includes('Gedebage'), 5000);
    expect(seen).toBe(true);

    // The server then writes the new version's CSV in the background: the first download is a plain file.
    const version = JSON.parse(readFileSync(path.join(project.dataDir, 'lake/uji-langsung/current.json'), 'utf8')).version as string;
    const cached = path.join(project.dataDir, 'cache/exports/uji-langsung', version, 'data.csv');
    expect(await eventually(async () => existsSync(cached), 10_000)).toBe(true);
    const download = await server.get('/api/v1/datasets/uji-langsung/download.csv', { headers: { 'accept-encoding': 'identity' } });
    expect(download.text).toContain('Gedebage,20');
    expect(download.headers.get('content-length')).toBe(String(Buffer.byteLength(download.text)));
  });

  test('a failing run leaves the served version untouched', async () => {
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,sepuluh\n');
    const run = await project.cli(['run', 'uji-langsung']);
    expect(run.code).toBe(1);
    await new Promise((r) => setTimeout(r, 2500));
    const page = await server.get('/datasets/uji-langsung');
    expect(page.text).toContain('Gedebage');
    expect(page.text).not.toContain('sepuluh');
  });
});
