import { sql } from 'kysely';
import { t, type Locale } from '../../i18n/index.ts';
import { db, transaction } from '../db/store.ts';
import { touchReaders } from '../http/reader-revision.ts';
import { now } from '../clock.ts';
import { rolesOf, rolesOfUsers, type RoleGrant } from './roles.ts';
import { randomId } from './secret.ts';

/** Accounts. An e-mail is stored lower-cased and trimmed; a deleted account keeps its id (contributions point at it). */

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class EmailTakenError extends Error {}

/** Creates an account; throws EmailTakenError when the address is registered (checked by the UNIQUE constraint, so two at once cannot both win). */
export async function createUser(input: { email: string; name: string; passwordHash: string; emailVerified?: boolean }): Promise<User> {
  const id = randomId();
  const email = normalizeEmail(input.email);
  const inserted = await transaction((trx) =>
    trx
      .insertInto('auth_user')
      .values({ id, email, name: input.name.trim(), password_hash: input.passwordHash, email_verified: input.emailVerified ?? false, created_at: now() })
      .onConflict((oc) => oc.column('email').doNothing())
      .executeTakeFirst(),
  );
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new EmailTakenError(`an account with ${email} already exists`);
  return (await getUser(id))!;
}

/**
 * Reserves an address for a sign-up: a new account without a password (it cannot log in until the mailed link
 * gives it one, see activateAccount). Returns the new account's id, or null when the address was already taken —
 * one INSERT either way, so both cost the same.
 */
export async function reserveEmail(email: string, name: string): Promise<string | null> {
  const id = randomId();
  const inserted = await transaction((trx) =>
    trx
      .insertInto('auth_user')
      .values({ id, email: normalizeEmail(email), name: name.trim(), password_hash: null, email_verified: false, created_at: now() })
      .onConflict((oc) => oc.column('email').doNothing())
      .executeTakeFirst(),
  );
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 ? id : null;
}

/** Gives a reserved account the password and name of the sign-up whose link was opened. */
export async function activateAccount(userId: string, chosen: { passwordHash: string; name: string }): Promise<void> {
  await transaction(async (trx) => {
    await trx.updateTable('auth_user').set({ password_hash: chosen.passwordHash, name: chosen.name }).where('id', '=', userId).where('deleted_at', 'is', null).execute();
    await touchReaders('people');
  });
}

/** Whether an account can log in: it has a password (an address reserved by a sign-up has none until confirmed). */
export async function isActive(userId: string): Promise<boolean> {
  return (await getPasswordHash(userId)) !== null;
}

const COLUMNS = ['id', 'email', 'name', 'email_verified', 'created_at', 'deleted_at'] as const;

export async function getUser(id: string): Promise<User | null> {
  const row = await db().selectFrom('auth_user').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toUser(row, await rolesOf(id)) : null;
}

export async function getUserByEmail(email: string): Promise<User | null> {
  const row = await db()
    .selectFrom('auth_user')
    .select(COLUMNS)
    .where('email', '=', normalizeEmail(email))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? toUser(row, await rolesOf(row.id)) : null;
}

export async function emailTaken(email: string): Promise<boolean> {
  const row = await db().selectFrom('auth_user').select('id').where('email', '=', normalizeEmail(email)).executeTakeFirst();
  return row !== undefined;
}

/** The account and its password hash, for log-in only. */
export async function getUserForLogin(email: string): Promise<{ user: User; passwordHash: string } | null> {
  const row = await db()
    .selectFrom('auth_user')
    .select([...COLUMNS, 'password_hash'])
    .where('email', '=', normalizeEmail(email))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row?.password_hash) return null;
  return { user: toUser(row, await rolesOf(row.id)), passwordHash: row.password_hash };
}

export async function getPasswordHash(userId: string): Promise<string | null> {
  const row = await db().selectFrom('auth_user').select('password_hash').where('id', '=', userId).where('deleted_at', 'is', null).executeTakeFirst();
  return row?.password_hash ?? null;
}

export async function setPasswordHash(userId: string, passwordHash: string): Promise<void> {
  await transaction((trx) => trx.updateTable('auth_user').set({ password_hash: passwordHash }).where('id', '=', userId).execute());
}

export async function setEmailVerified(userId: string): Promise<void> {
  await transaction((trx) => trx.updateTable('auth_user').set({ email_verified: true }).where('id', '=', userId).execute());
}

export async function renameUser(userId: string, name: string): Promise<void> {
  // Names show beside comments and in teams on pages kept for readers.
  await transaction(async (trx) => {
    await trx.updateTable('auth_user').set({ name: name.trim() }).where('id', '=', userId).where('deleted_at', 'is', null).execute();
    await touchReaders('people');
  });
}

/**
 * Deletes an account's personal data: e-mail, name, password, sessions, tokens, roles and pending links.
 * The row stays, with `deleted_at`, so what the person contributed is kept and shown as "deleted user".
 */
export async function deleteUser(userId: string): Promise<void> {
  await transaction(async (trx) => {
    await trx
      .updateTable('auth_user')
      .set({ email: null, name: null, password_hash: null, email_verified: false, deleted_at: now() })
      .where('id', '=', userId)
      .where('deleted_at', 'is', null)
      .execute();
    for (const table of ['auth_session', 'auth_api_token', 'auth_role', 'auth_email_link'] as const) {
      await trx.deleteFrom(table).where('user_id', '=', userId).execute();
    }
    await touchReaders('people');
  });
}

/** Accounts for the admin page, newest first, optionally filtered by a piece of name or e-mail. */
export async function listUsers(options: { search?: string; limit?: number; offset?: number } = {}): Promise<{ users: User[]; total: number }> {
  const search = options.search?.trim().toLowerCase() ?? '';
  // LIKE with the wildcards of the search text escaped: "50%" finds "50%", not everything.
  const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const matching = db()
    .selectFrom('auth_user')
    .where('deleted_at', 'is', null)
    .$if(search !== '', (q) => q.where((eb) => eb.or([sql<boolean>`lower(name) LIKE ${pattern} ESCAPE '\\'`, sql<boolean>`email LIKE ${pattern} ESCAPE '\\'`])));
  const rows = await matching
    .select(COLUMNS)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0)
    .execute();
  const { n } = await matching.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const roles = await rolesOfUsers(rows.map((r) => r.id));
  return { users: rows.map((row) => toUser(row, roles.get(row.id) ?? [])), total: Number(n) };
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
  created_at: number;
  deleted_at: number | null;
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
