import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { env } from '../config/env.ts';
import type { ArrowWorkerReply, ArrowWorkerRequest } from './arrow-worker.ts';

/**
 * A small pool of worker threads running ./arrow-worker.ts (two, or one on a one-core machine). Tasks take a worker
 * each, first come first served, and keep it until they return. After IDLE_MS without work the pool shrinks to one
 * worker, or none (WebAssembly memory never shrinks while its thread lives; measured: +32 MB RSS for a started
 * worker, +125 MB right after a 1 M-row conversion on two, +100 MB once one has stopped). Once the server has datasets
 * (`keepArrowWorkerReady`) one worker stays started, preferably one that has converted before, so the first Arrow
 * download after a quiet spell waits neither for a thread to start and load parquet-wasm nor for its code to be
 * optimised (together 0.3–0.6 s for 1 M rows); the second is started when a conversion needs it. Before the pool,
 * the server's own thread held parquet-wasm and its grown memory for good.
 */
const SIZE = Math.max(1, Math.min(2, availableParallelism()));
const IDLE_MS = 30_000;

type Ask = <T extends ArrowWorkerReply['type']>(request: ArrowWorkerRequest, expect: T) => Promise<Extract<ArrowWorkerReply, { type: T }>>;

interface PooledWorker {
  worker: Worker;
  broken: boolean;
  /** Has converted something (its WebAssembly memory has grown). */
  used: boolean;
}

const idle: PooledWorker[] = [];
let started = 0;
const waiting: ((worker: PooledWorker) => void)[] = [];
let idleTimer: NodeJS.Timeout | null = null;
let keepReady = false;

/** Keeps one worker started from now on (called once the server has datasets to download). */
export function keepArrowWorkerReady(): void {
  keepReady = true;
  if (started === 0) idle.push(parked(spawn()));
}

/** Runs `task` with a worker of its own. A worker that crashed or failed a request is replaced, never reused. */
export async function withArrowWorker<T>(task: (ask: Ask) => Promise<T>): Promise<T> {
  const pooled = await take();
  const ask: Ask = (request, expect) =>
    new Promise((resolve, reject) => {
      if (pooled.broken) return reject(new Error('Arrow worker stopped'));
      const done = () => {
        pooled.worker.off('message', onMessage);
        pooled.worker.off('error', onError);
        pooled.worker.off('exit', onExit);
      };
      const onMessage = (reply: ArrowWorkerReply) => {
        done();
        if (reply.type === expect) resolve(reply as Extract<ArrowWorkerReply, { type: typeof expect }>);
        else reject(new Error(reply.type === 'failed' ? `Arrow conversion failed: ${reply.message}` : `Arrow worker answered ${reply.type}, expected ${expect}`));
      };
      const onError = (error: Error) => {
        done();
        pooled.broken = true;
        reject(error);
      };
      const onExit = (code: number) => {
        done();
        pooled.broken = true;
        reject(new Error(`Arrow worker exited (code ${code})`));
      };
      pooled.worker.on('message', onMessage);
      pooled.worker.once('error', onError);
      pooled.worker.once('exit', onExit);
      pooled.worker.postMessage(request);
    });
  try {
    return await task(ask);
  } catch (error) {
    // A request may be left half done in the worker (a conversion nobody will write): start afresh.
    pooled.broken = true;
    throw error;
  } finally {
    give(pooled);
  }
}

function take(): Promise<PooledWorker> {
  if (idleTimer) {
    clearTimeout(idleTimer);
    idleTimer = null;
  }
  const ready = idle.pop();
  if (ready) return Promise.resolve(use(ready));
  if (started < SIZE) return Promise.resolve(use(spawn()));
  return new Promise((resolve) => waiting.push(resolve));
}

function give(pooled: PooledWorker): void {
  let next: PooledWorker | null = pooled;
  if (pooled.broken) {
    started--;
    void pooled.worker.terminate();
    next = waiting.length > 0 || (keepReady && started === 0) ? spawn() : null;
  }
  const waiter = waiting.shift();
  if (waiter && next) {
    waiter(use(next));
    return;
  }
  if (next) idle.push(parked(next));
  if (started > 0 && idle.length === started && waiting.length === 0) {
    idleTimer = setTimeout(stopIdleWorkers, IDLE_MS);
    idleTimer.unref();
  }
}

function use(pooled: PooledWorker): PooledWorker {
  pooled.used = true;
  pooled.worker.ref();
  return pooled;
}

/** Idle workers must not keep the server (or a test process) alive on their own. */
function parked(pooled: PooledWorker): PooledWorker {
  pooled.worker.unref();
  return pooled;
}

function spawn(): PooledWorker {
  started++;
  // Run from the source tree, as the SQL sandbox's worker is (Node strips the types).
  const script = path.join(env().KOTA_APP_ROOT ?? process.cwd(), 'src/lib/server/export/arrow-worker.ts');
  const pooled: PooledWorker = { worker: new Worker(script), broken: false, used: false };
  pooled.worker.on('error', () => (pooled.broken = true));
  pooled.worker.once('exit', () => {
    pooled.broken = true;
    // A worker that died while idle leaves the pool (one stopped by us has left it already).
    const at = idle.indexOf(pooled);
    if (at >= 0) {
      idle.splice(at, 1);
      started--;
    }
  });
  return pooled;
}

function stopIdleWorkers(): void {
  idleTimer = null;
  // The one kept is one that has converted before: its WebAssembly code is compiled by the optimising tier already.
  idle.sort((a, b) => Number(b.used) - Number(a.used));
  while (idle.length > (keepReady ? 1 : 0)) {
    started--;
    void idle.pop()!.worker.terminate();
  }
}
