import type { DuckDBConnection } from '@duckdb/node-api';
import { migrations } from './migrations.ts';

/**
 * Applies, in order, every migration not yet recorded in schema_migrations. Each domain owns its
 * tables: its migrations live in its own folder and are listed in ./migrations.ts.
 */
export async function migrate(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS schema_migrations (id VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  const done = new Set(
    (await conn.runAndReadAll('SELECT id FROM schema_migrations')).getRowObjects().map((r) => String(r.id)),
  );
  for (const migration of migrations) {
    if (done.has(migration.id)) continue;
    await conn.run('BEGIN TRANSACTION');
    try {
      for (const statement of migration.statements) await conn.run(statement);
      await conn.run('INSERT INTO schema_migrations (id) VALUES ($id)', { id: migration.id });
      await conn.run('COMMIT');
    } catch (error) {
      await conn.run('ROLLBACK');
      throw new Error(`migration ${migration.id} failed: ${(error as Error).message}`);
    }
  }
}

export interface Migration {
  /** `<domain>-<nnn>-<what>`, unique and never renamed once shipped. */
  id: string;
  statements: string[];
}
