import { queryRows, withConnection } from '../db/database.ts';
import { now } from '../clock.ts';
import { isTokenScope, type TokenScope } from './authorization.ts';
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
  await withConnection((conn) =>
    conn.run(
      `INSERT INTO auth_api_token (id, user_id, name, secret_hash, scopes, created_at)
       VALUES ($id, $user, $name, $hash, $scopes::VARCHAR[], epoch_ms($at::BIGINT))`,
      { id, user: userId, name: cleanName, hash: hashSecret(secret), scopes: JSON.stringify(unique), at },
    ),
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
  const [row] = await withConnection((conn) =>
    queryRows<{ user_id: string; secret_hash: string; scopes: string[]; last_used_at: string | null }>(
      conn,
      `SELECT user_id, secret_hash, scopes, epoch_ms(last_used_at) AS last_used_at FROM auth_api_token WHERE id = $id AND revoked_at IS NULL`,
      { id: parts.id },
    ),
  );
  if (!row || !secretMatches(parts.secret, row.secret_hash)) return null;
  const user = await getUser(row.user_id);
  if (!user || user.deleted) return null;
  const at = now();
  if (row.last_used_at === null || at - Number(row.last_used_at) >= ACTIVITY_INTERVAL_MS) {
    await withConnection((conn) => conn.run(`UPDATE auth_api_token SET last_used_at = epoch_ms($at::BIGINT) WHERE id = $id`, { id: parts.id, at })).catch(
      () => undefined, // concurrent requests with one token may conflict; one write is enough
    );
  }
  return { user: { ...user, tokenScopes: row.scopes }, tokenId: parts.id };
}

export async function listApiTokens(userId: string): Promise<ApiTokenInfo[]> {
  const rows = await withConnection((conn) =>
    queryRows<{ id: string; name: string; scopes: TokenScope[]; created_at: string; last_used_at: string | null; revoked_at: string | null }>(
      conn,
      `SELECT id, name, scopes, epoch_ms(created_at) AS created_at, epoch_ms(last_used_at) AS last_used_at, epoch_ms(revoked_at) AS revoked_at
       FROM auth_api_token WHERE user_id = $user ORDER BY created_at DESC`,
      { user: userId },
    ),
  );
  const time = (v: string | null) => (v === null ? null : Number(v));
  return rows.map((r) => ({ id: r.id, name: r.name, scopes: r.scopes, createdAt: Number(r.created_at), lastUsedAt: time(r.last_used_at), revokedAt: time(r.revoked_at) }));
}

/** Revokes one of the user's own tokens; false when there is no such live token. */
export async function revokeApiToken(userId: string, tokenId: string): Promise<boolean> {
  const result = await withConnection((conn) =>
    conn.run(`UPDATE auth_api_token SET revoked_at = epoch_ms($at::BIGINT) WHERE id = $id AND user_id = $user AND revoked_at IS NULL`, {
      id: tokenId,
      user: userId,
      at: now(),
    }),
  );
  return result.rowsChanged > 0;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}
