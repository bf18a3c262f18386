import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../db/sql.ts';
import { castExpression } from './coerce.ts';
import type { DecodedSource } from './decode.ts';
import type { SourceError } from './extract.ts';
import { sourceProblem } from './source-problem.ts';
import { chooseEncoding, scanEncoding } from './text-encoding.ts';
import { TYPED, TYPED_ROW } from './rule-query.ts';
import type { FieldSpec } from '../lake/schema.ts';

/**
 * Loads the decoded source into table `source` and returns the reading that worked. Types are sniffed from a
 * sample; when a later value breaks the sniffed type, the load is repeated with every column as text so that the
 * schema step can name the bad rows. When DuckDB's strict CSV read fails, the file is examined (decoded.relax):
 * what is safe is read with relaxed settings, what is not becomes a message naming the lines and the spec option.
 */
export async function loadSource(conn: DuckDBConnection, decoded: DecodedSource, onRows?: (rows: number) => void): Promise<DecodedSource> {
  const load = (expression: string) => withProgress(conn, onRows, () => conn.run(`CREATE OR REPLACE TABLE source AS SELECT * FROM ${expression}`));
  let error: unknown;
  for (const reading of [decoded, null]) {
    let current = reading;
    if (!current) {
      if (!decoded.relax || !isCsvStructureError(error)) break;
      current = await decoded.relax();
    }
    try {
      await load(current.readExpression);
      return current;
    } catch (first) {
      error = first;
      if (isConversionError(first) && current.readAsText !== current.readExpression) {
        try {
          await load(current.readAsText);
          return current;
        } catch (retry) {
          error = retry;
        }
      }
    }
    if (isInvalidUnicode(error)) chooseEncoding(await scanEncoding(decoded.originalFile), 'utf-8');
  }
  throw unreadable(error);
}

function isConversionError(error: unknown): boolean {
  return /Conversion Error|Could not convert|type/i.test((error as Error)?.message ?? '');
}

function isInvalidUnicode(error: unknown): boolean {
  return /Invalid unicode/i.test((error as Error)?.message ?? '');
}

function isCsvStructureError(error: unknown): boolean {
  return /CSV Error|sniffing|invalid state|Expected Number of Columns|Invalid unicode/i.test((error as Error)?.message ?? '');
}

/** DuckDB's message, cut to its cause and line: the option dump and "possible fixes" name DuckDB's options, not ours. */
function unreadable(error: unknown): SourceError {
  const message = (error as Error)?.message ?? String(error);
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  const cause = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(Possible (fixes|Solution)|\*|file =|LINE \d|Original Line|CSV Error on Line)/.test(l) && !/ = /.test(l))[0];
  return line ? sourceProblem('source.csv.unreadable_line', { line, cause: cause ?? message }) : sourceProblem('source.unreadable', { cause: cause ?? message });
}

async function withProgress<T>(conn: DuckDBConnection, onRows: ((rows: number) => void) | undefined, work: () => Promise<T>): Promise<T> {
  if (!onRows) return work();
  const timer = setInterval(() => {
    const p = conn.progress;
    if (p.rows_processed > 0n) onRows(Number(p.rows_processed));
  }, 1000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * The fast path for a source without transform.sql whose sniffed column types already are the schema's types
 * (the usual case for a clean export): one streaming COPY from the source straight to the staging Parquet — the
 * same work as DuckDB's bare COPY — and validation then reads the Parquet (file_row_number gives row numbers).
 * Returns false, having written nothing, whenever the slow path is needed: a column needs converting, a column
 * is missing, or a value breaks the sniffed type half-way through the file.
 */
export async function copySourceToParquet(
  conn: DuckDBConnection,
  decoded: DecodedSource,
  fields: FieldSpec[],
  decimal: '.' | ',',
  target: string,
  nullsFor: (field: FieldSpec) => readonly string[] | null,
  onRows?: (rows: number) => void,
): Promise<boolean> {
  let columns: { name: string; type: string }[];
  try {
    columns = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${decoded.readExpression}`)).getRowObjectsJson().map((r) => ({
      name: String(r.column_name),
      type: String(r.column_type),
    }));
  } catch {
    return false;
  }
  const types = new Map(columns.map((c) => [c.name, c.type]));
  const selects: string[] = [];
  for (const field of fields) {
    const column = field.source ?? field.name;
    const type = types.get(column);
    if (type === undefined || castExpression(column, type, field, decimal, nullsFor(field)) !== quoteIdent(column)) return false;
    selects.push(`${quoteIdent(column)} AS ${quoteIdent(field.name)}`);
  }
  await mkdir(path.dirname(target), { recursive: true });
  try {
    await withProgress(conn, onRows, () =>
      conn.run(`COPY (SELECT ${selects.join(', ')} FROM ${decoded.readExpression}) TO ${quoteLiteral(target)} (FORMAT parquet, COMPRESSION zstd)`),
    );
    return true;
  } catch {
    await rm(target, { force: true });
    return false;
  }
}

/** `typed` over the staged Parquet, with the source row index as "__row" like the slow path's table. */
export async function typedOverParquet(conn: DuckDBConnection, file: string): Promise<void> {
  await conn.run(
    `CREATE OR REPLACE VIEW ${TYPED} AS SELECT file_row_number AS ${TYPED_ROW}, * EXCLUDE (file_row_number) FROM read_parquet(${quoteLiteral(file)}, file_row_number = true)`,
  );
}
