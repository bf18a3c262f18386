import type { DuckDBConnection } from '@duckdb/node-api';
import { t, type Locale } from '../../i18n/index.ts';
import { queryRows, transaction, withConnection } from '../db/database.ts';
import { now } from '../clock.ts';
import { rolesOf, type RoleGrant } from './roles.ts';
import { randomId } from './secret.ts';

/** Accounts. An e-mail is stored lower-cased and trimmed; a deleted account keeps its id (contributions point at it). */

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createUser(input: { email: string; name: string; passwordHash: string; emailVerified?: boolean }): Promise<User> {
  const id = randomId();
  const email = normalizeEmail(input.email);
  await withConnection((conn) =>
    conn.run(
      `INSERT INTO auth_user (id, email, name, password_hash, email_verified, created_at)
       VALUES ($id, $email, $name, $hash, $verified, epoch_ms($at::BIGINT))`,
      { id, email, name: input.name.trim(), hash: input.passwordHash, verified: input.emailVerified ?? false, at: now() },
    ),
  );
  return (await getUser(id))!;
}

const COLUMNS = `id, email, name, email_verified, epoch_ms(created_at) AS created_at, epoch_ms(deleted_at) AS deleted_at`;

export async function getUser(id: string): Promise<User | null> {
  return withConnection(async (conn) => {
    const [row] = await queryRows<UserRow>(conn, `SELECT ${COLUMNS} FROM auth_user WHERE id = $id`, { id });
    return row ? toUser(row, await rolesOf(conn, id)) : null;
  });
}

export async function getUserByEmail(email: string): Promise<User | null> {
  const id = await withConnection(async (conn) => {
    const [row] = await queryRows<{ id: string }>(conn, `SELECT id FROM auth_user WHERE email = $email AND deleted_at IS NULL`, { email: normalizeEmail(email) });
    return row?.id;
  });
  return id ? getUser(id) : null;
}

export async function emailTaken(email: string): Promise<boolean> {
  return withConnection(async (conn) => {
    const rows = await queryRows(conn, `SELECT 1 FROM auth_user WHERE email = $email`, { email: normalizeEmail(email) });
    return rows.length > 0;
  });
}

/** The account and its password hash, for log-in only. */
export async function getUserForLogin(email: string): Promise<{ user: User; passwordHash: string } | null> {
  return withConnection(async (conn) => {
    const [row] = await queryRows<UserRow & { password_hash: string | null }>(
      conn,
      `SELECT ${COLUMNS}, password_hash FROM auth_user WHERE email = $email AND deleted_at IS NULL`,
      { email: normalizeEmail(email) },
    );
    if (!row?.password_hash) return null;
    return { user: toUser(row, await rolesOf(conn, row.id)), passwordHash: row.password_hash };
  });
}

export async function getPasswordHash(userId: string): Promise<string | null> {
  return withConnection(async (conn) => {
    const [row] = await queryRows<{ password_hash: string | null }>(conn, `SELECT password_hash FROM auth_user WHERE id = $id AND deleted_at IS NULL`, { id: userId });
    return row?.password_hash ?? null;
  });
}

export async function setPasswordHash(conn: DuckDBConnection, userId: string, passwordHash: string): Promise<void> {
  await conn.run(`UPDATE auth_user SET password_hash = $hash WHERE id = $id`, { id: userId, hash: passwordHash });
}

export async function setEmailVerified(conn: DuckDBConnection, userId: string): Promise<void> {
  await conn.run(`UPDATE auth_user SET email_verified = true WHERE id = $id`, { id: userId });
}

export async function renameUser(userId: string, name: string): Promise<void> {
  await withConnection((conn) => conn.run(`UPDATE auth_user SET name = $name WHERE id = $id AND deleted_at IS NULL`, { id: userId, name: name.trim() }));
}

/**
 * Deletes an account's personal data: e-mail, name, password, sessions, tokens, roles and pending links.
 * The row stays, with `deleted_at`, so what the person contributed is kept and shown as "deleted user".
 */
export async function deleteUser(userId: string): Promise<void> {
  await transaction(async (conn) => {
    await conn.run(
      `UPDATE auth_user SET email = NULL, name = NULL, password_hash = NULL, email_verified = false, deleted_at = epoch_ms($at::BIGINT) WHERE id = $id`,
      { id: userId, at: now() },
    );
    for (const table of ['auth_session', 'auth_api_token', 'auth_role', 'auth_email_link']) {
      await conn.run(`DELETE FROM ${table} WHERE user_id = $id`, { id: userId });
    }
  });
}

/** Accounts for the admin page, newest first, optionally filtered by a piece of name or e-mail. */
export async function listUsers(options: { search?: string; limit?: number; offset?: number } = {}): Promise<{ users: User[]; total: number }> {
  return withConnection(async (conn) => {
    const search = options.search?.trim().toLowerCase() ?? '';
    const where = `deleted_at IS NULL AND ($q = '' OR contains(lower(name), $q) OR contains(email, $q))`;
    const rows = await queryRows<UserRow>(
      conn,
      `SELECT ${COLUMNS} FROM auth_user WHERE ${where} ORDER BY created_at DESC, id LIMIT $limit OFFSET $offset`,
      { q: search, limit: options.limit ?? 50, offset: options.offset ?? 0 },
    );
    const [count] = await queryRows<{ n: string }>(conn, `SELECT count(*) AS n FROM auth_user WHERE ${where}`, { q: search });
    const users = [];
    for (const row of rows) users.push(toUser(row, await rolesOf(conn, row.id)));
    return { users, total: Number(count?.n ?? 0) };
  });
}

/** How a person is shown next to what they wrote: their name, or "deleted user" in the reader's language. */
export function displayName(user: { name: string; deleted: boolean } | null | undefined, locale: Locale): string {
  return user && !user.deleted && user.name ? user.name : t(locale, 'auth.deleted_user');
}

interface UserRow {
  id: string;
  email: string | null;
  name: string | null;
  email_verified: boolean;
  created_at: string;
  deleted_at: string | null;
}

function toUser(row: UserRow, roles: RoleGrant[]): User {
  return {
    id: row.id,
    email: row.email ?? '',
    name: row.name ?? '',
    emailVerified: row.email_verified,
    createdAt: Number(row.created_at),
    deleted: row.deleted_at !== null,
    roles,
  };
}

export interface User {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  createdAt: number;
  deleted: boolean;
  /** Granted roles; every account is also a participant. */
  roles: RoleGrant[];
  /** Set when the request came with an API token: what the token may do (narrows, never widens, the roles). */
  tokenScopes?: readonly string[];
}
