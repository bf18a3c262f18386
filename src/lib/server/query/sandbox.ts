import { createCache } from '../cache.ts';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogGeneration } from '../catalog/generation.ts';
import { listPublicDatasets } from '../catalog/queries.ts';
import { versionDataPath } from '../lake/read.ts';
import type { WorkerReply, WorkerRequest } from './sandbox-worker.ts';
import { env } from '../config/env.ts';

/**
 * User SQL (ARCHITECTURE invariant 6). Three walls:
 * 1. The process: queries run in child processes (./sandbox-worker.ts) that the server kills at the time limit or
 *    when their resident memory passes the cap, so no query can outlast its time or take the server's memory.
 *    At most SQL_LIMITS.workers run at once; a few more wait; beyond that the answer is 503.
 * 2. The engine: in each worker, an in-memory DuckDB whose only tables are views over the current Parquet file of
 *    each public dataset. File access is off except for exactly those files, extensions cannot be installed or
 *    loaded, and the configuration is locked so no statement can undo any of it.
 * 3. The statement: parsed by DuckDB itself (json_serialize_sql) and checked by ./sql-policy.ts — one SELECT,
 *    reading dataset views and CTEs in scope only, no table functions, no settings.
 */
export const SQL_LIMITS = {
  timeoutMs: env().KOTA_SQL_TIMEOUT_MS,
  defaultRows: 1000,
  maxRows: 10_000,
  memory: env().KOTA_SQL_MEMORY,
  /** Resident memory of a worker process beyond which it is killed (DuckDB's own limit plus headroom). */
  processMemoryMb: env().KOTA_SQL_PROCESS_MB,
  workers: env().KOTA_SQL_WORKERS,
  queue: 8,
};

export class SqlError extends Error {
  readonly status: 400 | 408 | 503;
  constructor(status: 400 | 408 | 503, message: string) {
    super(message);
    this.status = status;
  }
}

export interface SqlResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  truncated: boolean;
  elapsed_ms: number;
}

interface Worker {
  child: ChildProcess;
  /** The set of public versions its views point at. */
  signature: string;
}

const idle: Worker[] = [];
let running = 0;
const waiting: (() => void)[] = [];

type Tables = { signature: string; datasets: { id: string; file: string }[] };
const tables = createCache<Tables>({ max: 1, generation: catalogGeneration });

/**
 * The public datasets as the sandbox sees them, and a signature that changes when a version is published; read
 * from the catalog once per catalog generation, not on every query.
 */
function publicTables(): Promise<Tables> {
  return tables.get('public', async () => {
    const datasets = (await listPublicDatasets()).map((d) => ({ id: d.id, file: versionDataPath(d.id, d.version) }));
    return { signature: datasets.map((d) => `${d.id}:${d.file}`).join(','), datasets };
  });
}

/** The names user SQL may read: one view per public dataset, named by its id. */
export async function sqlTables(): Promise<string[]> {
  return (await publicTables()).datasets.map((d) => d.id).sort();
}

export async function runSql(sql: string, options: { maxRows?: number; timeoutMs?: number } = {}): Promise<SqlResult> {
  const maxRows = Math.min(Math.max(1, Math.floor(options.maxRows ?? SQL_LIMITS.defaultRows)), SQL_LIMITS.maxRows);
  const timeoutMs = options.timeoutMs ?? SQL_LIMITS.timeoutMs;
  const text = sql.trim().replace(/;\s*$/, '');
  if (!text) throw new SqlError(400, 'sql: empty query; write one SELECT statement, e.g. SELECT * FROM "kecamatan-bandung" LIMIT 10');
  if (text.length > 20_000) throw new SqlError(400, 'sql: the query is longer than 20,000 characters');
  if (text.includes('\0')) throw new SqlError(400, 'sql: the query contains a NUL character');
  await takeSlot();
  try {
    const worker = await workerFor(await publicTables());
    const started = performance.now();
    const reply = await ask(worker, { type: 'query', sql: text, maxRows }, timeoutMs);
    // It answered, so it is healthy: back to the pool (a killed worker never comes back).
    idle.push(worker);
    if (reply.type === 'error') throw new SqlError(400, `sql: ${describeDuckDbError(reply.message)}`);
    if (reply.type !== 'result') throw new SqlError(400, 'sql: the query did not return a result');
    return { columns: reply.columns, rows: reply.rows, truncated: reply.truncated, elapsed_ms: Math.round(performance.now() - started) };
  } finally {
    releaseSlot();
  }
}

async function takeSlot(): Promise<void> {
  if (running < SQL_LIMITS.workers) {
    running++;
    return;
  }
  if (waiting.length >= SQL_LIMITS.queue) throw new SqlError(503, 'sql: the SQL service is busy with other queries; try again in a few seconds');
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/** An idle worker set up for the current tables, or a new one. */
async function workerFor(tables: Tables): Promise<Worker> {
  let worker = idle.pop();
  if (!worker || !worker.child.connected) worker = spawnWorker();
  if (worker.signature !== tables.signature) {
    const ready = await ask(worker, { type: 'setup', datasets: tables.datasets, memory: SQL_LIMITS.memory }, 30_000);
    if (ready.type !== 'ready') throw new Error(`sql worker setup failed: ${ready.type === 'error' ? ready.message : ready.type}`);
    worker.signature = tables.signature;
  }
  return worker;
}

function spawnWorker(): Worker {
  const script = path.join(env().KOTA_APP_ROOT ?? process.cwd(), 'src/lib/server/query/sandbox-worker.ts');
  const child = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execPath: process.execPath, serialization: 'advanced' });
  child.on('error', () => {});
  // Idle workers must not keep the server (or a test process) alive on their own.
  child.unref();
  child.channel?.unref();
  return { child, signature: '' };
}

/**
 * One request to a worker. The worker is killed (and never reused) when the deadline passes or its resident
 * memory exceeds the cap; the caller gets 408 or 400 accordingly.
 */
function ask(worker: Worker, request: WorkerRequest, timeoutMs: number): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const finish = (fn: () => void) => {
      clearTimeout(deadline);
      clearInterval(watchdog);
      worker.child.off('message', onMessage);
      worker.child.off('exit', onExit);
      fn();
    };
    const kill = (error: SqlError) => finish(() => {
      worker.child.kill('SIGKILL');
      reject(error);
    });
    const onMessage = (reply: WorkerReply) => finish(() => resolve(reply));
    const onExit = () => finish(() => reject(new SqlError(400, 'sql: the query stopped the SQL worker; simplify it')));
    const deadline = setTimeout(
      () => kill(new SqlError(408, `sql: the query ran longer than the ${timeoutMs / 1000} s limit and was stopped; filter or aggregate more`)),
      timeoutMs,
    );
    const watchdog = setInterval(() => {
      const rss = residentMb(worker.child.pid);
      if (rss > SQL_LIMITS.processMemoryMb) {
        kill(new SqlError(400, `sql: the query needs more than the ${SQL_LIMITS.memory} memory limit; filter or aggregate more`));
      }
    }, 20);
    worker.child.on('message', onMessage);
    worker.child.once('exit', onExit);
    worker.child.send(request);
  });
}

function residentMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function describeDuckDbError(message: string): string {
  if (/Out of Memory/i.test(message)) return `the query needs more than the ${SQL_LIMITS.memory} memory limit; filter or aggregate more (${message})`;
  return message;
}
