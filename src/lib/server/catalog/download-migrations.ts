import type { Migration } from '../db/migrate.ts';

/**
 * Download counts per dataset, for the catalog's "most downloaded" sort and the versions table.
 * Unlike the catalog index this table is not rebuildable from the lake: it is the platform's own record.
 * One row per download, append-only: concurrent INSERTs never conflict in DuckDB, where concurrent
 * UPDATEs of one counter row would abort with a write-write conflict under load.
 */
export const downloadMigrations: Migration[] = [
  {
    id: 'catalog-002-downloads',
    statements: [
      `CREATE TABLE dataset_downloads (
        dataset VARCHAR NOT NULL,
        version VARCHAR NOT NULL,
        format VARCHAR NOT NULL,
        downloaded_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`,
    ],
  },
];
