import { mkdirSync } from 'node:fs';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { quoteLiteral } from '../db/sql.ts';
import { env } from '../config/env.ts';

/**
 * A private in-memory DuckDB for one run: the runner never touches the server's catalog index, so it works while the
 * server holds that file's lock (invariant 5). Memory is bounded and spills to the run's scratch folder.
 */
export async function openStaging(scratch: string, memoryLimit = env().KOTA_RUNNER_MEMORY): Promise<Staging> {
  mkdirSync(scratch, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: memoryLimit,
    temp_directory: scratch,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'true',
  });
  const conn = await instance.connect();
  await conn.run(`SET preserve_insertion_order = true`);
  await conn.run(`SET temp_directory = ${quoteLiteral(scratch)}`);
  return {
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

export interface Staging {
  conn: DuckDBConnection;
  close(): void;
}

export async function rowsJson(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** Column names and DuckDB types of a table, in order. */
export async function describeTable(conn: DuckDBConnection, table: string): Promise<{ name: string; type: string }[]> {
  const rows = await rowsJson(conn, `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = ${quoteLiteral(table)} ORDER BY ordinal_position`);
  return rows.map((r) => ({ name: String(r.name), type: String(r.type) }));
}
