import type { Migration } from '../db/migrate.ts';

/** Rate-limit buckets, in the store so that every server of a fleet counts against the same limits. */
export const httpMigrations: Migration[] = [
  {
    id: '20261201.01-http-rate-limits',
    async up(db) {
      await db.schema
        .createTable('rate_limit_bucket')
        .addColumn('key', 'text', (c) => c.primaryKey()) // `<policy>:<address or account>`
        .addColumn('tokens', 'integer', (c) => c.notNull())
        .addColumn('refilled_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rate_limit_bucket_refilled').on('rate_limit_bucket').column('refilled_at').execute();
    },
  },
  {
    id: '20261206.01-http-reader-revisions',
    async up(db) {
      // reader-revision.ts: one counter per kind of content that pages kept for readers show
      await db.schema
        .createTable('reader_revision')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('n', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
];

export interface HttpTables {
  rate_limit_bucket: { key: string; tokens: number; refilled_at: number };
  reader_revision: { name: string; n: number };
}
