import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Generated } from 'kysely';
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

interface Result {
  commits: number;
  errors: number;
  seconds: number;
  p95ms: number;
  counter: number;
}

/** Runs `tx` CLIENTS × PER_CLIENT times, CLIENTS at once; latency per transaction includes waiting for its turn. */
async function load(tx: (client: number, seq: number) => Promise<void>, readCounter: () => Promise<number>): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const started = performance.now();
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
  if (firstError) console.error(`  first error: ${(firstError as Error).message}`);
  latencies.sort((a, b) => a - b);
  return { commits: latencies.length, errors, seconds, p95ms: latencies[Math.floor(latencies.length * 0.95)] ?? 0, counter: await readCounter() };
}

function print(label: string, r: Result, baseline?: Result): void {
  const rate = r.commits / r.seconds;
  const ratio = baseline ? ` | bare/store ${(baseline.commits / baseline.seconds / rate).toFixed(2)}x` : '';
  console.log(
    `  ${label.padEnd(28)} ${Math.round(rate).toLocaleString('en').padStart(7)} commits/s | p95 ${r.p95ms.toFixed(1).padStart(7)} ms | errors ${r.errors} | counter ${r.counter}/${CLIENTS * PER_CLIENT}${ratio}`,
  );
}

async function sqliteBare(file: string): Promise<Result> {
  const db = openSqlite(file);
  db.exec('CREATE TABLE bench_counter (name TEXT PRIMARY KEY, n INTEGER NOT NULL); CREATE TABLE bench_vote (id INTEGER PRIMARY KEY AUTOINCREMENT, client INTEGER NOT NULL, seq INTEGER NOT NULL)');
  db.exec(`INSERT INTO bench_counter VALUES ('votes', 0)`);
  const insert = db.prepare('INSERT INTO bench_vote (client, seq) VALUES (?, ?)');
  const bump = db.prepare(`UPDATE bench_counter SET n = n + 1 WHERE name = 'votes'`);
  // node:sqlite is synchronous: each transaction runs whole before the next client's turn, as the store's writer does.
  const result = await load(
    async (client, seq) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        insert.run(client, seq);
        bump.run();
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

async function storeRun(config: Parameters<typeof createStore>[0]): Promise<Result> {
  const store = createStore<Tables>(config, { migrations });
  await store.transaction((trx) => trx.insertInto('bench_counter').values({ name: 'votes', n: 0 }).execute());
  const result = await load(
    (client, seq) =>
      store.transaction(async (trx) => {
        await trx.insertInto('bench_vote').values({ client, seq }).execute();
        await trx.updateTable('bench_counter').set((eb) => ({ n: eb('n', '+', 1) })).where('name', '=', 'votes').execute();
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
        await conn.query('INSERT INTO bench_vote (client, seq) VALUES ($1, $2)', [client, seq]);
        await conn.query(`UPDATE bench_counter SET n = n + 1 WHERE name = 'votes'`);
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
  console.log(`  ${CLIENTS} concurrent clients x ${PER_CLIENT} write transactions (insert a row + add 1 to a shared counter)`);
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });
  // SQLite: the baseline first, then the store, each on a fresh file (WAL, synchronous=NORMAL for both).
  const bare = await sqliteBare(path.join(TMP, 'bare.sqlite'));
  print('SQLite, bare node:sqlite', bare);
  print('SQLite, store (Kysely)', await storeRun({ dialect: 'sqlite', file: path.join(TMP, 'store.sqlite') }), bare);

  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    console.log('  PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to a server where a database may be created)');
  } else {
    const pgBare = await withPostgresDatabase(adminUrl, postgresBare);
    print('PostgreSQL, bare pg (pool 10)', pgBare);
    const pgStore = await withPostgresDatabase(adminUrl, (url) => storeRun({ dialect: 'postgres', url, poolSize: 10 }));
    print('PostgreSQL, store (Kysely)', pgStore, pgBare);
  }
  rmSync(TMP, { recursive: true, force: true });
}
