import path from 'node:path';
import type { Generated, Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStore, type Store } from '../../src/lib/server/db/store.ts';
import type { StoreConfig } from '../../src/lib/server/db/connect.ts';
import type { Migration } from '../../src/lib/server/db/migrate.ts';
import { preparedQuery, type Params } from '../../src/lib/server/db/prepared.ts';
import { BACKENDS, createPostgresDatabase, type BackendName } from '../helpers/store.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/**
 * Prepared queries (db/prepared.ts), built and compiled once and run with new values, on a real store of each
 * backend: they write and read what the same Kysely query would, inside the store's transactions (group commit on
 * SQLite), and keep the store's guards: a transaction that has ended refuses them, a missing value is an error.
 */
interface Tables {
  tally: { name: string; n: number };
  mark: { id: Generated<number>; who: string; seen: boolean };
}

const migrations: Migration[] = [
  {
    id: '20261201.01-test-prepared',
    async up(db, kit) {
      await db.schema.createTable('tally').addColumn('name', 'text', (c) => c.primaryKey()).addColumn('n', 'integer', (c) => c.notNull()).execute();
      await db.schema
        .createTable('mark')
        .$call(kit.autoId)
        .addColumn('who', 'text', (c) => c.notNull())
        .addColumn('seen', 'boolean', (c) => c.notNull())
        .execute();
    },
  },
];

const addMark = preparedQuery((db: Kysely<Tables>, p: Params<{ who: string; seen: boolean }>) => db.insertInto('mark').values({ who: p.who, seen: p.seen }));
const bump = preparedQuery((db: Kysely<Tables>, p: Params<{ name: string; by: number }>) =>
  db.updateTable('tally').set((eb) => ({ n: eb('n', '+', p.by) })).where('name', '=', p.name),
);
const marksOf = preparedQuery((db: Kysely<Tables>, p: Params<{ who: string; limit: number }>) =>
  db.selectFrom('mark').select(['who', 'seen']).where('who', '=', p.who).orderBy('id').limit(p.limit),
);

async function makeConfig(backend: BackendName): Promise<{ config: StoreConfig; cleanup(): Promise<void> }> {
  if (backend === 'sqlite') {
    const dir = makeTempDir('kota-prepared-');
    return { config: { dialect: 'sqlite', file: path.join(dir, 'app.sqlite') }, cleanup: async () => removeDir(dir) };
  }
  const database = await createPostgresDatabase();
  return { config: { dialect: 'postgres', url: database.url, poolSize: 10 }, cleanup: () => database.drop() };
}

describe.each(BACKENDS)('prepared queries on $name', ({ name, skip }) => {
  let cleanup: () => Promise<void> = async () => {};
  let store: Store<Tables>;

  beforeAll(async () => {
    if (skip) return;
    let config: StoreConfig;
    ({ config, cleanup } = await makeConfig(name));
    store = createStore<Tables>(config, { migrations });
    await store.transaction((trx) => trx.insertInto('tally').values([{ name: 'a', n: 0 }, { name: 'b', n: 0 }]).execute());
  });
  afterAll(async () => {
    await store?.close();
    await cleanup();
  });

  test.skipIf(skip)('write and read with new values on every run, booleans and counts as the built query gives them', async () => {
    await store.transaction(async (trx) => {
      await addMark.execute(trx, { who: 'sari', seen: true });
      await addMark.execute(trx, { who: 'sari', seen: false });
      await addMark.execute(trx, { who: 'joko', seen: true });
      const bumped = await bump.execute(trx, { name: 'b', by: 5 });
      expect(bumped.numAffectedRows).toBe(1n);
    });
    expect((await marksOf.execute(store.db(), { who: 'sari', limit: 10 })).rows).toEqual([
      { who: 'sari', seen: true },
      { who: 'sari', seen: false },
    ]);
    expect((await marksOf.execute(store.db(), { who: 'sari', limit: 1 })).rows).toEqual(
      await store.db().selectFrom('mark').select(['who', 'seen']).where('who', '=', 'sari').orderBy('id').limit(1).execute(),
    );
    expect(await store.db().selectFrom('tally').select(['name', 'n']).orderBy('name').execute()).toEqual([
      { name: 'a', n: 0 },
      { name: 'b', n: 5 },
    ]);
  });

  test.skipIf(skip)('200 concurrent transactions of prepared queries: every one commits and the counter counts each once', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        store.transaction(async (trx) => {
          await addMark.execute(trx, { who: `warga-${i}`, seen: i % 2 === 0 });
          await bump.execute(trx, { name: 'a', by: 1 });
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await store.db().selectFrom('tally').select('n').where('name', '=', 'a').executeTakeFirstOrThrow()).toEqual({ n: 200 });
    const { count } = await store.db().selectFrom('mark').where('who', 'like', 'warga-%').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    expect(Number(count)).toBe(200);
  });

  test.skipIf(skip)('a transaction used after it ended refuses a prepared query and writes nothing', async () => {
    let leaked: Kysely<Tables> | undefined;
    await store.transaction(async (trx) => {
      leaked = trx;
    });
    await expect(addMark.execute(leaked!, { who: 'bocor', seen: true })).rejects.toThrow(/already (ended|committed)/);
    expect(await store.db().selectFrom('mark').selectAll().where('who', '=', 'bocor').execute()).toEqual([]);
  });

  test.skipIf(skip)('a missing value is refused before anything runs; a parameter that is not bound is refused at the first run', async () => {
    await expect(store.transaction((trx) => bump.execute(trx, { name: 'a' } as { name: string; by: number }))).rejects.toThrow('no value for "by"');
    const unbound = preparedQuery((db: Kysely<Tables>, p: Params<{ who: string }>) => {
      void p.who;
      return db.selectFrom('mark').selectAll();
    });
    await expect(unbound.execute(store.db(), { who: 'x' })).rejects.toThrow(/who did not compile to bound values/);
    expect(await store.db().selectFrom('tally').select('n').where('name', '=', 'a').executeTakeFirstOrThrow()).toEqual({ n: 200 });
  });
});
