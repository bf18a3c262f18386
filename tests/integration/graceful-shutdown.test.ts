import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { baseSpec, createProject, REPO_ROOT, type TestProject } from '../helpers/pipeline-project.ts';
import { freePort } from '../helpers/server.ts';
import { removeDir, waitFor } from '../helpers/temp.ts';

/**
 * Graceful shutdown (issue 8, Operations): SIGTERM or SIGINT to `npm start`, `npm run serve` or the server run by
 * `node` directly lets a download in flight finish, refuses new connections meanwhile, and ends with exit code 0.
 * Before, `npm start` lost SIGTERM in `sh` (the server kept running) and the server itself died mid-download.
 */
const DATASET = 'unduhan-besar';
const ROWS = 300_000;
let project: TestProject;
let running: ChildProcess | undefined;

beforeAll(async () => {
  project = createProject('kota-shutdown-');
  const lines = ['id,teks'];
  for (let i = 1; i <= ROWS; i++) lines.push(`${i},baris nomor ${i} dari sebuah unduhan yang cukup besar untuk tetap mengalir`);
  project.writeFile('datasets/besar.csv', lines.join('\n') + '\n');
  project.addPipeline(
    DATASET,
    baseSpec({
      source: { path: 'datasets/besar.csv', format: 'csv' },
      schema: { primary_key: ['id'], fields: [{ name: 'id', type: 'integer', title: 'Nomor' }, { name: 'teks', type: 'string', title: 'Teks' }] },
    }),
  );
  expect((await project.run(DATASET)).record.status).toBe('published');
});

afterEach(() => {
  // A failed test must not leave a server behind: each launch is its own process group, orphans included.
  if (running?.pid) {
    try {
      process.kill(-running.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  running = undefined;
});

afterAll(() => removeDir(project?.root));

type Mode = 'node dist/server/entry.mjs' | 'npm run serve' | 'npm start';

function launch(mode: Mode, port: number): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const { VITEST: _v, VITEST_POOL_ID: _p, VITEST_WORKER_ID: _w, ...inherited } = process.env;
  const env = { ...inherited, ...project.env(), NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), KOTA_SCHEDULER: 'off', KOTA_PREWARM: 'off' };
  const [command, ...args] =
    mode === 'node dist/server/entry.mjs'
      ? [path.join(REPO_ROOT, 'node_modules/.bin/node'), path.join(REPO_ROOT, 'dist/server/entry.mjs')]
      : mode === 'npm run serve'
        ? ['npm', 'run', 'serve']
        : ['npm', 'start'];
  const child = spawn(command!, args, { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running = child;
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

function healthy(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/api/v1/health`, { signal: AbortSignal.timeout(5000) }).then(
    (r) => r.ok,
    () => false,
  );
}

/** Starts a download and stops reading after its first bytes: the rest stays in flight until `resume`. */
function startDownload(port: number): Promise<{ resume(): Promise<{ text: string; complete: boolean }> }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`http://127.0.0.1:${port}/api/v1/datasets/${DATASET}/download.csv`, (response) => {
      const chunks: Buffer[] = [];
      let complete = false;
      const finished = new Promise<void>((done, fail) => {
        response.on('end', () => {
          complete = response.complete;
          done();
        });
        response.on('error', fail);
        response.on('aborted', () => fail(new Error('the download was cut')));
      });
      response.once('data', (first: Buffer) => {
        chunks.push(first);
        response.pause();
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        resolve({
          async resume() {
            response.resume();
            await finished;
            return { text: Buffer.concat(chunks).toString('utf8'), complete };
          },
        });
      });
      if (response.statusCode !== 200) reject(new Error(`download answered ${response.statusCode}`));
    });
    request.on('error', reject);
  });
}

describe('graceful shutdown', () => {
  const cases: [Mode, NodeJS.Signals][] = [
    ['node dist/server/entry.mjs', 'SIGTERM'],
    ['node dist/server/entry.mjs', 'SIGINT'],
    ['npm run serve', 'SIGTERM'],
    ['npm run serve', 'SIGINT'],
    ['npm start', 'SIGTERM'],
    ['npm start', 'SIGINT'],
  ];

  test.each(cases)('%s, %s: the download in flight completes, new connections are refused, exit code 0', async (mode, signal) => {
    const port = await freePort();
    const server = launch(mode, port);
    await waitFor(() => healthy(port), { timeoutMs: 120_000, intervalMs: 250, what: `${mode} to answer\n${server.output()}` });
    const download = await startDownload(port);

    process.kill(server.child.pid!, signal);
    // The listening socket closes at once; the download's connection stays open.
    await waitFor(async () => !(await healthy(port)), { timeoutMs: 10_000, what: 'new connections to be refused' });

    const { text, complete } = await download.resume();
    expect(complete).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(ROWS + 1);
    expect(lines[ROWS]).toBe(`${ROWS},baris nomor ${ROWS} dari sebuah unduhan yang cukup besar untuk tetap mengalir`);

    expect(await server.exited, server.output()).toBe(0);
    // Run directly, the server gets the signal itself; under npm, the launcher passes it on as SIGTERM.
    expect(server.output()).toContain(`[server] ${mode === 'node dist/server/entry.mjs' ? signal : 'SIGTERM'}: closing`);
    expect(server.output()).toContain('[server] stopped');
    // The engines were closed, not abandoned: each checkpointed its write-ahead log away.
    expect(existsSync(path.join(project.dataDir, 'catalog.duckdb'))).toBe(true);
    expect(existsSync(path.join(project.dataDir, 'catalog.duckdb.wal')), server.output()).toBe(false);
    expect(existsSync(path.join(project.dataDir, 'app.sqlite'))).toBe(true);
    expect(existsSync(path.join(project.dataDir, 'app.sqlite-wal')), server.output()).toBe(false);
  });
});
