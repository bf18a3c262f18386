import type { Migration } from '../db/migrate.ts';

/**
 * Download counts per dataset version and format: the platform's own record, so they live in the app-state store,
 * not in the catalog index (which is a cache of the lake). One counter row per (dataset, version, format), raised by
 * an atomic upsert, so concurrent downloads on any server of a fleet are each counted once.
 */
export const downloadMigrations: Migration[] = [
  {
    id: '20261201.01-catalog-download-counts',
    async up(db) {
      await db.schema
        .createTable('dataset_downloads')
        .addColumn('dataset', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('downloads', 'bigint', (c) => c.notNull())
        .addColumn('last_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('dataset_downloads_pk', ['dataset', 'version', 'format'])
        .execute();
    },
  },
  {
    // Per calendar month (Jakarta time) and dataset, for "downloads this month" on the home page.
    id: '20261201.02-catalog-download-months',
    async up(db) {
      await db.schema
        .createTable('dataset_downloads_monthly')
        .addColumn('dataset', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('downloads', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('dataset_downloads_monthly_pk', ['dataset', 'month'])
        .execute();
    },
  },
];

export interface DownloadTables {
  dataset_downloads: { dataset: string; version: string; format: string; downloads: number; last_at: number };
  dataset_downloads_monthly: { dataset: string; month: string; downloads: number };
}
