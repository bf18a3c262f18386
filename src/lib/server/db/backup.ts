import { existsSync } from 'node:fs';
import { backup, DatabaseSync } from 'node:sqlite';
import { openSqlite } from './connect.ts';

/**
 * Backups of the embedded SQLite store. `VACUUM INTO` writes a consistent copy of the database as of one moment
 * while the server keeps running (readers and the writer go on); restore copies a backup back with SQLite's backup
 * API, with the server stopped (tested that way; a running server's open connections are not part of the contract).
 * PostgreSQL deployments use PostgreSQL's own tools (pg_dump / pg_restore).
 */
export class BackupError extends Error {}

export function backupSqlite(file: string, target: string): void {
  if (existsSync(target)) throw new BackupError(`${target} already exists; choose a new file name (a backup never overwrites)`);
  const db = openSqlite(file);
  try {
    db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
}

/** The migration ids a backup file holds; throws when it is not a store backup at all. */
export function backupMigrations(source: string): string[] {
  if (!existsSync(source)) throw new BackupError(`${source} does not exist`);
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(source, { readOnly: true });
    const ok = db.prepare('PRAGMA quick_check').get() as { quick_check?: string } | undefined;
    if (ok?.quick_check !== 'ok') throw new BackupError(`${source} is damaged: ${ok?.quick_check ?? 'no answer'}`);
    return (db.prepare('SELECT name FROM schema_migrations ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${source} is not a backup of the app-state store (${(error as Error).message})`);
  } finally {
    db?.close();
  }
}

export async function restoreSqlite(source: string, file: string): Promise<void> {
  const db = new DatabaseSync(source, { readOnly: true });
  try {
    await backup(db, file);
  } finally {
    db.close();
  }
}
