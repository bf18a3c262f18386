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
