import { isAdmin } from '../auth/rule-kit.ts';
import { defineDomain } from '../domain.ts';
import { auditMigrations } from './migrations.ts';

/** The audit log: security events written by every domain, read by admins. */
export const auditDomain = defineDomain({
  name: 'audit',
  migrations: auditMigrations,
  rules: {
    'admin.audit.read': { scope: null, allow: isAdmin },
  },
  auditEvents: [],
});
