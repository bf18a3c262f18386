import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Generated, Kysely } from 'kysely';
import pg from 'pg';
import { createStore } from '../src/lib/server/db/store.ts';
import { openSqlite } from '../src/lib/server/db/connect.ts';
import type { Migration } from '../src/lib/server/db/migrate.ts';

/**
 * The app-state store under write load: 200 concurrent clients, each running 50 small write transactions (insert a
 * vote row, add one to a shared counter), on SQLite and on PostgreSQL (when BENCH_DATABASE_URL or
 * TEST_DATABASE_URL points at a server where a database may be created). Baseline in the same run: the bare driver
 * (node:sqlite / pg) doing the same transactions without Kysely and without the store. Targets: 0 errors; the store
 * within 1.5x of the bare driver; SQLite at least 2,000 commits/s.
 */
const CLIENTS = 200;
const PER_CLIENT = 50;
const TMP = path.resolve(import.meta.dirname, '.tmp', 'store');

interface Tables {
  bench_counter: { name: string; n: number };
  bench_vote: { id: Generated<number>; client: number; seq: number };
}

const migrations: Migration[] = [
  {
    id: '20261201.01-bench-tables',
    async up(db, kit) {
      await db.schema.createTable('bench_counter').addColumn('name', 'text', (c) => c.primaryKey()).addColumn('n', 'integer', (c) => c.notNull()).execute();
      await db.schema.createTable('bench_vote').$call(kit.autoId).addColumn('client', 'integer', (c) => c.notNull()).addColumn('seq', 'integer', (c) => c.notNull()).execute();
    },
  },
];

/**
 * The statements the baseline sends: the very SQL text and parameters the store's query layer sends for this work
 * (Kysely binds every value, the 1 and 'votes' too), so the ratio measures the query layer and nothing else.
 * storeRun checks that the store still compiles to exactly these before it measures.
 */
export const SQL = {
  insert: 'insert into "bench_vote" ("client", "seq") values (?, ?)',
  bump: 'update "bench_counter" set "n" = "n" + ? where "name" = ?',
};

/** PostgreSQL's placeholders: $1, $2, … */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

interface Result {
  commits: number;
  errors: number;
  seconds: number;
  /** CPU time of this process (user + system) during the run: moves less than wall time on a shared machine. */
  cpuSeconds: number;
  p95ms: number;
  counter: number;
}

