import { DuckDBInstance } from '@duckdb/node-api';
import { listPublicDatasets } from '../catalog/queries.ts';
import { quoteIdent, quoteList, quoteLiteral } from '../db/sql.ts';
import { versionDataPath } from '../lake/read.ts';
import { checkSqlTree } from './sql-policy.ts';

/**
 * User SQL (ARCHITECTURE invariant 6). Two walls:
 * 1. The engine: a separate in-memory DuckDB whose only tables are views over the current Parquet file of each
 *    public dataset. File access is off except for exactly those files (`allowed_paths`), extensions cannot be
 *    installed or loaded, memory is capped, and the configuration is locked so no statement can undo any of it.
 * 2. The statement: parsed by DuckDB itself (json_serialize_sql) and checked by ./sql-policy.ts — one SELECT,
 *    reading dataset views and CTEs only, no table functions, no settings.
 * Time is bounded by interrupting the query; rows by reading at most `maxRows + 1` from a stream.
 */
export const SQL_LIMITS = {
  timeoutMs: Number(process.env.KOTA_SQL_TIMEOUT_MS ?? 3000),
  defaultRows: 1000,
  maxRows: 10_000,
  memory: process.env.KOTA_SQL_MEMORY ?? '256MB',
};

export class SqlError extends Error {
  readonly status: 400 | 408;
  constructor(status: 400 | 408, message: string) {
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

interface Sandbox {
  signature: string;
  instance: DuckDBInstance;
  tables: Set<string>;
}

let current: Promise<Sandbox> | undefined;
let currentSignature = '';

/** The sandbox for the current set of public versions; rebuilt (cheaply) when a version is published. */
async function sandbox(): Promise<Sandbox> {
  const datasets = await listPublicDatasets();
  const signature = datasets.map((d) => `${d.id}@${d.version}`).join(',');
  if (!current || signature !== currentSignature) {
    currentSignature = signature;
    current = createSandbox(signature, datasets.map((d) => ({ id: d.id, file: versionDataPath(d.id, d.version) })));
  }
  return current;
}

async function createSandbox(signature: string, datasets: { id: string; file: string }[]): Promise<Sandbox> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '2',
    memory_limit: SQL_LIMITS.memory,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    temp_directory: '',
  });
  const conn = await instance.connect();
  try {
    if (datasets.length > 0) await conn.run(`SET allowed_paths = ${quoteList(datasets.map((d) => d.file))}`);
    for (const d of datasets) {
      await conn.run(`CREATE VIEW ${quoteIdent(d.id)} AS SELECT * FROM read_parquet(${quoteLiteral(d.file)})`);
    }
    await conn.run('SET enable_external_access = false');
    await conn.run('SET lock_configuration = true');
  } finally {
    conn.closeSync();
  }
  return { signature, instance, tables: new Set(datasets.map((d) => d.id)) };
}

/** The names user SQL may read: one view per public dataset, named by its id. */
export async function sqlTables(): Promise<string[]> {
  return [...(await sandbox()).tables].sort();
}

export async function runSql(sql: string, options: { maxRows?: number; timeoutMs?: number } = {}): Promise<SqlResult> {
  const maxRows = Math.min(Math.max(1, Math.floor(options.maxRows ?? SQL_LIMITS.defaultRows)), SQL_LIMITS.maxRows);
  const timeoutMs = options.timeoutMs ?? SQL_LIMITS.timeoutMs;
  const text = sql.trim().replace(/;\s*$/, '');
  if (!text) throw new SqlError(400, 'sql: empty query; write one SELECT statement, e.g. SELECT * FROM "kecamatan-bandung" LIMIT 10');
  if (text.length > 20_000) throw new SqlError(400, 'sql: the query is longer than 20,000 characters');
  const box = await sandbox();
  const conn = await box.instance.connect();
  const started = performance.now();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    conn.interrupt();
  }, timeoutMs);
  try {
    // json_serialize_sql only takes a constant; the literal is escaped by the one quoting helper, and it only parses.
    const tree = (await conn.runAndReadAll(`SELECT json_serialize_sql(${quoteLiteral(text)}) AS tree`)).getRowObjectsJson()[0]!.tree;
    const problem = checkSqlTree(JSON.parse(String(tree)), box.tables);
    if (problem) throw new SqlError(400, `sql: ${problem}`);
    const result = await conn.stream(text);
    const names = result.deduplicatedColumnNames();
    const columns = names.map((name, i) => ({ name, type: result.columnType(i).toString() }));
    const rows: Record<string, unknown>[] = [];
    for await (const chunk of result.yieldRowObjectJson()) {
      rows.push(...(chunk as Record<string, unknown>[]));
      if (rows.length > maxRows) break;
    }
    // An interrupted stream just ends (FIELD-NOTES): never serve a cut-off result as if complete.
    if (timedOut) throw timeoutError(timeoutMs);
    return { columns, rows: rows.slice(0, maxRows), truncated: rows.length > maxRows, elapsed_ms: Math.round(performance.now() - started) };
  } catch (error) {
    if (error instanceof SqlError) throw error;
    if (timedOut) throw timeoutError(timeoutMs);
    throw new SqlError(400, `sql: ${describeDuckDbError((error as Error).message)}`);
  } finally {
    clearTimeout(timer);
    conn.closeSync();
  }
}

function timeoutError(timeoutMs: number): SqlError {
  return new SqlError(408, `sql: the query ran longer than the ${timeoutMs / 1000} s limit and was stopped; filter or aggregate more`);
}

function describeDuckDbError(message: string): string {
  const first = message.split('\n')[0] ?? message;
  if (/Out of Memory/i.test(first)) return `the query needs more than the ${SQL_LIMITS.memory} memory limit; filter or aggregate more (${first})`;
  return first;
}
