import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeArrowFromParquet } from '../../src/lib/server/export/arrow.ts';

/**
 * The Arrow converter's worker threads (src/lib/server/export/arrow-workers.ts): row groups converted in parallel
 * must still come out whole and in file order, whatever else the pool is doing, and a failed conversion must not
 * leave the pool stuck.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'kota-arrow-'));
const parquet = path.join(dir, 'rows.parquet');
const ROWS = 50_000;

beforeAll(async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    // 25 row groups of 2,048 rows (the last shorter), text of varying length so the groups' sizes differ.
    await conn.run(
      `COPY (SELECT i::BIGINT AS id, repeat('x', (i % 37)::INTEGER) AS teks, CASE WHEN i % 5 = 0 THEN NULL ELSE i / 3 END AS nilai, DATE '2024-01-01' + (i % 365)::INTEGER AS tanggal
             FROM range(1, ${ROWS + 1}) t(i)) TO '${parquet}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});

function readBack(file: string) {
  const table = tableFromIPC(readFileSync(file));
  return { rows: table.numRows, ids: Array.from(table.getChild('id')!.toArray() as BigInt64Array, Number), table };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Arrow conversion on worker threads', () => {
  test('row groups converted in parallel come out in file order, every row once, types kept', async () => {
    const out = path.join(dir, 'one.arrow');
    await writeArrowFromParquet(parquet, out);
    const { rows, ids, table } = readBack(out);
    expect(rows).toBe(ROWS);
    expect(ids.every((id, i) => id === i + 1)).toBe(true);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['id:Int64', 'teks:Utf8', 'nilai:Float64', 'tanggal:Date32<DAY>']);
    expect(table.get(4)!.toJSON().nilai).toBeNull();
    expect(table.get(36)!.toJSON().teks).toBe('x'.repeat(37 % 37));
  });

  test('six conversions at once share the pool and each equals the one made alone', async () => {
    const alone = path.join(dir, 'alone.arrow');
    await writeArrowFromParquet(parquet, alone);
    const outs = Array.from({ length: 6 }, (_, i) => path.join(dir, `many-${i}.arrow`));
    await Promise.all(outs.map((out) => writeArrowFromParquet(parquet, out)));
    const expected = readFileSync(alone);
    for (const out of outs) expect(readFileSync(out).equals(expected)).toBe(true);
  });

  test('a file that is not Parquet fails with an error, and the pool goes on converting', async () => {
    const bogus = path.join(dir, 'bogus.parquet');
    writeFileSync(bogus, 'kecamatan,jumlah\nAndir,1\n');
    await expect(writeArrowFromParquet(bogus, path.join(dir, 'bogus.arrow'))).rejects.toThrow();
    const out = path.join(dir, 'after.arrow');
    await writeArrowFromParquet(parquet, out);
    expect(readBack(out).rows).toBe(ROWS);
  });

  test('a Parquet file without rows still gives the schema', async () => {
    const empty = path.join(dir, 'empty.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run(`COPY (SELECT 1::BIGINT AS id, 'a' AS teks WHERE false) TO '${empty}' (FORMAT parquet)`);
    conn.closeSync();
    instance.closeSync();
    const out = path.join(dir, 'empty.arrow');
    await writeArrowFromParquet(empty, out);
    const table = tableFromIPC(readFileSync(out));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'teks']);
  });
});
