// `npm run db -- <command>`: the app-state store's migrations and backups. All but restore work while the server runs.
import path from 'node:path';
import { DOMAIN_MIGRATIONS } from '../lib/server/domains.ts';
import { backupMigrations, backupSqlite, BackupError, restoreSqlite } from '../lib/server/db/backup.ts';
import { maintenanceConnection } from '../lib/server/db/connect.ts';
import { applyMigrations, migrationStatus, MigrationError } from '../lib/server/db/migrate.ts';
import { storeConfig } from '../lib/server/db/store.ts';

const USAGE = `Usage: npm run db -- <command>

  migrate          apply pending migrations (the server also does this when it starts)
  status           list every migration and whether this database has it
  backup <file>    SQLite: write a consistent copy of DATA_DIR/app.sqlite to <file>, while the server runs
  restore <file>   SQLite: replace the store's contents with a backup made by "backup", then migrate it
                   (stop the server first)

The store is DATA_DIR/app.sqlite, or the PostgreSQL database in DATABASE_URL. For PostgreSQL, back up and restore
with pg_dump and pg_restore.`;

class CliError extends Error {}

async function main([command, argument]: string[]): Promise<void> {
  const config = storeConfig();
  const where = config.dialect === 'sqlite' ? `SQLite ${config.file}` : `PostgreSQL ${new URL(config.url).host}${new URL(config.url).pathname}`;
  const sqliteOnly = (what: string) => {
    if (config.dialect !== 'sqlite') {
      throw new CliError(`${what} is for the embedded SQLite store; this one is ${where}: use pg_dump -Fc "$DATABASE_URL" > kota.dump and pg_restore -d "$DATABASE_URL" --clean kota.dump`);
    }
    if (!argument) throw new CliError(`${command} needs a file name\n\n${USAGE}`);
    return { file: config.file, target: path.resolve(argument) };
  };
  switch (command) {
    case 'migrate': {
      const applied = await withMaintenance(config, (db) => applyMigrations(db, DOMAIN_MIGRATIONS, config.dialect));
      console.log(applied.length ? `${where}: applied ${applied.join(', ')}` : `${where}: up to date (${DOMAIN_MIGRATIONS.length} migrations)`);
      return;
    }
    case 'status': {
      const states = await withMaintenance(config, (db) => migrationStatus(db, DOMAIN_MIGRATIONS, config.dialect));
      console.log(where);
      for (const s of states) console.log(`${s.appliedAt ? `applied ${s.appliedAt.toISOString()}` : 'pending                          '}  ${s.id}`);
      const pending = states.filter((s) => !s.appliedAt).length;
      console.log(pending ? `${pending} pending: run "npm run db -- migrate" or start the server` : 'up to date');
      return;
    }
    case 'backup': {
      const { file, target } = sqliteOnly('backup');
      backupSqlite(file, target);
      console.log(`backed up ${file} to ${target}`);
      return;
    }
    case 'restore': {
      const { file, target: source } = sqliteOnly('restore');
      const held = backupMigrations(source);
      const known = new Set(DOMAIN_MIGRATIONS.map((m) => m.id));
      const unknown = held.filter((id) => !known.has(id));
      if (unknown.length) throw new CliError(`${source} was made by a newer version (migrations ${unknown.join(', ')} are unknown here); restore it with that version`);
      await restoreSqlite(source, file);
      const applied = await withMaintenance(config, (db) => applyMigrations(db, DOMAIN_MIGRATIONS, config.dialect));
      console.log(`restored ${file} from ${source}${applied.length ? `; then applied ${applied.join(', ')}` : ''}`);
      return;
    }
    default:
      throw new CliError(command ? `unknown command "${command}"\n\n${USAGE}` : USAGE);
  }
}

async function withMaintenance<T>(config: ReturnType<typeof storeConfig>, work: (db: ReturnType<typeof maintenanceConnection>) => Promise<T>): Promise<T> {
  const db = maintenanceConnection(config);
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  const known = error instanceof CliError || error instanceof BackupError || error instanceof MigrationError;
  console.error(known ? `db: ${(error as Error).message}` : error);
  process.exitCode = 1;
}
