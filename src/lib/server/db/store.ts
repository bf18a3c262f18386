import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely, Transaction } from 'kysely';
import { env } from '../config/env.ts';
import { appDbPath } from '../config/paths.ts';
import { DOMAIN_MIGRATIONS, type Database } from '../domains.ts';
import { connect, maintenanceConnection, type StoreConfig } from './connect.ts';
import { applyMigrations, type Dialect, type Migration } from './migrate.ts';

/**
 * The app-state store: everything people write (accounts, sessions, tokens, roles, mail, audit, rate limits,
 * download counts, and the domains to come). SQLite (node:sqlite, DATA_DIR/app.sqlite) by default; PostgreSQL
 * when DATABASE_URL is set, for a fleet of servers. Domain code sees one Kysely API and never asks which.
 *
 * Reads use `db()`. Every write goes through `transaction()` — Datasette's single writer, translated: on SQLite
 * the process's write transactions run one after another on one connection (BEGIN IMMEDIATE, so a transaction
 * never fails half-way for want of the write lock; those that queue up commit together, each in its own
 * savepoint: group-commit.ts), and the reader connection is read-only, so a write outside a transaction fails
 * loudly in every test. On PostgreSQL transactions run concurrently (READ COMMITTED); write
 * atomic statements (`n = n + 1`, `ON CONFLICT`) or lock what you read with `.forUpdate()` (a no-op on SQLite,
 * whose writer already holds the one write lock). A transaction that fails on a deadlock, a serialization failure
 * or a busy lock is run again, so `work` may run more than once: keep mail, HTTP and other side effects out of it.
 */
