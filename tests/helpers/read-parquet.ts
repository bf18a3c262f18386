import { DuckDBInstance } from '@duckdb/node-api';
import { readCurrent, versionDataPath } from '../../src/lib/server/lake/read.ts';

/** Reads back a published version with a separate DuckDB, as a data scientist would. */
export async function readPublished(id: string, version?: string): Promise<Record<string, unknown>[]> {
  const v = version ?? (await readCurrent(id))?.version;
  if (!v) throw new Error(`${id} is not published`);
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const path = versionDataPath(id, v).replaceAll("'", "''");
    return (await conn.runAndReadAll(`SELECT * FROM read_parquet('${path}')`)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

let separate: Promise<DuckDBInstance> | undefined;

/** One SQL query in a separate in-memory DuckDB (the independent answer tests compare the server's with). */
export async function queryDirect(sql: string): Promise<Record<string, unknown>[]> {
  separate ??= DuckDBInstance.create(':memory:');
  const conn = await (await separate).connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
  }
}
