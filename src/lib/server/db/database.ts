import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { platformDbPath } from '../config/paths.ts';
import { migrate } from './migrate.ts';
import { onShutdown } from '../shutdown.ts';

/**
 * The server's one DuckDB instance over data/platform.duckdb. Only the server opens this file
 * (read-write, so exclusively); the pipeline CLI never does — ARCHITECTURE invariant 5.
 */
let ready: Promise<DuckDBInstance> | undefined;

export function platformDb(): Promise<DuckDBInstance> {
  ready ??= (async () => {
    const file = platformDbPath();
    mkdirSync(path.dirname(file), { recursive: true });
    const instance = await DuckDBInstance.fromCache(file, { threads: '2' });
    onShutdown('platform database', async () => {
      // Written out now rather than replayed from the WAL at the next start.
      const last = await instance.connect();
      await last.run('CHECKPOINT').finally(() => last.closeSync());
      instance.closeSync();
    });
    const conn = await instance.connect();
    try {
      await migrate(conn);
    } finally {
      conn.closeSync();
    }
    return instance;
  })();
  return ready;
}

/** A connection for one unit of work, closed afterwards (a connection with an open stream must not be shared). */
export async function withConnection<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const conn = await (await platformDb()).connect();
  try {
    return await work(conn);
  } finally {
    conn.closeSync();
  }
}

/** Runs `work` in a transaction; rolls back on any error so a failed write leaves nothing behind. */
export async function transaction<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  return withConnection(async (conn) => {
    await conn.run('BEGIN TRANSACTION');
    try {
      const result = await work(conn);
      await conn.run('COMMIT');
      return result;
    } catch (error) {
      await conn.run('ROLLBACK');
      throw error;
    }
  });
}

/** Rows as plain JSON-safe objects (DuckDB's JSON conversion: BIGINT as string, dates as ISO strings). */
export async function queryRows<T = Record<string, unknown>>(
  conn: DuckDBConnection,
  sql: string,
  params?: Record<string, unknown> | unknown[],
): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params as never);
  return reader.getRowObjectsJson() as T[];
}