export interface Store<DB = Database> {
  readonly dialect: Dialect;
  /** For logs and the CLI: the SQLite file, or the PostgreSQL server without credentials. */
  readonly description: string;
  /** Reads (inside `transaction()`: that transaction, so a domain function sees its caller's writes). */
  db(): Kysely<DB>;
  /** Runs `work` in one transaction; joins the caller's transaction when called inside one. */
  transaction<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T>;
  /**
   * Runs `effect` once the current transaction has committed (at once outside a transaction), outside the
   * transaction's context: where mail delivery and other side effects belong. Dropped if the transaction fails.
   */
  afterCommit(effect: () => void): void;
  /**
   * Runs `last` at the end of the current transaction, after its work, once per `key` however often it is asked,
   * in the order of the keys (outside a transaction: in one of its own). For a shared counter raised by many writes, such as a reader
   * cache's revision: one statement per transaction, and last, so on PostgreSQL the hot row is locked only from
   * then until the commit and a transaction holding it never waits for another lock (no deadlock cycle).
   */
  beforeCommit(key: string, last: (trx: Transaction<DB>) => Promise<void>): Promise<void>;
  /** Resolves once the store is open and migrated (the first query waits for this anyway). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const ATTEMPTS = { sqlite: 2, postgres: 5 } as const;

export function createStore<DB>(config: StoreConfig, options: { migrations: readonly Migration[]; migrate?: boolean }): Store<DB> {
  let opened: Promise<void> | undefined;
  const ready = () =>
    (opened ??= (async () => {
      if (options.migrate === false) return;
      const maintenance = maintenanceConnection(config);
      try {
        const applied = await applyMigrations(maintenance, options.migrations, config.dialect);
        if (applied.length > 0) console.info(`[store] ${describe(config)}: applied ${applied.join(', ')}`);
      } finally {
        await maintenance.destroy();
      }
    })().catch((error) => {
      opened = undefined;
      throw error;
    }));
  const { writer, reader, dialect, writeTransaction } = connect<DB>(config, ready);
  type Last = (trx: Transaction<DB>) => Promise<void>;
  const context = new AsyncLocalStorage<{ trx: Transaction<DB>; done: boolean; effects: (() => void)[]; last: Map<string, Last> }>();
  const runEffects = (effects: (() => void)[]) =>
    effects.length > 0 &&
    context.exit(() => {
      for (const effect of effects) {
        try {
          effect();
        } catch (error) {
          console.error(`[store] after-commit effect failed: ${(error as Error).message}`);
        }
      }
    });

  return {
    dialect,
    description: describe(config),
    db: () => {
      const current = context.getStore();
      return current && !current.done ? current.trx : reader;
    },
    async transaction(work) {
      const current = context.getStore();
      if (current && !current.done) return work(current.trx);
      for (let attempt = 1; ; attempt++) {
        const scope = { trx: undefined as unknown as Transaction<DB>, done: false, effects: [] as (() => void)[], last: new Map<string, Last>() };
        try {
          const result = await writeTransaction(async (trx) => {
            scope.trx = trx;
            try {
              return await context.run(scope, async () => {
                const value = await work(trx);
                // By key: transactions that raise the same counters lock them in one order (no deadlock cycle).
                for (const key of [...scope.last.keys()].sort()) await scope.last.get(key)!(trx);
                return value;
              });
            } finally {
              // Work left running after the transaction (a promise not awaited) falls back to plain reads.
              scope.done = true;
            }
          });
          runEffects(scope.effects);
          return result;
        } catch (error) {
          if (attempt >= ATTEMPTS[dialect] || !isRetryable(error)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt * (0.5 + Math.random())));
        }
      }
    },
    afterCommit(effect) {
      const current = context.getStore();
      if (current && !current.done) current.effects.push(effect);
      else runEffects([effect]);
    },
    async beforeCommit(key, last) {
      const current = context.getStore();
      if (current && !current.done) current.last.set(key, last);
      else await this.transaction(last);
    },
    ready,
    async close() {
      // The read-only reader first: on SQLite the last connection to close checkpoints the write-ahead log and
      // removes it, which a read-only connection cannot do.
      if (reader !== writer) await reader.destroy();
      await writer.destroy();
    },
  };
}

/** Deadlock and serialization failure (PostgreSQL), busy or locked database (SQLite): safe to run again. */
function isRetryable(error: unknown): boolean {
  const { code, errcode } = (error ?? {}) as { code?: string; errcode?: number };
  if (code === '40001' || code === '40P01') return true;
  return code === 'ERR_SQLITE_ERROR' && (errcode === 5 || errcode === 6 || (errcode !== undefined && (errcode & 0xff) === 5));
}

function describe(config: StoreConfig): string {
  if (config.dialect === 'sqlite') return `SQLite ${config.file}`;
  const url = new URL(config.url);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/** The store this process uses, from DATABASE_URL (PostgreSQL) or DATA_DIR (SQLite file app.sqlite). */
export function storeConfig(): StoreConfig {
  const { DATABASE_URL, DATABASE_POOL_SIZE } = env();
  return DATABASE_URL ? { dialect: 'postgres', url: DATABASE_URL, poolSize: DATABASE_POOL_SIZE } : { dialect: 'sqlite', file: appDbPath() };
}

// One store per configuration per process, on globalThis because `astro dev` re-imports modules. Tests that point
// DATA_DIR elsewhere get a new store; the old one stays open until the process ends.
const stores = ((globalThis as { [key: symbol]: unknown })[Symbol.for('kota-terbuka.stores')] ??= new Map()) as Map<string, Store>;

// db() runs before every query. Resolving the configuration reads and validates every environment variable several
// times (each process.env read is a lookup in C++): a CPU profile of `npm run bench -- datathon` put that at about a
// quarter of an idea page's server time. The last answer is reused while the raw values it derives from are unchanged
// and the store is still open (closeStores empties the map).
let last: { raw: string; key: string; store: Store } | undefined;

/** The process's store, migrated with every domain's migrations (src/lib/server/domains.ts) on first use. */
export function store(): Store {
  const { DATABASE_URL, DATABASE_POOL_SIZE, DATA_DIR, KOTA_ROOT } = process.env;
  const raw = `${DATABASE_URL}\u0001${DATABASE_POOL_SIZE}\u0001${DATA_DIR}\u0001${KOTA_ROOT}\u0001${process.cwd()}`;
  if (last && last.raw === raw && stores.get(last.key) === last.store) return last.store;
  const config = storeConfig();
  const key = JSON.stringify(config);
  let found = stores.get(key);
  if (!found) {
    found = createStore<Database>(config, { migrations: DOMAIN_MIGRATIONS });
    stores.set(key, found);
  }
  last = { raw, key, store: found };
  return found;
}

/** Reads from the process's store (see Store.db). */
export function db(): Kysely<Database> {
  return store().db();
}

/** Runs `work` in one transaction of the process's store (see Store.transaction). */
export function transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return store().transaction(work);
}

/** Runs `effect` after the current transaction of the process's store commits (see Store.afterCommit). */
export function afterCommit(effect: () => void): void {
  store().afterCommit(effect);
}

/** Runs `last` once at the end of the current transaction of the process's store (see Store.beforeCommit). */
export function beforeCommit(key: string, last: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
  return store().beforeCommit(key, last);
}

/** Opens and migrates the process's store now (the server at start, the CLIs), so a bad DATABASE_URL fails early. */
export async function openStore(): Promise<Store> {
  const s = store();
  await s.ready();
  return s;
}

/** Closes every store this process opened (CLIs before exit, so PostgreSQL pools let the process end). */
export async function closeStores(): Promise<void> {
  const open = [...stores.values()];
  stores.clear();
  await Promise.all(open.map((s) => s.close()));
}
