import type { CreateTableBuilder, Kysely } from 'kysely';
import { Migrator, type Migration as KyselyMigration } from 'kysely/migration';

/**
 * Schema migrations of the app-state store. Each domain folder exports its own list (see docs/adding-a-domain.md);
 * src/lib/server/domains.ts gathers them. Kysely's migrator applies them in id order, one transaction per
 * migration, records each in `schema_migrations`, and refuses a new migration whose id sorts before one a database
 * already has — so a fresh and an upgraded database always run the same migrations in the same order.
 */
export interface Migration {
  /**
   * `<yyyymmdd>.<nn>-<domain>-<what>`, e.g. `20261201.01-auth-users`: the date it was written and a sequence number
   * that day, so ids sort in the order they were written whichever domain they belong to. Never renamed once shipped.
   */
  id: string;
  /** Dialect-neutral: Kysely's schema builder, the kit for the few types the two dialects spell differently. */
  up(db: Kysely<any>, kit: MigrationKit): Promise<void>;
}

export interface MigrationKit {
  /** Adds an auto-incrementing integer primary key (`integer … autoincrement` / `bigint … generated as identity`). */
  autoId(table: CreateTableBuilder<any, any>, name?: string): CreateTableBuilder<any, any>;
}

export type Dialect = 'sqlite' | 'postgres';

export const MIGRATION_ID = /^(\d{8})\.(\d{2})-([a-z][a-z0-9]*)-[a-z0-9][a-z0-9-]*$/;

export function migrationKit(dialect: Dialect): MigrationKit {
  return {
    autoId: (table, name = 'id') =>
      dialect === 'sqlite'
        ? table.addColumn(name, 'integer', (c) => c.primaryKey().autoIncrement())
        : table.addColumn(name, 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()),
  };
}

export class MigrationError extends Error {}

/** Checks a domain's migration list: id shape, the domain named in each id, no duplicates, written in order. */
export function checkMigrations(domain: string, migrations: readonly Migration[]): void {
  let previous = '';
  for (const m of migrations) {
    const match = MIGRATION_ID.exec(m.id);
    if (!match) throw new MigrationError(`${domain}: migration id "${m.id}" does not look like 20261201.01-${domain}-what-it-does`);
    if (match[3] !== domain) throw new MigrationError(`${domain}: migration "${m.id}" names domain "${match[3]}"; ids start with the date and the owning domain`);
    if (m.id <= previous) throw new MigrationError(`${domain}: migration "${m.id}" is listed after "${previous}" but sorts before it`);
    previous = m.id;
  }
}

function migrator(db: Kysely<any>, migrations: readonly Migration[], dialect: Dialect): Migrator {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new MigrationError(`migration id "${m.id}" is used twice`);
    ids.add(m.id);
  }
  const kit = migrationKit(dialect);
  return new Migrator({
    db,
    provider: {
      getMigrations: async () => Object.fromEntries(migrations.map((m): [string, KyselyMigration] => [m.id, { up: (trx) => m.up(trx, kit) }])),
    },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

/** Applies every pending migration, each in its own transaction; returns the ids applied. */
export async function applyMigrations(db: Kysely<any>, migrations: readonly Migration[], dialect: Dialect): Promise<string[]> {
  const m = migrator(db, migrations, dialect);
  // Nothing pending (the usual start): answer from a read, without taking the write lock.
  if ((await m.getMigrations()).every((info) => info.executedAt !== undefined)) return [];
  const applied: string[] = [];
  for (;;) {
    const { error, results = [] } = await m.migrateUp();
    const failed = results.find((r) => r.status === 'Error');
    if (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new MigrationError(failed ? `migration ${failed.migrationName} failed: ${why}` : `migrations refused: ${why}`);
    }
    const done = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (done.length === 0) return applied;
    applied.push(...done);
  }
}

export interface MigrationState {
  id: string;
  /** When this database applied it; null while pending. */
  appliedAt: Date | null;
}

/** Every known migration and whether this database has it, in the order they apply. */
export async function migrationStatus(db: Kysely<any>, migrations: readonly Migration[], dialect: Dialect): Promise<MigrationState[]> {
  const infos = await migrator(db, migrations, dialect).getMigrations();
  return infos.map((i) => ({ id: i.name, appliedAt: i.executedAt ?? null }));
}
