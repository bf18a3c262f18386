import { createCache } from '../cache.ts';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { catalogGeneration } from '../catalog/generation.ts';
import { listPublicDatasets } from '../catalog/queries.ts';
import { env } from '../config/env.ts';
import { versionDataPath } from '../lake/read.ts';
import type { BoundParam, ExportFormat } from './sandbox-engine.ts';
import type { WorkerReply, WorkerRequest } from './sandbox-worker.ts';
import { SqlError } from './sql-error.ts';
import { sqlOutputRoot, sweepStaleOutputs } from './sql-output.ts';

export { SqlError } from './sql-error.ts';

/**
 * User SQL (ARCHITECTURE invariant 6). Three walls:
 * 1. The process: queries run in child processes (./sandbox-worker.ts) that the server kills at the time limit or
 *    when their resident memory (or, for a download, the file being written) passes the cap, so no query can
 *    outlast its time or take the server's memory or disk. At most SQL_LIMITS.workers run at once; a few more
 *    wait; beyond that the answer is 503.
 * 2. The engine (./sandbox-engine.ts): an in-memory DuckDB whose only tables are views over the current Parquet of
 *    each public dataset, file access off except for those files, extensions off, configuration locked.
 * 3. The statement: ./sql-policy.ts checks DuckDB's parse tree and, independently, the plan it bound.
 */
export const SQL_LIMITS = {
  timeoutMs: env().KOTA_SQL_TIMEOUT_MS,
  downloadTimeoutMs: env().KOTA_SQL_DOWNLOAD_TIMEOUT_MS,
  defaultRows: 1000,
  maxRows: 10_000,
  /** Rows of one answer as JSON, at most: a cap on what the worker sends and the server holds. */
  maxResultBytes: env().KOTA_SQL_RESULT_MB * 1024 * 1024,
  maxDownloadBytes: env().KOTA_SQL_DOWNLOAD_MB * 1024 * 1024,
  maxLength: 20_000,
  memory: env().KOTA_SQL_MEMORY,
  /** Resident memory of a worker process beyond which it is killed (DuckDB's own limit plus headroom). */
  processMemoryMb: env().KOTA_SQL_PROCESS_MB,
  workers: env().KOTA_SQL_WORKERS,
  queue: 8,
};

export interface SqlResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  truncated: boolean;
  /** Which limit cut the rows: `rows` (max_rows) or `bytes` (the size cap); null when complete. */
  truncated_by: 'rows' | 'bytes' | null;
  elapsed_ms: number;
}

export interface SqlExport {
  /** The finished file; the caller sends it and then calls `remove()`. */
  file: string;
  rows: number;
  bytes: number;
  remove: () => void;
}

