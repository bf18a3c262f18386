import { db, transaction } from '../db/store.ts';
import { now } from '../clock.ts';
import { randomId, hashSecret, secretMatches, splitToken } from './secret.ts';
import { sessionSettings } from './settings.ts';
import { getUser, type User } from './user.ts';

/**
 * Sessions as in the Lucia guide: the cookie holds `<id>.<secret>`, the database only the secret's SHA-256,
 * compared in constant time. A session ends after `idleMs` without activity (activity is written at most once
 * per `activityIntervalMs`) and after `maxMs` in any case.
 */

export async function createSession(userId: string, userAgent = ''): Promise<{ token: string; session: Session }> {
  const id = randomId();
  const secret = randomId(20);
  const at = now();
  await transaction((trx) =>
    trx
      .insertInto('auth_session')
      .values({ id, user_id: userId, secret_hash: hashSecret(secret), created_at: at, last_active_at: at, user_agent: userAgent.slice(0, 200) })
      .execute(),
  );
  return { token: `${id}.${secret}`, session: { id, userId, createdAt: at, lastActiveAt: at, userAgent, fresh: true } };
}

/** The one check of a session token. Returns null for anything wrong: bad shape, unknown id, wrong secret, expired. */
export async function validateSessionToken(token: string): Promise<{ session: Session; user: User } | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const row = await db()
    .selectFrom('auth_session')
    .select(['user_id', 'secret_hash', 'created_at', 'last_active_at', 'user_agent'])
    .where('id', '=', parts.id)
    .executeTakeFirst();
  if (!row || !secretMatches(parts.secret, row.secret_hash)) return null;
  const at = now();
  const { idleMs, maxMs, activityIntervalMs } = sessionSettings();
  const session: Session = {
    id: parts.id,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    lastActiveAt: Number(row.last_active_at),
    userAgent: row.user_agent ?? '',
    fresh: false,
  };
  if (at - session.createdAt >= maxMs || at - session.lastActiveAt >= idleMs) {
    await invalidateSession(session.id);
    return null;
  }
  const user = await getUser(session.userId);
  if (!user || user.deleted) {
    await invalidateSession(session.id);
    return null;
  }
  if (at - session.lastActiveAt >= activityIntervalMs) {
    await transaction((trx) => trx.updateTable('auth_session').set({ last_active_at: at }).where('id', '=', session.id).execute());
    session.lastActiveAt = at;
    session.fresh = true;
  }
  return { session, user };
}

/** When the cookie should expire: at the idle limit from the last activity, capped by the absolute maximum. */
export function sessionExpiresAt(session: Pick<Session, 'createdAt' | 'lastActiveAt'>): number {
  const { idleMs, maxMs } = sessionSettings();
  return Math.min(session.lastActiveAt + idleMs, session.createdAt + maxMs);
}

export async function invalidateSession(sessionId: string): Promise<void> {
  await transaction((trx) => trx.deleteFrom('auth_session').where('id', '=', sessionId).execute());
}

/** Ends every session of a user, or every one but `keep` (password change keeps the session that made it). */
export async function invalidateUserSessions(userId: string, keep?: string): Promise<number> {
  const result = await transaction((trx) =>
    trx.deleteFrom('auth_session').where('user_id', '=', userId).where('id', '<>', keep ?? '').executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
}

export async function listUserSessions(userId: string): Promise<Omit<Session, 'fresh'>[]> {
  const rows = await db()
    .selectFrom('auth_session')
    .select(['id', 'created_at', 'last_active_at', 'user_agent'])
    .where('user_id', '=', userId)
    .orderBy('last_active_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, userId, createdAt: Number(r.created_at), lastActiveAt: Number(r.last_active_at), userAgent: r.user_agent ?? '' }));
}

export interface Session {
  id: string;
  userId: string;
  createdAt: number;
  lastActiveAt: number;
  userAgent: string;
  /** True when activity was just written (or the session is new): the cookie should be set again. */
  fresh: boolean;
}
