import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Generated, Kysely } from 'kysely';
import pg from 'pg';
import { createStore } from '../src/lib/server/db/store.ts';
import { openSqlite } from '../src/lib/server/db/connect.ts';
import type { Migration } from '../src/lib/server/db/migrate.ts';
import { preparedQuery, type Params } from '../src/lib/server/db/prepared.ts';

/**
 * The app-state store under write load: 200 concurrent clients, each running 50 small write transactions (insert a
 * vote row, add one to a shared counter), on SQLite and on PostgreSQL (when BENCH_DATABASE_URL or
 * TEST_DATABASE_URL points at a server where a database may be created). Baseline in the same run: the bare driver
 * (node:sqlite / pg) doing the same transactions without Kysely and without the store; on SQLite also the bare driver
 * with the store's group commit done by hand (the same statements, savepoints and commits as the store), so the
 * query layer's own cost shows apart from what group commit saves. Targets: 0 errors; the store within 1.5x of the
 * bare driver; SQLite at least 2,000 commits/s.
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

type Summary = Result & { cpuMicros: number };

function print(label: string, r: Summary, baselines: { name: string; result: Summary }[]): void {
  const rate = r.commits / r.seconds;
  console.log(
    `  ${label.padEnd(44)} ${Math.round(rate).toLocaleString('en').padStart(7)} commits/s | CPU ${r.cpuMicros.toFixed(0).padStart(4)} µs/commit | p95 ${r.p95ms.toFixed(1).padStart(7)} ms | errors ${r.errors} | counter ${r.counter}/${CLIENTS * PER_CLIENT}`,
  );
  for (const { name, result } of baselines) {
    const wall = result.commits / result.seconds / rate;
    console.log(`      store / ${name}: ${wall.toFixed(2)}x wall, ${(r.cpuMicros / result.cpuMicros).toFixed(2)}x CPU`);
  }
}

/**
 * Runs every variant in turn, ROUNDS times (so the machine's other load falls on all of them alike).
 * Shown per variant: the fastest round's commits/s and p95 (the round least disturbed by other work) and the median
 * round's CPU time per commit (steadier than wall time on a shared machine). Every round must have 0 errors and a
 * full counter. Each store variant is compared with each baseline: wall (fastest rounds) and CPU (medians).
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Variant {
  name: string;
  baseline?: boolean;
  run: () => Promise<Result>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function compare(label: string, variants: Variant[], warmUp: boolean): Promise<void> {
  // An uncounted first round lets V8 compile the hot paths: otherwise the first counted round of the code-heavier
  // variants (Kysely) runs partly interpreted and their median CPU time says more about JIT than about the layer.
  if (warmUp) for (const variant of variants) await variant.run();
  const results: Result[][] = variants.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, variant] of variants.entries()) results[i]!.push(await variant.run());
  }
  const summary = results.map((rounds) => {
    const fastest = rounds.reduce((a, b) => (b.commits / b.seconds > a.commits / a.seconds ? b : a));
    return {
      ...fastest,
      errors: Math.max(...rounds.map((r) => r.errors)),
      counter: Math.min(...rounds.map((r) => r.counter)),
      cpuMicros: median(rounds.map(cpuPerCommit)),
    };
  });
  const baselines = variants.flatMap((v, i) => (v.baseline ? [{ name: v.name, result: summary[i]! }] : []));
  for (const [i, variant] of variants.entries()) {
    print(`${label}, ${variant.name}`, summary[i]!, variant.baseline ? [] : baselines);
    const rates = results[i]!.map((r) => Math.round(r.commits / r.seconds).toLocaleString('en')).join(', ');
    const cpus = results[i]!.map((r) => cpuPerCommit(r).toFixed(0)).join(', ');
    console.log(`      rounds: ${rates} commits/s; ${cpus} µs CPU/commit`);
  }
}

function sqliteBareTables(file: string) {
  const db = openSqlite(file);
  db.exec('CREATE TABLE bench_counter (name TEXT PRIMARY KEY, n INTEGER NOT NULL); CREATE TABLE bench_vote (id INTEGER PRIMARY KEY AUTOINCREMENT, client INTEGER NOT NULL, seq INTEGER NOT NULL)');
  db.exec(`INSERT INTO bench_counter VALUES ('votes', 0)`);
  return { db, insert: db.prepare(SQL.insert), bump: db.prepare(SQL.bump), counter: async () => (db.prepare(`SELECT n FROM bench_counter`).get() as { n: number }).n };
}

/** The bare driver, one SQLite transaction (BEGIN IMMEDIATE … COMMIT) per client operation. */
async function sqliteBare(file: string): Promise<Result> {
  const { db, insert, bump, counter } = sqliteBareTables(file);
  // node:sqlite is synchronous: each transaction runs whole before the next client's turn, as the store's writer does.
  const result = await load(async (client, seq) => {
    db.exec('BEGIN IMMEDIATE');
    try {
      insert.run(client, seq);
      bump.run(1, 'votes');
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }, counter);
  db.close();
  return result;
}

/**
 * The bare driver doing what the store does on SQLite: operations that queue up run in one BEGIN IMMEDIATE … COMMIT
 * (at most 128), each in a savepoint of its own, and each caller is answered after that COMMIT.
 */
async function sqliteBareGrouped(file: string): Promise<Result> {
  const { db, insert, bump, counter } = sqliteBareTables(file);
  const [begin, commit, savepoint, release] = ['BEGIN IMMEDIATE', 'COMMIT', 'SAVEPOINT op', 'RELEASE op'].map((sql) => db.prepare(sql));
  const queue: { client: number; seq: number; done: PromiseWithResolvers<void>; error?: unknown }[] = [];
  let draining = false;
  const drain = async () => {
    draining = true;
    await Promise.resolve();
    while (queue.length > 0) {
      const group = queue.splice(0, 128);
      begin!.run();
      for (const op of group) {
        savepoint!.run();
        try {
          insert.run(op.client, op.seq);
          bump.run(1, 'votes');
          release!.run();
        } catch (error) {
          db.exec('ROLLBACK TO op; RELEASE op');
          op.error = error;
        }
      }
      commit!.run();
      for (const op of group) (op.error ? op.done.reject(op.error) : op.done.resolve());
    }
    draining = false;
  };
  const result = await load((client, seq) => {
    const done = Promise.withResolvers<void>();
    queue.push({ client, seq, done });
    if (!draining) void drain();
    return done.promise;
  }, counter);
  db.close();
  return result;
}

const insertVote = (db: Kysely<Tables>, client: number, seq: number) => db.insertInto('bench_vote').values({ client, seq });
const bumpCounter = (db: Kysely<Tables>) => db.updateTable('bench_counter').set((eb) => ({ n: eb('n', '+', 1) })).where('name', '=', 'votes');
// The same two queries, built and compiled once (db/prepared.ts) instead of on every transaction.
const insertVotePrepared = preparedQuery((db: Kysely<Tables>, p: Params<{ client: number; seq: number }>) => insertVote(db, p.client, p.seq));
const bumpCounterPrepared = preparedQuery((db: Kysely<Tables>) => bumpCounter(db));

async function storeRun(config: Parameters<typeof createStore>[0], queries: 'built' | 'prepared'): Promise<Result> {
  const store = createStore<Tables>(config, { migrations });
  const compiled = [insertVote(store.db(), 0, 0).compile().sql, bumpCounter(store.db()).compile().sql];
  const expected = [SQL.insert, SQL.bump].map((sql) => (config.dialect === 'postgres' ? numbered(sql) : sql));
  if (compiled.join('\n') !== expected.join('\n')) throw new Error(`the baseline no longer sends what the store sends:\n${compiled.join('\n')}`);
  await store.transaction((trx) => trx.insertInto('bench_counter').values({ name: 'votes', n: 0 }).execute());
  const result = await load(
    (client, seq) =>
      store.transaction(async (trx) => {
        if (queries === 'prepared') {
          await insertVotePrepared.execute(trx, { client, seq });
          await bumpCounterPrepared.execute(trx, {});
        } else {
          await insertVote(trx, client, seq).execute();
          await bumpCounter(trx).execute();
        }
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
    // pg's pool.end() resolves before its connections have gone; a forced drop would cut them and the store's pool
    // would log "connection lost" for each. Wait (up to 2 s) until the server has seen them close.
    for (let wait = 0; wait < 40; wait++) {
      const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

export async function run(): Promise<void> {
  console.info = () => undefined; // the store's "applied migrations" line, once per round
  console.log(`  ${CLIENTS} concurrent clients x ${PER_CLIENT} write transactions (insert a row + add 1 to a shared counter)`);
  console.log(`  load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${availableParallelism()} cores; ${ROUNDS} rounds each (SQLite after one uncounted warm-up round)`);
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });
  // SQLite: each run on a fresh file (WAL, synchronous=NORMAL for both). The bare baseline commits each
  // transaction on its own; the store commits those that queue up together (db/group-commit.ts).
  let file = 0;
  const fresh = () => path.join(TMP, `run-${file++}.sqlite`);
  await compare('SQLite', [
    { name: 'bare, a transaction per operation', baseline: true, run: () => sqliteBare(fresh()) },
    { name: 'bare, group commit', baseline: true, run: () => sqliteBareGrouped(fresh()) },
    { name: 'store, queries built per call', run: () => storeRun({ dialect: 'sqlite', file: fresh() }, 'built') },
    { name: 'store, prepared queries', run: () => storeRun({ dialect: 'sqlite', file: fresh() }, 'prepared') },
  ], true);

  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    console.log('  PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to a server where a database may be created)');
  } else {
    const postgres = (queries: 'built' | 'prepared') => () => withPostgresDatabase(adminUrl, (url) => storeRun({ dialect: 'postgres', url, poolSize: 10 }, queries));
    await compare('PostgreSQL (pool 10)', [
      { name: 'bare pg', baseline: true, run: () => withPostgresDatabase(adminUrl, postgresBare) },
      { name: 'store, queries built per call', run: postgres('built') },
      { name: 'store, prepared queries', run: postgres('prepared') },
    ], false); // each round takes about a minute here, and the server's commit dwarfs the JIT's part
  }
  rmSync(TMP, { recursive: true, force: true });
}