/** Runs `tx` CLIENTS × PER_CLIENT times, CLIENTS at once; latency per transaction includes waiting for its turn. */
async function load(tx: (client: number, seq: number) => Promise<void>, readCounter: () => Promise<number>): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let seq = 0; seq < PER_CLIENT; seq++) {
        const t0 = performance.now();
        try {
          await tx(client, seq);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= error;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  if (firstError) console.error(`  first error: ${(firstError as Error).message}`);
  latencies.sort((a, b) => a - b);
  return { commits: latencies.length, errors, seconds, cpuSeconds, p95ms: latencies[Math.floor(latencies.length * 0.95)] ?? 0, counter: await readCounter() };
}

const cpuPerCommit = (r: Result) => (r.cpuSeconds * 1e6) / Math.max(r.commits, 1);

function print(label: string, r: Result, baseline?: Result): void {
  const rate = r.commits / r.seconds;
  const ratio = baseline
    ? ` | bare/store ${(baseline.commits / baseline.seconds / rate).toFixed(2)}x wall, ${(cpuPerCommit(r) / cpuPerCommit(baseline)).toFixed(2)}x CPU`
    : '';
  console.log(
    `  ${label.padEnd(28)} ${Math.round(rate).toLocaleString('en').padStart(7)} commits/s | CPU ${cpuPerCommit(r).toFixed(0).padStart(4)} µs/commit | p95 ${r.p95ms.toFixed(1).padStart(7)} ms | errors ${r.errors} | counter ${r.counter}/${CLIENTS * PER_CLIENT}${ratio}`,
  );
}

/**
 * Runs baseline and store alternately ROUNDS times and keeps each one's fastest round: on a machine shared with
 * other work, the fastest round is the one least disturbed by it. Every round must have 0 errors and a full counter.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function compare(label: string, bare: () => Promise<Result>, viaStore: () => Promise<Result>): Promise<void> {
  const bares: Result[] = [];
  const stores: Result[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bares.push(await bare());
    stores.push(await viaStore());
  }
  const best = (results: Result[]) => results.reduce((a, b) => (b.commits / b.seconds > a.commits / a.seconds ? b : a));
  const worst = (results: Result[]) => ({ errors: Math.max(...results.map((r) => r.errors)), counter: Math.min(...results.map((r) => r.counter)) });
  const fastestBare = { ...best(bares), ...worst(bares) };
  print(`${label}, bare`, fastestBare);
  print(`${label}, store (Kysely)`, { ...best(stores), ...worst(stores) }, fastestBare);
  const rates = (results: Result[]) => results.map((r) => Math.round(r.commits / r.seconds).toLocaleString('en')).join(', ');
  console.log(`    every round, commits/s: bare ${rates(bares)} | store ${rates(stores)}`);
}

async function sqliteBare(file: string): Promise<Result> {
  const db = openSqlite(file);
  db.exec('CREATE TABLE bench_counter (name TEXT PRIMARY KEY, n INTEGER NOT NULL); CREATE TABLE bench_vote (id INTEGER PRIMARY KEY AUTOINCREMENT, client INTEGER NOT NULL, seq INTEGER NOT NULL)');
  db.exec(`INSERT INTO bench_counter VALUES ('votes', 0)`);
  const insert = db.prepare(SQL.insert);
  const bump = db.prepare(SQL.bump);
  // node:sqlite is synchronous: each transaction runs whole before the next client's turn, as the store's writer does.
  const result = await load(
    async (client, seq) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        insert.run(client, seq);
        bump.run(1, 'votes');
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    async () => (db.prepare(`SELECT n FROM bench_counter`).get() as { n: number }).n,
  );
  db.close();
  return result;
}

const insertVote = (db: Kysely<Tables>, client: number, seq: number) => db.insertInto('bench_vote').values({ client, seq });
const bumpCounter = (db: Kysely<Tables>) => db.updateTable('bench_counter').set((eb) => ({ n: eb('n', '+', 1) })).where('name', '=', 'votes');

async function storeRun(config: Parameters<typeof createStore>[0]): Promise<Result> {
  const store = createStore<Tables>(config, { migrations });
  const compiled = [insertVote(store.db(), 0, 0).compile().sql, bumpCounter(store.db()).compile().sql];
  const expected = [SQL.insert, SQL.bump].map((sql) => (config.dialect === 'postgres' ? numbered(sql) : sql));
  if (compiled.join('\n') !== expected.join('\n')) throw new Error(`the baseline no longer sends what the store sends:\n${compiled.join('\n')}`);
  await store.transaction((trx) => trx.insertInto('bench_counter').values({ name: 'votes', n: 0 }).execute());
  const result = await load(
    (client, seq) =>
      store.transaction(async (trx) => {
        await insertVote(trx, client, seq).execute();
        await bumpCounter(trx).execute();
      }),
    async () => (await store.db().selectFrom('bench_counter').select('n').executeTakeFirstOrThrow()).n,
  );
  await store.close();
  return result;
}

async function postgresBare(url: string): Promise<Result> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // Dropping the database afterwards ends any connection pg has not closed yet; that is expected here.
  pool.on('error', (error) => (/administrator command/.test(error.message) ? undefined : console.error(`  pg pool: ${error.message}`)));
  await pool.query('CREATE TABLE bench_counter (name TEXT PRIMARY KEY, n INTEGER NOT NULL)');
  await pool.query('CREATE TABLE bench_vote (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, client INTEGER NOT NULL, seq INTEGER NOT NULL)');
  await pool.query(`INSERT INTO bench_counter VALUES ('votes', 0)`);
  const result = await load(
    async (client, seq) => {
      const conn = await pool.connect();
      try {
        await conn.query('BEGIN');
        await conn.query(numbered(SQL.insert), [client, seq]);
        await conn.query(numbered(SQL.bump), [1, 'votes']);
        await conn.query('COMMIT');
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        conn.release();
      }
    },
    async () => (await pool.query<{ n: number }>(`SELECT n FROM bench_counter`)).rows[0]!.n,
  );
  await pool.end();
  return result;
}

async function withPostgresDatabase<T>(adminUrl: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = `kota_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

export async function run(): Promise<void> {
  console.info = () => undefined; // the store's "applied migrations" line, once per round
  console.log(`  ${CLIENTS} concurrent clients x ${PER_CLIENT} write transactions (insert a row + add 1 to a shared counter)`);
  console.log(`  load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${availableParallelism()} cores; best of ${ROUNDS} rounds each`);
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });
  // SQLite: each run on a fresh file (WAL, synchronous=NORMAL for both). The bare baseline commits each
  // transaction on its own; the store commits those that queue up together (db/group-commit.ts).
  let file = 0;
  const fresh = () => path.join(TMP, `run-${file++}.sqlite`);
  await compare('SQLite node:sqlite', () => sqliteBare(fresh()), () => storeRun({ dialect: 'sqlite', file: fresh() }));

  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    console.log('  PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to a server where a database may be created)');
  } else {
    await compare(
      'PostgreSQL pg (pool 10)',
      () => withPostgresDatabase(adminUrl, postgresBare),
      () => withPostgresDatabase(adminUrl, (url) => storeRun({ dialect: 'postgres', url, poolSize: 10 })),
    );
  }
  rmSync(TMP, { recursive: true, force: true });
}