interface Worker {
  child: ChildProcess;
  /** The set of public versions its views point at; null until it is set up (an empty catalog is a set up too). */
  signature: string | null;
  /** The folder its full-result downloads are written to (only this worker's engine may write there). */
  outputDir: string;
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

/**
 * The most bytes a request body can need to carry the longest query `preparedText` accepts (its untrimmed limit,
 * every character percent-encoded from three UTF-8 bytes) plus room for the other parameters. A body declared
 * larger cannot hold an acceptable query, so it is refused unread: under attack, reading and parsing near-megabyte
 * bodies only to refuse them was what slowed every other request.
 */
export const SQL_BODY_MAX_BYTES = SQL_LIMITS.maxLength * 2 * 9 + 64 * 1024;

/** The refusal for a request whose declared body cannot hold an acceptable query, or null to go on reading it. */
export function oversizeSqlBody(request: Request): SqlError | null {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  return declared > SQL_BODY_MAX_BYTES ? new SqlError(400, 'too_long', { max: SQL_LIMITS.maxLength }) : null;
}

/** The statement as it will run: trimmed, one trailing semicolon dropped; refused early when empty or oversized. */
export function preparedText(sql: string): string {
  // Length first, before anything else looks at the text: a megabyte of input must cost next to nothing here.
  if (sql.length > SQL_LIMITS.maxLength * 2) throw new SqlError(400, 'too_long', { max: SQL_LIMITS.maxLength });
  const text = sql.trim().replace(/;\s*$/, '');
  if (!text) throw new SqlError(400, 'empty');
  if (text.length > SQL_LIMITS.maxLength) throw new SqlError(400, 'too_long', { max: SQL_LIMITS.maxLength });
  if (text.includes('\0')) throw new SqlError(400, 'nul');
  return text;
}

export async function runSql(sql: string, options: { maxRows?: number; timeoutMs?: number; params?: BoundParam[] } = {}): Promise<SqlResult> {
  const maxRows = Math.min(Math.max(1, Math.floor(options.maxRows ?? SQL_LIMITS.defaultRows)), SQL_LIMITS.maxRows);
  const text = preparedText(sql);
  const { reply, elapsedMs } = await askPooled(() => ({
    request: { type: 'query', sql: text, params: options.params ?? [], maxRows, maxBytes: SQL_LIMITS.maxResultBytes },
    timeoutMs: options.timeoutMs ?? SQL_LIMITS.timeoutMs,
  }));
  if (reply.type !== 'result') throw replyError(reply);
  return { columns: reply.columns, rows: reply.rows, truncated: reply.truncated, truncated_by: reply.truncatedBy, elapsed_ms: elapsedMs };
}

/** The whole result of an accepted query as a file (CSV, JSON or Parquet), within the download time and size limits. */
export async function exportSql(sql: string, format: ExportFormat, options: { timeoutMs?: number; params?: BoundParam[] } = {}): Promise<SqlExport> {
  const text = preparedText(sql);
  let file = '';
  const remove = () => file && rmSync(file, { force: true });
  try {
    const { reply } = await askPooled((worker) => {
      file = path.join(worker.outputDir, `${randomUUID()}.${format}`);
      return { request: { type: 'export', sql: text, params: options.params ?? [], format, file }, timeoutMs: options.timeoutMs ?? SQL_LIMITS.downloadTimeoutMs, outputFile: file };
    });
    if (reply.type !== 'exported') throw replyError(reply);
    return { file, rows: reply.rows, bytes: statSync(file).size, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

function replyError(reply: WorkerReply): SqlError {
  if (reply.type === 'refused') return new SqlError(400, reply.problem.code, reply.problem.params);
  if (reply.type === 'error') {
    if (/Out of Memory/i.test(reply.message)) return new SqlError(400, 'memory', { limit: SQL_LIMITS.memory });
    return new SqlError(400, 'engine', { message: reply.message });
  }
  return new SqlError(400, 'no_result');
}

/**
 * One request to a pooled worker: waits for a slot, sets the worker up for the current tables, asks. The time is
 * the query's own, without the wait or the setup.
 */
async function askPooled(build: (worker: Worker) => { request: WorkerRequest; timeoutMs: number; outputFile?: string }): Promise<{ reply: WorkerReply; elapsedMs: number }> {
  await takeSlot();
  try {
    const worker = await workerFor(await publicTables());
    const { request, timeoutMs, outputFile } = build(worker);
    const started = performance.now();
    const reply = await ask(worker, request, timeoutMs, outputFile);
    // It answered (a refusal is an answer too), so it is healthy: back to the pool. A killed worker never comes back.
    idle.push(worker);
    return { reply, elapsedMs: Math.round(performance.now() - started) };
  } finally {
    releaseSlot();
  }
}

async function takeSlot(): Promise<void> {
  if (running < SQL_LIMITS.workers) {
    running++;
    return;
  }
  if (waiting.length >= SQL_LIMITS.queue) throw new SqlError(503, 'busy');
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
    const ready = await ask(worker, { type: 'setup', datasets: tables.datasets, memory: SQL_LIMITS.memory, outputDir: worker.outputDir }, 30_000);
    if (ready.type !== 'ready') {
      worker.child.kill('SIGKILL');
      throw new Error(`sql worker setup failed: ${ready.type === 'error' ? ready.message : ready.type}`);
    }
    worker.signature = tables.signature;
  }
  return worker;
}

let swept = false;

function spawnWorker(): Worker {
  if (!swept) {
    swept = true;
    sweepStaleOutputs();
  }
  const script = path.join(env().KOTA_APP_ROOT ?? process.cwd(), 'src/lib/server/query/sandbox-worker.ts');
  const child = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execPath: process.execPath, serialization: 'advanced' });
  const outputDir = path.join(sqlOutputRoot(), `w${child.pid ?? randomUUID()}`);
  mkdirSync(outputDir, { recursive: true });
  child.on('error', () => {});
  child.once('exit', () => rmSync(outputDir, { recursive: true, force: true }));
  // Idle workers must not keep the server (or a test process) alive on their own.
  child.unref();
  child.channel?.unref();
  return { child, signature: null, outputDir };
}

/**
 * One request to a worker. The worker is killed (and never reused) when the deadline passes, its resident memory
 * exceeds the cap, or the file it writes grows past the download cap; the caller gets 408 or 400 accordingly.
 */
function ask(worker: Worker, request: WorkerRequest, timeoutMs: number, outputFile?: string): Promise<WorkerReply> {
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
    const onExit = () => finish(() => reject(new SqlError(400, 'crashed')));
    const deadline = setTimeout(() => kill(new SqlError(408, 'timeout', { seconds: timeoutMs / 1000 })), timeoutMs);
    const watchdog = setInterval(() => {
      if (residentMb(worker.child.pid) > SQL_LIMITS.processMemoryMb) kill(new SqlError(400, 'memory', { limit: SQL_LIMITS.memory }));
      else if (outputFile && fileSize(outputFile) > SQL_LIMITS.maxDownloadBytes) kill(new SqlError(400, 'download_size', { limit: `${env().KOTA_SQL_DOWNLOAD_MB}MB` }));
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

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
