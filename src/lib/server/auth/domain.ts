import { defineDomain } from '../domain.ts';
import { authMigrations } from './migrations.ts';
import { authRules } from './rules.ts';

/** Identity: accounts, roles, sessions, API tokens, e-mail links. */
export const authDomain = defineDomain({
  name: 'auth',
  migrations: authMigrations,
  rules: authRules,
  auditEvents: [
    'signup',
    'login.success',
    'login.failure',
    'logout',
    'logout.everywhere',
    'password.change',
    'password.reset',
    'email.verified',
    'role.grant',
    'role.revoke',
    'token.create',
    'token.revoke',
    'account.delete',
  ],
});
