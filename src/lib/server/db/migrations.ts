import type { Migration } from './migrate.ts';
import { catalogMigrations } from '../catalog/migrations.ts';
import { authMigrations } from '../auth/migrations.ts';
import { downloadMigrations } from '../catalog/download-migrations.ts';

/** Every domain's migrations, in the order they must run. Append; never edit a shipped one. */
export const migrations: Migration[] = [...catalogMigrations, ...authMigrations, ...downloadMigrations];
