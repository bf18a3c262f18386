import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { quoteList, quoteLiteral } from '../db/sql.ts';
import { env } from '../config/env.ts';

/** What a run's engine may touch: every other file on the machine is out of reach of its SQL. */
export interface StagingAccess {
  /** Files it may read: the source, the current Parquet of the declared inputs and relationships targets. */
  readFiles: string[];
  /** Folders it may read and write: the run's scratch folder and its staging folder in the lake. */
  writeDirs: string[];
}

/**
 * A private in-memory DuckDB for one run: the runner never touches the server's catalog index, so it works while the
 * server holds that file's lock (invariant 5). Memory is bounded and spills to the run's scratch folder.
 *
 * Locked like the SQL sandbox (issue 8 finding 6): transform.sql and a spec are untrusted input, so file access is
 * off except for exactly `access`, extensions are neither installed nor loaded, and the configuration is locked so
 * no statement can undo any of it. A transform doing read_text('/etc/hostname') or reading another dataset's files
 * gets a permission error even if the parse-tree policy (transform.ts) were ever fooled.
 */
export async function openStaging(scratch: string, access: StagingAccess, memoryLimit = env().KOTA_RUNNER_MEMORY): Promise<Staging> {
  mkdirSync(scratch, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: memoryLimit,
    autoinstall_known_extensions: 'false',
    // parquet and json are linked in; nothing may be loaded from disk.
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  try {
    await conn.run(`SET preserve_insertion_order = true`);
    await conn.run(`SET temp_directory = ${quoteLiteral(scratch)}`);
    const dirs = [scratch, ...access.writeDirs].map((d) => (d.endsWith(path.sep) ? d : d + path.sep));
    await conn.run(`SET allowed_directories = ${quoteList(dirs)}`);
    if (access.readFiles.length > 0) await conn.run(`SET allowed_paths = ${quoteList(access.readFiles)}`);
    await conn.run(`SET enable_external_access = false`);
    await conn.run(`SET lock_configuration = true`);
  } catch (error) {
    conn.closeSync();
    instance.closeSync();
    throw error;
  }
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
