import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { ensureBuild } from '../src/cli/build-stamp.ts';
import { launchServer, type ServerHandle } from '../src/cli/server-process.ts';
import { csv, generateCsv, root as ingestRoot, writeProject } from './ingest.ts';

export const repo = path.resolve(import.meta.dirname, '..');
export const benchDataDir = path.join(repo, 'bench/.tmp/serve-data');

/** A published 1,000,000-row dataset `bench-ingest` in bench/.tmp/serve-data (made once, reused). */
export async function ensureBenchDataset(): Promise<void> {
  if (existsSync(path.join(benchDataDir, 'lake/bench-ingest/current.json'))) return;
  await generateCsv();
  writeProject();
  const result = spawnSync(process.execPath, [path.join(repo, 'src/cli/pipeline.ts'), 'run', 'bench-ingest'], {
    cwd: ingestRoot,
    env: { ...process.env, KOTA_ROOT: ingestRoot, DATA_DIR: benchDataDir },
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`could not publish the bench dataset from ${csv}`);
}

/** A port nobody listens on (a fixed one could answer from someone else's server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The built server on a free port over the bench data, scheduler off (`env` adds variables, e.g. KOTA_PREWARM=off). */
export async function startBenchServer(extraEnv: Record<string, string> = {}): Promise<ServerHandle> {
  await ensureBuild(repo, () => {});
  const port = await freePort();
  return launchServer({
    root: repo,
    host: '127.0.0.1',
    port,
    env: { ...process.env, NODE_ENV: 'production', DATA_DIR: benchDataDir, KOTA_SCHEDULER: 'off', PIPELINES_DIR: path.join(ingestRoot, 'pipelines'), KOTA_ROOT: ingestRoot, ...extraEnv },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Peak resident memory (VmHWM) of a process, in MB; reset with resetPeak() where the kernel allows it. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

export function currentRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Writing 5 to clear_refs resets VmHWM to the current RSS, so the peak measured is the download's own. */
export function resetPeak(pid: number): void {
  try {
    execFileSync('sh', ['-c', `echo 5 > /proc/${pid}/clear_refs`]);
  } catch {
    // not permitted: the peak then includes start-up, which only overstates it
  }
}
