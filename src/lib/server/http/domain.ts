import { defineDomain } from '../domain.ts';
import { httpMigrations } from './migrations.ts';

/** Shared HTTP services; in the store: the rate-limit buckets. */
export const httpDomain = defineDomain({ name: 'http', migrations: httpMigrations, rules: {}, auditEvents: ['rate_limit'] });
