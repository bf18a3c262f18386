import { existsSync } from 'node:fs';
import path from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Generated, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStore, type Store } from '../../src/lib/server/db/store.ts';
import { migrationStatus, type Migration } from '../../src/lib/server/db/migrate.ts';
import { maintenanceConnection, type StoreConfig } from '../../src/lib/server/db/connect.ts';
import { BACKENDS, createPostgresDatabase, type BackendName } from '../helpers/store.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/**
 * The store's contract, run on SQLite always and on PostgreSQL where TEST_DATABASE_URL is set: migrations,
 * types, transactions, isolation, after-commit effects, and concurrent writers (invariant 7: nothing a user
 * submits is lost; concurrent votes are all counted, each once).
 */
interface Tables {
  counter: { name: string; value: number };
  entry: { id: Generated<number>; label: string; flag: boolean; at: number };
  submission: { id: string; votes: number };
  vote: { submission_id: string; user_id: string };
}

const migrations: Migration[] = [
  {
    id: '20261201.01-test-counters',
    async up(db, kit) {
      await db.schema.createTable('counter').addColumn('name', 'text', (c) => c.primaryKey()).addColumn('value', 'integer', (c) => c.notNull()).execute();
      await db.schema
        .createTable('entry')
        .$call(kit.autoId)
        .addColumn('label', 'text', (c) => c.notNull().unique())
        .addColumn('flag', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  {
    id: '20261201.02-test-votes',
    async up(db) {
      await db.schema.createTable('submission').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('votes', 'integer', (c) => c.notNull()).execute();
      await db.schema
        .createTable('vote')
        .addColumn('submission_id', 'text', (c) => c.notNull().references('submission.id'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('vote_pk', ['submission_id', 'user_id'])
        .execute();
    },
  },
];

async function makeConfig(backend: BackendName): Promise<{ config: StoreConfig; cleanup(): Promise<void> }> {
  if (backend === 'sqlite') {
    const dir = makeTempDir('kota-conformance-');
    return { config: { dialect: 'sqlite', file: path.join(dir, 'app.sqlite') }, cleanup: async () => removeDir(dir) };
  }
  const database = await createPostgresDatabase();
  return { config: { dialect: 'postgres', url: database.url, poolSize: 10 }, cleanup: () => database.drop() };
}

describe.each(BACKENDS)('the app-state store on $name', ({ name, skip }) => {
  let config: StoreConfig;
  let cleanup: () => Promise<void> = async () => {};
  let store: Store<Tables>;
  let observer: Store<Tables>;

  beforeAll(async () => {
    if (skip) return;
    ({ config, cleanup } = await makeConfig(name));
    store = createStore<Tables>(config, { migrations });
    await store.ready();
    await store.transaction((trx) => trx.insertInto('submission').values({ id: 's1', votes: 0 }).execute());
    observer = createStore<Tables>(config, { migrations });
    await observer.ready();
  });
  afterAll(async () => {
    await observer?.close();
    await store?.close();
    await cleanup();
  });

  describe('migrations', () => {
    test.skipIf(skip)('are applied in id order, recorded, and not applied twice', async () => {
      const maintenance = maintenanceConnection(config);
      try {
        const status = await migrationStatus(maintenance, migrations, config.dialect);
        expect(status.map((m) => m.id)).toEqual(['20261201.01-test-counters', '20261201.02-test-votes']);
        expect(status.every((m) => m.appliedAt instanceof Date)).toBe(true);
      } finally {
        await maintenance.destroy();
      }
      const again = createStore<Tables>(config, { migrations });
      await again.ready(); // nothing pending: no error, no change
      expect(await again.db().selectFrom('submission').select('id').execute()).toEqual([{ id: 's1' }]);
      await again.close();
    });

    test.skipIf(skip)('a new migration that sorts before an applied one is refused, naming both', async () => {
      const early: Migration = { id: '20261130.01-test-too-early', up: async (db) => void (await db.schema.createTable('early').addColumn('x', 'text').execute()) };
      const refused = createStore<Tables>(config, { migrations: [early, ...migrations] });
      await expect(refused.ready()).rejects.toThrow(/20261130\.01-test-too-early|alphabetically after/);
      await refused.close();
    });

    test.skipIf(skip)('a failing migration changes nothing and is not recorded', async () => {
      const broken: Migration = {
        id: '20261202.01-test-broken',
        async up(db) {
          await db.schema.createTable('half_made').addColumn('x', 'text').execute();
          await db.schema.createTable('counter').addColumn('x', 'text').execute(); // exists: fails
        },
      };
      const failing = createStore<Tables>(config, { migrations: [...migrations, broken] });
      await expect(failing.ready()).rejects.toThrow(/migration 20261202\.01-test-broken failed/);
      await failing.close();
      const maintenance = maintenanceConnection(config);
      try {
        const status = await migrationStatus(maintenance, [...migrations, broken], config.dialect);
        expect(status.find((m) => m.id === broken.id)?.appliedAt).toBeNull();
        const tables = (await maintenance.introspection.getTables()).map((t) => t.name);
        expect(tables).not.toContain('half_made');
      } finally {
        await maintenance.destroy();
      }
    });
  });

  describe('types', () => {
    test.skipIf(skip)('booleans, big integers and generated ids come back as JavaScript booleans and numbers', async () => {
      const at = Date.UTC(2026, 11, 1, 8, 30);
      const [row] = await store.transaction((trx) => trx.insertInto('entry').values({ label: 'satu', flag: true, at }).returning(['id', 'flag', 'at']).execute());
      expect(row).toEqual({ id: expect.any(Number), flag: true, at });
      const read = await store.db().selectFrom('entry').selectAll().where('label', '=', 'satu').executeTakeFirstOrThrow();
      expect(read).toEqual({ id: row!.id, label: 'satu', flag: true, at });
      const count = await store.db().selectFrom('entry').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(count.n).toBe(1);
    });

    test.skipIf(skip)('constraints are enforced: unique values and foreign keys', async () => {
      await expect(store.transaction((trx) => trx.insertInto('entry').values({ label: 'satu', flag: false, at: 1 }).execute())).rejects.toThrow(/unique|UNIQUE/);
      await expect(store.transaction((trx) => trx.insertInto('vote').values({ submission_id: 'tidak-ada', user_id: 'u' }).execute())).rejects.toThrow(/foreign key|FOREIGN KEY/i);
    });
  });

  describe('transactions', () => {
    test.skipIf(skip)('an error rolls back every write of the transaction', async () => {
      await expect(
        store.transaction(async (trx) => {
          await trx.insertInto('counter').values({ name: 'gagal', value: 1 }).execute();
          throw new Error('berhenti');
        }),
      ).rejects.toThrow('berhenti');
      expect(await store.db().selectFrom('counter').selectAll().where('name', '=', 'gagal').execute()).toEqual([]);
    });

    test.skipIf(skip)('nested calls join the outer transaction and db() inside it sees its writes; others do not until commit', async () => {
      let seenOutside: unknown[] = ['not read'];
      await store.transaction(async (trx) => {
        await trx.insertInto('counter').values({ name: 'nested', value: 1 }).execute();
        await store.transaction((inner) => inner.updateTable('counter').set({ value: 2 }).where('name', '=', 'nested').execute());
        expect(await store.db().selectFrom('counter').select('value').where('name', '=', 'nested').executeTakeFirst()).toEqual({ value: 2 });
        // Another process's view (a second store on the same database): committed data only.
        seenOutside = await observer.db().selectFrom('counter').selectAll().where('name', '=', 'nested').execute();
      });
      expect(seenOutside).toEqual([]);
      expect(await store.db().selectFrom('counter').select('value').where('name', '=', 'nested').executeTakeFirst()).toEqual({ value: 2 });
    });

    test.skipIf(skip)('a transaction object used after its transaction ended refuses the query and writes nothing', async () => {
      let leaked: Transaction<Tables> | undefined;
      await store.transaction(async (trx) => {
        leaked = trx;
      });
      await expect(leaked!.insertInto('counter').values({ name: 'bocor', value: 1 }).execute()).rejects.toThrow(/already (ended|committed)/);
      expect(await observer.db().selectFrom('counter').selectAll().where('name', '=', 'bocor').execute()).toEqual([]);
    });

    test.skipIf(skip)('queries started together inside one transaction all run in it, and a rollback takes them all back', async () => {
      const together = (prefix: string) => (trx: Transaction<Tables>) =>
        Promise.all(Array.from({ length: 20 }, (_, i) => trx.insertInto('counter').values({ name: `${prefix}-${i}`, value: i }).execute()));
      await store.transaction(together('serentak'));
      await expect(
        store.transaction(async (trx) => {
          await together('batal-serentak')(trx);
          throw new Error('batal');
        }),
      ).rejects.toThrow('batal');
      const names = await observer.db().selectFrom('counter').select('name').where('name', 'like', '%serentak-%').execute();
      expect(names.map((r) => r.name).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `serentak-${i}`).sort());
    });

    test.skipIf(skip)('afterCommit effects run after the commit and not after a rollback', async () => {
      const ran: string[] = [];
      await store.transaction(async (trx) => {
        await trx.insertInto('counter').values({ name: 'efek', value: 1 }).execute();
        store.afterCommit(() => ran.push('committed'));
        expect(ran).toEqual([]);
      });
      expect(ran).toEqual(['committed']);
      await store
        .transaction(async () => {
          store.afterCommit(() => ran.push('rolled back'));
          throw new Error('batal');
        })
        .catch(() => undefined);
      expect(ran).toEqual(['committed']);
    });

    test.skipIf(skip || name !== 'sqlite')('on SQLite a write outside transaction() fails: reads go to a read-only connection', async () => {
      await expect(store.db().insertInto('counter').values({ name: 'liar', value: 1 }).execute()).rejects.toThrow(/readonly/);
      expect(existsSync((config as { file: string }).file + '-wal')).toBe(true); // WAL mode
    });
  });

  describe('concurrency', () => {
    test.skipIf(skip)('200 concurrent transactions that insert a row and update a shared counter: 200 commits, counter 200, no error', async () => {
      await store.transaction((trx) => trx.insertInto('counter').values({ name: 'hits', value: 0 }).execute());
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) =>
          store.transaction(async (trx) => {
            await trx.insertInto('entry').values({ label: `hit-${i}`, flag: i % 2 === 0, at: i }).execute();
            await trx.updateTable('counter').set((eb) => ({ value: eb('value', '+', 1) })).where('name', '=', 'hits').execute();
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const { value } = await store.db().selectFrom('counter').select('value').where('name', '=', 'hits').executeTakeFirstOrThrow();
      expect(value).toBe(200);
      const { n } = await store.db().selectFrom('entry').where('label', 'like', 'hit-%').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(n)).toBe(200);
    });

    test.skipIf(skip)('200 concurrent transactions where every 7th throws: the others commit, each thrower gets its own error and leaves nothing', async () => {
      await store.transaction((trx) => trx.insertInto('counter').values({ name: 'mixed', value: 0 }).execute());
      const throws = (i: number) => i % 7 === 3;
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) =>
          store.transaction(async (trx) => {
            await trx.insertInto('entry').values({ label: `mixed-${i}`, flag: false, at: i }).execute();
            await trx.updateTable('counter').set((eb) => ({ value: eb('value', '+', 1) })).where('name', '=', 'mixed').execute();
            if (throws(i)) throw new Error(`gagal-${i}`);
            return i;
          }),
        ),
      );
      results.forEach((result, i) => expect(result).toEqual(throws(i) ? { status: 'rejected', reason: new Error(`gagal-${i}`) } : { status: 'fulfilled', value: i }));
      const committed = Array.from({ length: 200 }, (_, i) => i).filter((i) => !throws(i));
      const rows = await observer.db().selectFrom('entry').select('at').where('label', 'like', 'mixed-%').orderBy('at').execute();
      expect(rows.map((r) => r.at)).toEqual(committed);
      const { value } = await observer.db().selectFrom('counter').select('value').where('name', '=', 'mixed').executeTakeFirstOrThrow();
      expect(value).toBe(committed.length);
    });

    test.skipIf(skip)('a transaction is acknowledged only once committed: another connection sees its row when its promise resolves', async () => {
      const missing: number[] = [];
      await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          await store.transaction((trx) => trx.insertInto('entry').values({ label: `ack-${i}`, flag: true, at: i }).execute());
          const row = await observer.db().selectFrom('entry').select('at').where('label', '=', `ack-${i}`).executeTakeFirst();
          if (!row) missing.push(i);
        }),
      );
      expect(missing).toEqual([]);
    });

    test.skipIf(skip)("concurrent transactions each run in their caller's async context", async () => {
      const caller = new AsyncLocalStorage<number>();
      const seen = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          caller.run(i, () =>
            store.transaction(async (trx) => {
              await trx.selectFrom('counter').select('value').execute();
              return caller.getStore();
            }),
          ),
        ),
      );
      expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
    });

    test.skipIf(skip || name !== 'sqlite')(
      'on SQLite, a transaction whose error ends the whole SQLite transaction (OR ROLLBACK) fails alone; the concurrent others commit',
      async () => {
        await store.transaction((trx) => trx.insertInto('entry').values({ label: 'taken', flag: false, at: 0 }).execute());
        const results = await Promise.allSettled(
          Array.from({ length: 60 }, (_, i) =>
            store.transaction(async (trx) => {
              await trx.insertInto('entry').values({ label: `group-${i}`, flag: false, at: i }).execute();
              // A conflict clause of ROLLBACK makes SQLite end the enclosing transaction, not just this statement.
              if (i % 20 === 10) await sql`INSERT OR ROLLBACK INTO entry (label, flag, at) VALUES ('taken', 0, 0)`.execute(trx);
            }),
          ),
        );
        const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
        expect(failed).toEqual([10, 30, 50]);
        expect(String((results[10] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed: entry.label/);
        const rows = await observer.db().selectFrom('entry').select('at').where('label', 'like', 'group-%').orderBy('at').execute();
        expect(rows.map((r) => r.at)).toEqual(Array.from({ length: 60 }, (_, i) => i).filter((i) => !failed.includes(i)));
      },
    );

    test.skipIf(skip)("200 concurrent toggles of one user's vote end consistent: the count equals the votes stored", async () => {
      const toggle = (user: string) =>
        store.transaction(async (trx) => {
          await trx.selectFrom('submission').select('votes').where('id', '=', 's1').forUpdate().executeTakeFirstOrThrow();
          const removed = await trx.deleteFrom('vote').where('submission_id', '=', 's1').where('user_id', '=', user).executeTakeFirst();
          const delta = Number(removed.numDeletedRows) > 0 ? -1 : 1;
          if (delta === 1) await trx.insertInto('vote').values({ submission_id: 's1', user_id: user }).execute();
          await trx.updateTable('submission').set((eb) => ({ votes: eb('votes', '+', delta) })).where('id', '=', 's1').execute();
        });
      const results = await Promise.allSettled([...Array.from({ length: 200 }, () => toggle('budi')), ...Array.from({ length: 51 }, (_, i) => toggle(`warga-${i}`))]);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const votes = await store.db().selectFrom('vote').select('user_id').where('submission_id', '=', 's1').execute();
      const { votes: count } = await store.db().selectFrom('submission').select('votes').where('id', '=', 's1').executeTakeFirstOrThrow();
      // 200 toggles of one user cancel out; the 51 others each voted once.
      expect(votes.map((v) => v.user_id)).not.toContain('budi');
      expect(votes).toHaveLength(51);
      expect(count).toBe(51);
    });
  });
});
