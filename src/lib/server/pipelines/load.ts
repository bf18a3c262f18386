import type { DuckDBConnection } from '@duckdb/node-api';
import { SourceError } from './extract.ts';
import type { DecodedSource } from './decode.ts';

/** transform.sql is not a single SELECT over `source`, or DuckDB rejected it. */
export class TransformError extends Error {}

/**
 * Loads the decoded source into table `source`. Types are sniffed from a sample; when a later value breaks the
 * sniffed type, the load is repeated with every column as text so that the schema step can name the bad rows.
 */
export async function loadSource(conn: DuckDBConnection, decoded: DecodedSource, onRows?: (rows: number) => void): Promise<void> {
  try {
    await withProgress(conn, onRows, () => conn.run(`CREATE OR REPLACE TABLE source AS SELECT * FROM ${decoded.readExpression}`));
  } catch (error) {
    const message = (error as Error).message;
    if (!/Conversion Error|Could not convert|type/i.test(message) || decoded.readAsText === decoded.readExpression) {
      throw new SourceError(`source: cannot be read: ${firstLines(message)}`);
    }
    try {
      await withProgress(conn, onRows, () => conn.run(`CREATE OR REPLACE TABLE source AS SELECT * FROM ${decoded.readAsText}`));
    } catch (retryError) {
      throw new SourceError(`source: cannot be read: ${firstLines((retryError as Error).message)}`);
    }
  }
}

/** Runs transform.sql: exactly one SELECT (or WITH … SELECT) statement, reading the relation `source`. */
export async function applyTransform(conn: DuckDBConnection, sql: string): Promise<string> {
  const body = sql.trim().replace(/;\s*$/, '');
  let count: number;
  try {
    count = (await conn.extractStatements(body)).count;
  } catch (error) {
    throw new TransformError(`transform.sql: ${firstLines((error as Error).message)}`);
  }
  if (count !== 1 || !/^\s*(--[^\n]*\n\s*)*(select|with|from)\b/i.test(body)) {
    throw new TransformError(`transform.sql: expected one SELECT statement reading the relation "source", found ${count} statement(s)`);
  }
  try {
    await conn.run(`CREATE OR REPLACE TABLE result AS ${body}`);
  } catch (error) {
    throw new TransformError(`transform.sql: ${firstLines((error as Error).message)}`);
  }
  return 'result';
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

function firstLines(message: string): string {
  return message.split('\n').slice(0, 6).join('\n');
}
