import { beforeAll, describe, expect, test } from 'vitest';
import { syncCatalog } from '../../src/lib/server/catalog/sync.ts';
import { existsSync, readFileSync } from 'node:fs';
import { exportSql, runSql, SqlError, sqlTables } from '../../src/lib/server/query/sandbox.ts';
import { bindSavedQueryParams, findSavedQuery } from '../../src/lib/server/query/saved-queries.ts';
import { baseSpec, createProject, type TestProject } from '../helpers/pipeline-project.ts';
import { SQL_ATTACKS } from '../helpers/sql-attacks.ts';
import { readPublished } from '../helpers/read-parquet.ts';

let project: TestProject;

beforeAll(async () => {
  project = createProject();
  project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,10\nCibiru,20\nRegol,30\n');
  project.addPipeline('publik', baseSpec());
  project.writeFile('datasets/rahasia.csv', 'kecamatan,jumlah\nRahasia,1\n');
  project.addPipeline('rahasia', baseSpec({ classification: 'terbatas', source: { path: 'datasets/rahasia.csv', format: 'csv' } }));
  // A dataset's own saved query, declared in its pipeline.yaml and published with its manifest.
  project.addPipeline(
    'bertanya',
    baseSpec({
      queries: [{ name: 'di-atas', title: 'Di atas batas', description: 'Kecamatan dengan jumlah di atas batas.', sql: 'SELECT kecamatan FROM bertanya WHERE jumlah > $batas ORDER BY 1', params: [{ name: 'batas', type: 'integer', title: 'Batas', default: 15 }] }],
    }),
  );
  expect((await project.run('bertanya')).exitCode).toBe(0);
  expect((await project.run('publik')).exitCode).toBe(0);
  expect((await project.run('rahasia')).exitCode).toBe(0);
  await syncCatalog();
});

async function rejected(sql: string, timeoutMs = 1500): Promise<SqlError> {
  try {
    await runSql(sql, { timeoutMs });
  } catch (error) {
    expect(error).toBeInstanceOf(SqlError);
    return error as SqlError;
  }
  throw new Error(`expected "${sql}" to be rejected`);
}

