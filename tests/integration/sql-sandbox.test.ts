import { beforeAll, describe, expect, test } from 'vitest';
import { syncCatalog } from '../../src/lib/server/catalog/sync.ts';
import { runSql, SqlError, sqlTables } from '../../src/lib/server/query/sandbox.ts';
import { baseSpec, createProject, type TestProject } from '../helpers/pipeline-project.ts';
import { readPublished } from '../helpers/read-parquet.ts';

let project: TestProject;

beforeAll(async () => {
  project = createProject();
  project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,10\nCibiru,20\nRegol,30\n');
  project.addPipeline('publik', baseSpec());
  project.writeFile('datasets/rahasia.csv', 'kecamatan,jumlah\nRahasia,1\n');
  project.addPipeline('rahasia', baseSpec({ classification: 'terbatas', source: { path: 'datasets/rahasia.csv', format: 'csv' } }));
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
    expect(await sqlTables()).toEqual(['publik']);
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

  test.each([
    ['a file through read_csv', "SELECT * FROM read_csv('/etc/passwd')", /table functions such as read_csv/],
    ['a file through read_text', "SELECT * FROM read_text('/etc/passwd')", /table functions such as read_text/],
    ['the lake through read_parquet', "SELECT * FROM read_parquet('data/lake/*/*/data.parquet')", /table functions such as read_parquet/],
    ['a quoted file path in FROM', "SELECT * FROM '/etc/passwd'", /unknown table "\/etc\/passwd"/],
    ['glob', "SELECT * FROM glob('/*')", /table functions such as glob/],
    ['a restricted dataset', 'SELECT * FROM rahasia', /unknown table "rahasia"/],
    ['the catalog schema', 'SELECT * FROM information_schema.tables', /unknown table "information_schema.tables"/],
    ['settings through a table function', 'SELECT * FROM duckdb_settings()', /table functions such as duckdb_settings/],
    ['a system view behind a CTE name from another scope', 'SELECT * FROM (WITH pg_settings AS (SELECT 1) SELECT 1), pg_settings', /unknown table "pg_settings"/],
    ['the catalog through duckdb_tables', 'SELECT * FROM duckdb_tables', /unknown table "duckdb_tables"/],
    ['settings through current_setting', "SELECT current_setting('memory_limit')", /current_setting\(\) is not allowed/],
    ['environment variables', "SELECT getenv('HOME')", /getenv\(\) is not allowed/],
    ['COPY', "COPY (SELECT 1) TO '/tmp/kota-copy.csv'", /only SELECT queries are allowed/],
    ['ATTACH', "ATTACH '/tmp/kota.db' AS x", /only SELECT queries are allowed/],
    ['DETACH', 'DETACH x', /only SELECT queries are allowed/],
    ['INSTALL', 'INSTALL httpfs', /only SELECT queries are allowed/],
    ['LOAD', 'LOAD httpfs', /only SELECT queries are allowed/],
    ['SET', "SET memory_limit = '10GB'", /only SELECT queries are allowed/],
    ['RESET', 'RESET memory_limit', /only SELECT queries are allowed/],
    ['PRAGMA', 'PRAGMA database_list', /only SELECT queries are allowed/],
    ['CALL', 'CALL duckdb_settings()', /only SELECT queries are allowed/],
    ['CREATE', 'CREATE TABLE x AS SELECT 1', /only SELECT queries are allowed/],
    ['DROP', 'DROP VIEW publik', /only SELECT queries are allowed/],
    ['INSERT', 'INSERT INTO publik VALUES (1)', /only SELECT queries are allowed/],
    ['two statements', 'SELECT 1; SELECT 2', /exactly one statement/],
    ['a statement hidden after a comment', 'SELECT 1; -- \n DROP VIEW publik', /exactly one statement|only SELECT/],
    ['a parse error', 'SELEC 1', /syntax error/i],
  ])('refuses %s with a clear 400', async (_name, sql, message) => {
    const error = await rejected(sql);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
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
