import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, PostgresDialect, type Dialect as KyselyDialect, type Driver } from 'kysely';
import pg from 'pg';
import { groupCommit, type WriteTransaction } from './group-commit.ts';
import { NodeSqliteDialect } from './sqlite-dialect.ts';
import type { Dialect } from './migrate.ts';

/** Where the store lives: the embedded SQLite file, or a PostgreSQL server shared by a fleet. */
export type StoreConfig = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string; poolSize: number };

/** How long a SQLite connection waits for another process's write lock before giving up (then retried). */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * One SQLite connection with the store's settings: WAL (readers never wait for the writer), synchronous=NORMAL
 * (a commit survives a crash of the process; only an OS crash or power cut can lose the last commits, and never
 * corrupts the file), foreign keys enforced, and a busy timeout so another process's short write waits.
 */
export function openSqlite(file: string, options: { readOnly?: boolean } = {}): DatabaseSync {
  if (!options.readOnly) mkdirSync(path.dirname(file), { recursive: true });
  const db = new DatabaseSync(file, { readOnly: options.readOnly ?? false, timeout: SQLITE_BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
  if (!options.readOnly) db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  return db;
}

const INT8_OID = 20;

/** A pg pool whose BIGINT (ids, epoch-millisecond times, counts) arrive as numbers, as they do from SQLite. */
export function postgresPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: 'kota-terbuka',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server (restart, network) must not crash the process; the next query reconnects.
  pool.on('error', (error) => console.error(`[store] PostgreSQL connection lost: ${error.message}`));
  return pool;
}

/**
 * The connections of one store and how it runs a write transaction. On SQLite, a writer (one connection, group
 * commit, BEGIN IMMEDIATE) and a read-only reader; on PostgreSQL both are one pool and write transactions run
 * concurrently. `gate` runs before the first query of either (the store migrates there).
 */
export function connect<DB>(
  config: StoreConfig,
  gate: () => Promise<void>,
): { writer: Kysely<DB>; reader: Kysely<DB>; dialect: Dialect; writeTransaction: WriteTransaction<DB> } {
  if (config.dialect === 'sqlite') {
    const open = (readOnly: boolean) => async () => {
      await gate();
      return openSqlite(config.file, { readOnly });
    };
    const writerDialect = new NodeSqliteDialect({ open: open(false), serialize: true });
    const writer = new Kysely<DB>({ dialect: writerDialect });
    return {
      dialect: 'sqlite',
      writer,
      reader: new Kysely<DB>({ dialect: new NodeSqliteDialect({ open: open(true), serialize: false }) }),
      writeTransaction: groupCommit(writer, {
        control: () => writerDialect.transactionControl(),
        view: (ended) => writerDialect.transactionView<DB>(ended),
      }),
    };
  }
  const pool = postgresPool(config.url, config.poolSize);
  const db = new Kysely<DB>({ dialect: gated(new PostgresDialect({ pool }), gate) });
  return { dialect: 'postgres', writer: db, reader: db, writeTransaction: (work) => db.transaction().execute(work) };
}

/** A Kysely instance for migrations and maintenance, on its own connection, outside the gate. */
export function maintenanceConnection(config: StoreConfig): Kysely<any> {
  if (config.dialect === 'sqlite') {
    return new Kysely({ dialect: new NodeSqliteDialect({ open: async () => openSqlite(config.file), serialize: true }) });
  }
  return new Kysely({ dialect: new PostgresDialect({ pool: postgresPool(config.url, 1) }) });
}

/** Wraps a dialect so that its driver waits for `gate` before it opens anything. */
function gated(dialect: KyselyDialect, gate: () => Promise<void>): KyselyDialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: (): Driver => {
      const driver = dialect.createDriver();
      const init = driver.init.bind(driver);
      driver.init = async (options) => {
        await gate();
        await init(options);
      };
      return driver;
    },
  };
}