describe('the SQL sandbox (invariant 6)', () => {
  test('reads public datasets by their id', async () => {
    const result = await runSql('SELECT kecamatan, jumlah * 2 AS dua_kali FROM publik WHERE jumlah > 10 ORDER BY jumlah');
    expect(result.rows).toEqual([
      { kecamatan: 'Cibiru', dua_kali: '40' },
      { kecamatan: 'Regol', dua_kali: '60' },
    ]);
    expect(result.columns).toEqual([
      { name: 'kecamatan', type: 'VARCHAR' },
      { name: 'dua_kali', type: 'BIGINT' },
    ]);
    expect(result.truncated).toBe(false);
    expect(await sqlTables()).toEqual(['bertanya', 'publik']);
  });

  test('CTEs, joins and aggregates are fine', async () => {
    const result = await runSql('WITH t AS (SELECT * FROM publik) SELECT count(*) AS n, sum(a.jumlah) AS s FROM t a JOIN publik b USING (kecamatan)');
    expect(result.rows).toEqual([{ n: '3', s: '60' }]);
  });

  test('a result past the row limit is truncated and flagged', async () => {
    const result = await runSql('SELECT a.kecamatan FROM publik a, publik b, publik c', { maxRows: 5 });
    expect(result.rows).toHaveLength(5);
    expect(result.truncated).toBe(true);
  });

  test.each(SQL_ATTACKS)('refuses %s with a clear 400', async (_name, sql, message) => {
    const error = await rejected(sql);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });

  test('DESCRIBE and SUMMARIZE of a dataset are fine', async () => {
    expect((await runSql('DESCRIBE publik')).rows.map((r) => r.column_name)).toEqual(['kecamatan', 'jumlah']);
    expect((await runSql('SUMMARIZE publik')).rows.map((r) => r.column_name)).toEqual(['kecamatan', 'jumlah']);
  });

  test('a CTE named like a system view but defined by the query is fine', async () => {
    expect((await runSql('WITH pg_settings AS (SELECT kecamatan FROM publik) SELECT count(*) AS n FROM pg_settings')).rows).toEqual([{ n: '3' }]);
    expect((await runSql('WITH RECURSIVE duckdb_tables(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM duckdb_tables WHERE n < 4) SELECT max(n) AS n FROM duckdb_tables')).rows).toEqual([{ n: 4 }]);
  });

  test('a result of long strings is cut at the size cap in the worker, not after it reached the server (finding 11)', async () => {
    const before = process.memoryUsage().rss;
    // 3^9 = 19,683 rows of 10 KB: about 200 MB of JSON without the cap, 10,000 rows (100 MB) under max_rows alone.
    const result = await runSql(
      "SELECT repeat('x', 10000) || a.kecamatan AS teks FROM publik a, publik b, publik c, publik d, publik e, publik f, publik g, publik h, publik i",
      { maxRows: 10_000, timeoutMs: 30_000 },
    );
    expect(result.truncated).toBe(true);
    expect(result.truncated_by).toBe('bytes');
    const bytes = JSON.stringify(result.rows).length;
    expect(bytes).toBeLessThanOrEqual(8 * 1024 * 1024);
    expect(bytes).toBeGreaterThan(7 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });

  test('the whole result of an accepted query is written to a file, beyond the row cap', async () => {
    const exported = await exportSql('SELECT a.kecamatan, b.jumlah FROM publik a, publik b ORDER BY 1, 2', 'csv');
    try {
      expect(exported.rows).toBe(9);
      expect(readFileSync(exported.file, 'utf8').trim().split('\n')).toEqual(['kecamatan,jumlah', ...['Andir', 'Cibiru', 'Regol'].flatMap((k) => [10, 20, 30].map((j) => `${k},${j}`))]);
    } finally {
      exported.remove();
    }
    expect(existsSync(exported.file)).toBe(false);
    // The same two walls stand in front of a download.
    await expect(exportSql('WITH pg_settings AS (SELECT * FROM pg_settings) SELECT * FROM pg_settings', 'parquet')).rejects.toMatchObject({ status: 400, code: 'unknown_table' });
  });

  test('a saved query declared in pipeline.yaml is published with the dataset and runs with its default', async () => {
    const query = await findSavedQuery('bertanya', 'di-atas');
    expect(query).toMatchObject({ dataset: 'bertanya', page: '/datasets/bertanya/queries/di-atas', api: '/api/v1/datasets/bertanya/queries/di-atas' });
    expect((await runSql(query.sql, { params: bindSavedQueryParams(query, new URLSearchParams()) })).rows).toEqual([{ kecamatan: 'Cibiru' }, { kecamatan: 'Regol' }]);
    expect(() => bindSavedQueryParams(query, new URLSearchParams('batas=lima'))).toThrow(/"batas" must be integer, found "lima"/);
  });

  test('a saved query binds its parameters: a value is data, never SQL', async () => {
    const sql = 'SELECT kecamatan FROM publik WHERE kecamatan = $nama OR jumlah > $minimum ORDER BY 1';
    const run = (nama: string, minimum: string) => runSql(sql, { params: [{ name: 'nama', type: 'string', value: nama }, { name: 'minimum', type: 'integer', value: minimum }] });
    expect((await run('Andir', '25')).rows).toEqual([{ kecamatan: 'Andir' }, { kecamatan: 'Regol' }]);
    expect((await run("x' OR '1'='1", '1000')).rows).toEqual([]);
    expect((await run("Andir'; DROP VIEW publik; --", '1000')).rows).toEqual([]);
    expect((await runSql('SELECT count(*) AS n FROM publik')).rows).toEqual([{ n: '3' }]);
  });

  test('a query past the time limit is interrupted within a second of the limit (408)', async () => {
    const started = Date.now();
    const error = await rejected('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1e12) SELECT max(n) FROM r');
    expect(error.status).toBe(408);
    expect(error.message).toContain('1.5 s limit');
    expect(Date.now() - started).toBeLessThan(1500 + 1000);
  });

  test('a query that would exhaust memory fails with a clear 400', async () => {
    const error = await rejected(
      "SELECT list(repeat('x', 100000) || a.kecamatan || b.kecamatan) FROM publik a, publik b, publik c, publik d, publik e, publik f, publik g, publik h",
      30_000, // memory must run out first, even on a busy machine
    );
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/needs more than the 256MB memory limit/);
  });

  test('a query stuck inside one expression (no chunk boundary to interrupt at) is still stopped at the limit', async () => {
    const started = Date.now();
    const error = await rejected("SELECT max(levenshtein(repeat('a', 12000) || a.kecamatan, repeat('b', 12000))) FROM publik a, publik b, publik c");
    expect(error.status).toBe(408);
    expect(Date.now() - started).toBeLessThan(1500 + 1000);
  });

  test('memory allocated outside DuckDB\'s buffer manager is capped too, and the server process does not grow', async () => {
    const before = process.memoryUsage().rss;
    const error = await rejected('SELECT len(range(400000000)) AS n', 30_000);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/memory limit/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    // The pool recovers: the next query gets a fresh worker.
    expect((await runSql('SELECT count(*) AS n FROM publik')).rows).toEqual([{ n: '3' }]);
  });

  test('nothing the attacks tried changed the data', async () => {
    expect(await readPublished('publik')).toHaveLength(3);
    expect((await runSql('SELECT count(*) AS n FROM publik')).rows).toEqual([{ n: '3' }]);
  });
});
