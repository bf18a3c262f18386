import { BIGINT, BOOLEAN, DATE, DOUBLE, DuckDBInstance, VARCHAR, dateValue, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { quoteIdent, quoteList, quoteLiteral } from '../db/sql.ts';
import type { ParamType } from './saved-query-schema.ts';
import { boundPlanProblem, sqlTreeProblem, type SqlProblem } from './sql-policy.ts';

/**
 * The DuckDB engine user SQL runs in (the worker, ./sandbox-worker.ts, drives it; tests use it directly): an
 * in-memory database whose only tables are views over the current Parquet file of each public dataset. File
 * access is off except for exactly those files (and, for full-result downloads, the worker's own output folder),
 * extensions cannot be installed or loaded, and the configuration is locked so no statement can undo any of it.
 * Every statement passes both checks of ./sql-policy.ts before it runs.
 */
export interface SandboxTable {
  id: string;
  file: string;
}

export interface SandboxEngine {
  instance: DuckDBInstance;
  tables: ReadonlySet<string>;
  files: ReadonlySet<string>;
}

/** A bound parameter of a saved query: its name in the SQL (`$name`), its type and the already-validated value. */
export interface BoundParam {
  name: string;
  type: ParamType;
  value: string;
}

export async function openSandbox(datasets: SandboxTable[], memory: string, outputDir?: string): Promise<SandboxEngine> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    memory_limit: memory,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    temp_directory: '',
  });
  const conn = await instance.connect();
  try {
    if (datasets.length > 0) await conn.run(`SET allowed_paths = ${quoteList(datasets.map((d) => d.file))}`);
    if (outputDir) await conn.run(`SET allowed_directories = ${quoteList([outputDir.endsWith('/') ? outputDir : `${outputDir}/`])}`);
    for (const d of datasets) await conn.run(`CREATE VIEW ${quoteIdent(d.id)} AS SELECT * FROM read_parquet(${quoteLiteral(d.file)})`);
    await conn.run('SET enable_external_access = false');
    await conn.run('SET lock_configuration = true');
  } finally {
    conn.closeSync();
  }
  return { instance, tables: new Set(datasets.map((d) => d.id)), files: new Set(datasets.map((d) => d.file)) };
}

/** DuckDB's JSON view of a statement: `json_serialize_sql` (the parse tree) or `json_serialize_plan` (what it binds). */
export async function serialized(conn: DuckDBConnection, fn: 'json_serialize_sql' | 'json_serialize_plan', sql: string): Promise<Record<string, unknown>> {
  // These functions take a constant only; the literal is escaped by the one quoting helper, and they never run it.
  const reader = await conn.runAndReadAll(`SELECT ${fn}(${quoteLiteral(sql)}) AS tree`);
  return JSON.parse(String(reader.getRowObjectsJson()[0]!.tree)) as Record<string, unknown>;
}

/** Both walls: the parse-tree policy, then the bound plan. Null when the statement may run. */
export async function sandboxProblem(engine: SandboxEngine, conn: DuckDBConnection, sql: string): Promise<SqlProblem | null> {
  const treeProblem = sqlTreeProblem(await serialized(conn, 'json_serialize_sql', sql), engine.tables);
  if (treeProblem) return treeProblem;
  return boundPlanProblem(await serialized(conn, 'json_serialize_plan', sql), { files: engine.files });
}

const DUCK_TYPES: Record<ParamType, DuckDBType> = { string: VARCHAR, integer: BIGINT, number: DOUBLE, boolean: BOOLEAN, date: DATE };

/** Validated parameter text → typed DuckDB values, bound by name (never spliced into the SQL). */
export function boundValues(params: readonly BoundParam[]): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType> } {
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const p of params) {
    types[p.name] = DUCK_TYPES[p.type];
    if (p.type === 'integer') values[p.name] = BigInt(p.value);
    else if (p.type === 'number') values[p.name] = Number(p.value);
    else if (p.type === 'boolean') values[p.name] = p.value === 'true';
    else if (p.type === 'date') {
      const [year, month, day] = p.value.split('-').map(Number) as [number, number, number];
      values[p.name] = dateValue({ year, month, day });
    } else values[p.name] = p.value;
  }
  return { values, types };
}

export interface ReadResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  truncated: boolean;
  /** Which limit cut the result: the row count or the size of the rows as JSON. */
  truncatedBy: 'rows' | 'bytes' | null;
}

/**
 * Runs an already checked statement and keeps at most `maxRows` rows and about `maxBytes` of them as JSON, so a
 * result of long strings cannot grow the worker, the IPC message or the server's response beyond the cap.
 */
export async function readResult(conn: DuckDBConnection, sql: string, params: readonly BoundParam[], limits: { maxRows: number; maxBytes: number }): Promise<ReadResult> {
  const { values, types } = boundValues(params);
  const result = params.length > 0 ? await conn.stream(sql, values, types) : await conn.stream(sql);
  const columns = result.deduplicatedColumnNames().map((name, i) => ({ name, type: result.columnType(i).toString() }));
  const rows: Record<string, unknown>[] = [];
  let bytes = 0;
  let truncatedBy: ReadResult['truncatedBy'] = null;
  outer: for await (const chunk of result.yieldRowObjectJson()) {
    for (const row of chunk as Record<string, unknown>[]) {
      if (rows.length >= limits.maxRows) {
        truncatedBy = 'rows';
        break outer;
      }
      bytes += JSON.stringify(row).length + 1;
      if (bytes > limits.maxBytes) {
        truncatedBy = 'bytes';
        break outer;
      }
      rows.push(row);
    }
  }
  return { columns, rows, truncated: truncatedBy !== null, truncatedBy };
}

export type ExportFormat = 'csv' | 'json' | 'parquet';

const COPY_OPTIONS: Record<ExportFormat, string> = {
  csv: '(FORMAT csv, HEADER true)',
  json: '(FORMAT json, ARRAY true)',
  parquet: '(FORMAT parquet, COMPRESSION zstd)',
};

/** Writes the whole result of an already checked statement to `file` with DuckDB's own COPY; returns the row count. */
export async function exportResult(conn: DuckDBConnection, sql: string, params: readonly BoundParam[], format: ExportFormat, file: string): Promise<number> {
  const { values, types } = boundValues(params);
  // Newlines around the statement: a trailing line comment in it cannot swallow the COPY's own clauses.
  const statement = `COPY (\n${sql}\n) TO ${quoteLiteral(file)} ${COPY_OPTIONS[format]}`;
  const reader = params.length > 0 ? await conn.runAndReadAll(statement, values, types) : await conn.runAndReadAll(statement);
  return Number(reader.getRowObjectsJson()[0]?.Count ?? 0);
}
