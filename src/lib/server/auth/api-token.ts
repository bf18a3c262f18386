import { db, transaction } from '../db/store.ts';
import { now } from '../clock.ts';
import { isTokenScope, type TokenScope } from './rule-kit.ts';
import { hashSecret, randomId, secretMatches, splitToken } from './secret.ts';
import { API_TOKEN_PREFIX } from './settings.ts';
import { getUser, type User } from './user.ts';

/**
 * API tokens for machines: `kt_<id>.<secret>`, sent as `Authorization: Bearer …`. Shown once at creation;
 * only the secret's SHA-256 is stored. A token acts as its owner, limited to its scopes.
 */
const ACTIVITY_INTERVAL_MS = 60 * 60 * 1000;

export class ApiTokenError extends Error {}

export async function createApiToken(userId: string, name: string, scopes: string[]): Promise<{ token: string; info: ApiTokenInfo }> {
  const cleanName = name.trim();
  if (!cleanName || cleanName.length > 80) throw new ApiTokenError('name: 1 to 80 characters');
  const unique = [...new Set(scopes)];
  const bad = unique.find((s) => !isTokenScope(s));
  if (bad !== undefined) throw new ApiTokenError(`scopes: unknown scope "${bad}"`);
  if (unique.length === 0) throw new ApiTokenError('scopes: choose at least one');
  const id = randomId();
  const secret = randomId(20);
  const at = now();
  await transaction((trx) =>
    trx
      .insertInto('auth_api_token')
      .values({ id, user_id: userId, name: cleanName, secret_hash: hashSecret(secret), scopes: JSON.stringify(unique), created_at: at })
      .execute(),
  );
  return {
    token: `${API_TOKEN_PREFIX}${id}.${secret}`,
    info: { id, name: cleanName, scopes: unique as TokenScope[], createdAt: at, lastUsedAt: null, revokedAt: null },
  };
}

/** The owner of a valid, unrevoked token, with `tokenScopes` set; null for anything else. */
export async function validateApiToken(token: string): Promise<{ user: User; tokenId: string } | null> {
  const parts = splitToken(token, API_TOKEN_PREFIX);
  if (!parts) return null;
  const row = await db()
    .selectFrom('auth_api_token')
    .select(['user_id', 'secret_hash', 'scopes', 'last_used_at'])
    .where('id', '=', parts.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || !secretMatches(parts.secret, row.secret_hash)) return null;
  const user = await getUser(row.user_id);
  if (!user || user.deleted) return null;
  const at = now();
  if (row.last_used_at === null || at - Number(row.last_used_at) >= ACTIVITY_INTERVAL_MS) {
    await transaction((trx) => trx.updateTable('auth_api_token').set({ last_used_at: at }).where('id', '=', parts.id).execute());
  }
  return { user: { ...user, tokenScopes: JSON.parse(row.scopes) as string[] }, tokenId: parts.id };
}

export async function listApiTokens(userId: string): Promise<ApiTokenInfo[]> {
  const rows = await db()
    .selectFrom('auth_api_token')
    .select(['id', 'name', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scopes: JSON.parse(r.scopes) as TokenScope[],
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revokes one of the user's own tokens; false when there is no such live token. */
export async function revokeApiToken(userId: string, tokenId: string): Promise<boolean> {
  const result = await transaction((trx) =>
    trx
      .updateTable('auth_api_token')
      .set({ revoked_at: now() })
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst(),
  );
  return Number(result.numUpdatedRows) > 0;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}
