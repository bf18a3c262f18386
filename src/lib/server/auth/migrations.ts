import type { Migration } from '../db/migrate.ts';

/**
 * The auth domain's tables. Times are epoch milliseconds (BIGINT) on both backends, so no time zone is involved.
 * A deleted account keeps its row (contributions point at it), so user_id foreign keys never dangle.
 */
export const authMigrations: Migration[] = [
  {
    id: '20261201.01-auth-users-roles-sessions',
    async up(db) {
      await db.schema
        .createTable('auth_user')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.unique()) // lower-cased; NULL once the account is deleted
        .addColumn('name', 'text') // NULL once the account is deleted
        .addColumn('password_hash', 'text') // argon2id PHC string; NULL once deleted
        .addColumn('email_verified', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('deleted_at', 'bigint')
        .execute();
      await db.schema
        .createTable('auth_role')
        .addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('role', 'text', (c) => c.notNull()) // judge | official | admin (participant is every account's)
        .addColumn('scope', 'text', (c) => c.notNull().defaultTo('')) // judge: event id; official: OPD code; admin: ''
        .addColumn('granted_by', 'text')
        .addColumn('granted_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('auth_role_pk', ['user_id', 'role', 'scope'])
        .execute();
      await db.schema
        .createTable('auth_session')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('secret_hash', 'text', (c) => c.notNull()) // SHA-256 of the token's secret half, hex
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_active_at', 'bigint', (c) => c.notNull())
        .addColumn('user_agent', 'text')
        .execute();
      await db.schema.createIndex('auth_session_user').on('auth_session').column('user_id').execute();
    },
  },
  {
    id: '20261201.02-auth-tokens-links',
    async up(db) {
      await db.schema
        .createTable('auth_api_token')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull()) // JSON array of scope names
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex('auth_api_token_user').on('auth_api_token').column('user_id').execute();
      await db.schema
        .createTable('auth_email_link')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('purpose', 'text', (c) => c.notNull()) // verify-email | reset-password
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .addColumn('payload', 'text') // JSON the link carries out, e.g. the password chosen at sign-up
        .execute();
      await db.schema.createIndex('auth_email_link_user').on('auth_email_link').columns(['user_id', 'purpose']).execute();
    },
  },
];

export interface AuthTables {
  auth_user: {
    id: string;
    email: string | null;
    name: string | null;
    password_hash: string | null;
    email_verified: boolean;
    created_at: number;
    deleted_at: number | null;
  };
  auth_role: { user_id: string; role: string; scope: string; granted_by: string | null; granted_at: number };
  auth_session: { id: string; user_id: string; secret_hash: string; created_at: number; last_active_at: number; user_agent: string | null };
  auth_api_token: {
    id: string;
    user_id: string;
    name: string;
    secret_hash: string;
    scopes: string;
    created_at: number;
    last_used_at: number | null;
    revoked_at: number | null;
  };
  auth_email_link: { id: string; user_id: string; purpose: string; secret_hash: string; expires_at: number; used_at: number | null; payload: string | null };
}
