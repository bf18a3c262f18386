import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSandbox, serialized, type SandboxEngine } from '../../src/lib/server/query/sandbox-engine.ts';
import { boundPlanProblem, sqlTreeProblem } from '../../src/lib/server/query/sql-policy.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/**
 * The two walls of the SQL policy, each on its own, on a real sandbox engine: the parse-tree check (CTE scoping as
 * DuckDB's binder does it) and the bound-plan check (only dataset Parquet files may be scanned). Issue 8 finding 4:
 * `WITH pg_settings AS (SELECT * FROM pg_settings) …` passed the first and read the real system view.
 */
let dir: string;
let engine: SandboxEngine;
let conn: DuckDBConnection;

beforeAll(async () => {
  dir = makeTempDir('kota-sql-scope-');
  const file = path.join(dir, 'publik.parquet');
  const setup = await (await DuckDBInstance.create(':memory:')).connect();
  await setup.run(`COPY (SELECT 'Andir' AS kecamatan, 10 AS jumlah) TO '${file}' (FORMAT parquet)`);
  setup.closeSync();
  engine = await openSandbox([{ id: 'publik', file }], '256MB');
  conn = await engine.instance.connect();
});

afterAll(() => {
  conn?.closeSync();
  engine?.instance.closeSync();
  removeDir(dir);
});

async function verdicts(sql: string) {
  const tree = sqlTreeProblem(await serialized(conn, 'json_serialize_sql', sql), engine.tables);
  const planJson = await serialized(conn, 'json_serialize_plan', sql);
  return { tree, plan: boundPlanProblem(planJson, { files: engine.files }), binds: !planJson.error };
}

const SYSTEM_NAMES = ['pg_settings', 'duckdb_views', 'duckdb_tables', 'duckdb_databases', 'sqlite_master', 'duckdb_settings', 'duckdb_functions'];

/** Finding 4's payloads and their relatives: every one must be refused by each wall alone. */
const SHADOWING_ATTACKS = SYSTEM_NAMES.flatMap((name) => [
  `WITH ${name} AS (SELECT * FROM ${name}) SELECT * FROM ${name}`,
  `WITH ${name} AS MATERIALIZED (SELECT * FROM ${name}) SELECT * FROM ${name}`,
  `WITH ${name} AS NOT MATERIALIZED (SELECT * FROM ${name}) SELECT * FROM ${name}`,
  `WITH RECURSIVE ${name} AS (SELECT * FROM ${name}) SELECT * FROM ${name}`,
  `WITH a AS (SELECT * FROM ${name}), ${name} AS (SELECT 1 AS x) SELECT * FROM a`,
  `WITH RECURSIVE a AS (SELECT * FROM ${name}), ${name} AS (SELECT 1 AS x) SELECT * FROM a`,
  `WITH x AS (SELECT 1 AS n) SELECT * FROM (WITH ${name} AS (SELECT * FROM ${name}) SELECT * FROM ${name})`,
  `SELECT * FROM (WITH ${name} AS (SELECT 1 AS x) SELECT 1 AS y), ${name}`,
  `WITH a AS (WITH ${name} AS (SELECT 1 AS x) SELECT * FROM ${name}) SELECT * FROM a, ${name}`,
  `SELECT 1 AS y FROM ${name} UNION ALL (WITH ${name} AS (SELECT 1 AS x) SELECT x FROM ${name})`,
  `WITH a AS (SELECT 1 AS x) SELECT * FROM a AS ${name}, ${name}`,
  `WITH RECURSIVE ${name} AS (SELECT 1 AS n FROM ${name} UNION ALL SELECT 1 FROM ${name} WHERE false) SELECT * FROM ${name}`,
]);

describe('each wall alone refuses CTE shadowing of system views (finding 4)', () => {
  test.each(SHADOWING_ATTACKS)('%s', async (sql) => {
    const { tree, plan, binds } = await verdicts(sql);
    expect(tree, 'parse-tree policy').not.toBeNull();
    // The plan check is independent: it sees what the engine bound, whatever the parser check concluded.
    if (binds) expect(plan?.code, 'bound-plan check').toMatch(/^plan_/);
  });

  test.each(['SHOW TABLES', 'SHOW ALL TABLES', 'SUMMARIZE pg_settings'])('%s (a catalog listing without a table name in the tree)', async (sql) => {
    const { tree, plan } = await verdicts(sql);
    expect(tree).not.toBeNull();
    expect(plan?.code).toBe('plan_scan');
  });

  test('another caller may allow a table of its own engine (a pipeline\'s `source`), and only that one', async () => {
    const own = await (await DuckDBInstance.create(':memory:')).connect();
    await own.run('CREATE TABLE source AS SELECT 1 AS n');
    await own.run('CREATE TABLE other AS SELECT 2 AS n');
    const plan = async (sql: string) => boundPlanProblem(await serialized(own, 'json_serialize_plan', sql), { files: new Set(), tables: new Set(['source']) });
    expect(await plan('SELECT n + 1 FROM source')).toBeNull();
    expect(await plan('SELECT * FROM other')).toEqual({ code: 'plan_scan', params: { name: 'other' } });
    expect(await plan('WITH source AS (SELECT * FROM duckdb_settings()) SELECT * FROM source')).toEqual({ code: 'plan_scan', params: { name: 'duckdb_settings' } });
    own.closeSync();
  });

  test('the payload reads settings when nothing checks it, so the test above tests something', async () => {
    const { binds, plan } = await verdicts('WITH pg_settings AS (SELECT * FROM pg_settings) SELECT name, setting FROM pg_settings');
    expect(binds).toBe(true);
    expect(plan).toEqual({ code: 'plan_scan', params: { name: 'duckdb_settings' } });
  });
});

describe('legitimate CTE, subquery and recursive shapes pass both walls', () => {
  test.each([
    'WITH t AS (SELECT * FROM publik) SELECT count(*) FROM t',
    'WITH pg_settings AS (SELECT 1 AS x) SELECT * FROM pg_settings',
    'WITH a AS (SELECT 1 AS x), b AS (SELECT * FROM a) SELECT * FROM b',
    'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r',
    'WITH RECURSIVE duckdb_tables AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM duckdb_tables WHERE n < 3) SELECT * FROM duckdb_tables',
    'WITH x AS (SELECT 1 AS n) SELECT * FROM (WITH x AS (SELECT * FROM x) SELECT * FROM x)',
    'WITH sqlite_master AS (SELECT 1 AS x) SELECT (SELECT count(*) FROM sqlite_master) AS n',
    'SELECT (WITH pg_settings AS (SELECT 1 AS x) SELECT x FROM pg_settings) AS y',
    'WITH t AS MATERIALIZED (SELECT * FROM publik) SELECT * FROM t a JOIN publik b USING (kecamatan)',
  ])('%s', async (sql) => {
    const { tree, plan } = await verdicts(sql);
    expect(tree).toBeNull();
    expect(plan).toBeNull();
  });
});

/** A small seeded generator (mulberry32), so a failure names a query that can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['pg_settings', 'duckdb_tables', 'duckdb_views', 'sqlite_master', 'duckdb_settings', 'publik', 'x', 'y'];

/**
 * A query around dataset and system names. Every CTE it defines is also read by the query that defines it: DuckDB
 * does not bind a CTE nobody reads, so only then does the plan say anything about the CTE's body.
 */
function generate(next: () => number): string {
  const pick = <T,>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  // Half the reads are of the dataset, so that enough queries are allowed for agreement to mean something.
  const table = () => (next() < 0.5 ? 'publik' : pick(NAMES));
  const body = () => (next() < 0.3 ? 'SELECT 1 AS n' : `SELECT count(*) AS n FROM ${table()}`);
  /** A SELECT that reads `names` (each under its own alias) plus one more name from the pool. */
  const reading = (...names: string[]) => `SELECT count(*) AS n FROM ${[...names, table()].map((name, i) => `${name} AS t${i}`).join(', ')}`;
  const a = pick(NAMES);
  const b = pick(NAMES);
  const materialized = pick(['', 'MATERIALIZED ', 'NOT MATERIALIZED ']);
  const shapes = [
    () => `WITH ${a} AS ${materialized}(${body()}) ${reading(a)}`,
    () => `WITH ${a} AS (${body()}), ${b} AS (${body()}) ${reading(a, b)}`,
    () => `WITH ${a} AS (${body()}), ${b} AS (${reading(a)}) ${reading(b)}`,
    () => `WITH RECURSIVE ${a} AS (${body()}), ${b} AS (${body()}) ${reading(a, b)}`,
    () => `WITH RECURSIVE ${a}(n) AS (SELECT 1 UNION ALL SELECT 1 FROM ${table()} LIMIT 1) ${reading(a)}`,
    () => `SELECT * FROM (WITH ${a} AS (${body()}) ${reading(a)}) AS s, (${reading()}) AS t`,
    () => `SELECT (WITH ${a} AS (${body()}) ${reading(a)}) AS n FROM (${reading()}) AS t`,
    () => `WITH ${a} AS (${body()}) ${reading(a)} UNION ALL ${reading()}`,
    () => `WITH ${a} AS (WITH ${b} AS (${body()}) ${reading(b)}) ${reading(a)}`,
    () => `WITH ${a} AS (${body()}) SELECT count(*) AS n FROM ${a} AS ${b}, ${table()} AS t`,
  ];
  return pick(shapes)();
}

describe('property: the parse-tree policy and the bound-plan check agree', () => {
  test('on 1,000 generated CTE/subquery/alias shadowings around dataset and system names', async () => {
    const next = random(20261201);
    const counts = { compared: 0, allowed: 0, refused: 0 };
    const disagreements: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const sql = generate(next);
      const { tree, plan, binds } = await verdicts(sql);
      // A query DuckDB cannot bind (an unknown table, say) never runs; there is nothing to agree on.
      if (!binds) continue;
      counts.compared++;
      if ((tree === null) !== (plan === null)) disagreements.push(`${sql}\n    policy: ${JSON.stringify(tree)}\n    plan: ${JSON.stringify(plan)}`);
      else if (tree === null) counts.allowed++;
      else counts.refused++;
    }
    expect(disagreements).toEqual([]);
    // The generator must exercise both outcomes a good deal, or agreement proves little.
    expect(counts.compared).toBeGreaterThan(400);
    expect(counts.allowed).toBeGreaterThan(150);
    expect(counts.refused).toBeGreaterThan(150);
  });
});
