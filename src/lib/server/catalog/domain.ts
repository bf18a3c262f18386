import { hasRole, isAdmin } from '../auth/rule-kit.ts';
import { defineDomain } from '../domain.ts';
import { downloadMigrations } from './download-migrations.ts';

/**
 * The catalog: its index is a DuckDB cache of the lake (./index-db.ts), not in the store; the store holds only
 * what the lake cannot rebuild, the download counts.
 */
export const catalogDomain = defineDomain({
  name: 'catalog',
  migrations: downloadMigrations,
  rules: {
    /** Read datasets classified terbatas (published for government use): officials of any OPD and admins. */
    'dataset.read.restricted': { scope: 'read', allow: (a) => isAdmin(a) || hasRole(a, 'official') },
  },
  auditEvents: [],
});
