import { defineDomain } from '../domain.ts';
import { mailMigrations } from './migrations.ts';

/** The outbox: mail written in the same store as what caused it, delivered afterwards. */
export const mailDomain = defineDomain({ name: 'mail', migrations: mailMigrations, rules: {}, auditEvents: [] });
