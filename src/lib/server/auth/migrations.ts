import type { Migration } from '../db/migrate.ts';

/**
 * The auth domain's tables. Times are TIMESTAMP in UTC, written with epoch_ms(...) and read back the same way,
 * so no session time zone is involved. No foreign keys: DuckDB's make deletes of referenced rows painful, and
 * only this folder writes these tables.
 */
export const authMigrations: Migration[] = [
  {
    id: 'auth-001-users',
    statements: [
      `CREATE TABLE auth_user (
        id VARCHAR PRIMARY KEY,
        email VARCHAR UNIQUE,               -- lower-cased; NULL once the account is deleted
        name VARCHAR,                       -- NULL once the account is deleted
        password_hash VARCHAR,              -- argon2id PHC string; NULL once deleted
        email_verified BOOLEAN NOT NULL DEFAULT false,
        created_at TIMESTAMP NOT NULL,
        deleted_at TIMESTAMP
      )`,
      `CREATE TABLE auth_role (
        user_id VARCHAR NOT NULL,
        role VARCHAR NOT NULL,              -- judge | official | admin (participant is every account's)
        scope VARCHAR NOT NULL DEFAULT '',  -- judge: event id; official: OPD code; admin: ''
        granted_by VARCHAR,
        granted_at TIMESTAMP NOT NULL,
        PRIMARY KEY (user_id, role, scope)
      )`,
    ],
  },
  {
    id: 'auth-002-sessions',
    statements: [
      `CREATE TABLE auth_session (
        id VARCHAR PRIMARY KEY,
        user_id VARCHAR NOT NULL,
        secret_hash VARCHAR NOT NULL,       -- SHA-256 of the token's secret half, hex
        created_at TIMESTAMP NOT NULL,
        last_active_at TIMESTAMP NOT NULL,
        user_agent VARCHAR
      )`,
      `CREATE INDEX auth_session_user ON auth_session (user_id)`,
    ],
  },
  {
    id: 'auth-003-api-tokens',
    statements: [
      `CREATE TABLE auth_api_token (
        id VARCHAR PRIMARY KEY,
        user_id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        secret_hash VARCHAR NOT NULL,
        scopes VARCHAR[] NOT NULL,
        created_at TIMESTAMP NOT NULL,
        last_used_at TIMESTAMP,
        revoked_at TIMESTAMP
      )`,
    ],
  },
  {
    id: 'auth-004-email-links-outbox',
    statements: [
      `CREATE TABLE auth_email_link (
        id VARCHAR PRIMARY KEY,
        user_id VARCHAR NOT NULL,
        purpose VARCHAR NOT NULL,           -- verify-email | reset-password
        secret_hash VARCHAR NOT NULL,
        expires_at TIMESTAMP NOT NULL,
        used_at TIMESTAMP
      )`,
      `CREATE SEQUENCE mail_outbox_seq`,
      `CREATE TABLE mail_outbox (
        id BIGINT PRIMARY KEY DEFAULT nextval('mail_outbox_seq'),
        to_address VARCHAR NOT NULL,
        subject VARCHAR NOT NULL,
        body VARCHAR NOT NULL,              -- cleared once sent, so links do not linger
        created_at TIMESTAMP NOT NULL,
        sent_at TIMESTAMP,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error VARCHAR
      )`,
    ],
  },
  {
    id: 'auth-005-audit',
    statements: [
      `CREATE SEQUENCE auth_audit_seq`,
      `CREATE TABLE auth_audit (
        id BIGINT PRIMARY KEY DEFAULT nextval('auth_audit_seq'),
        occurred_at TIMESTAMP NOT NULL,
        event VARCHAR NOT NULL,
        actor_id VARCHAR,                   -- who did it (NULL: anonymous)
        subject_id VARCHAR,                 -- whom it concerns
        ip VARCHAR,
        detail VARCHAR
      )`,
    ],
  },
];
