import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, withConnection } from '../db/database.ts';
import { now } from '../clock.ts';
import { hashSecret, randomId, secretMatches, splitToken } from './secret.ts';
import { EMAIL_LINK_TTL_MS } from './settings.ts';

/**
 * One-use links sent by e-mail (verify an address, reset a password): `<id>.<secret>` in the URL, the secret's
 * hash in the table, valid for two hours. Issuing a new link of a purpose voids the older ones.
 */
export type LinkPurpose = 'verify-email' | 'reset-password';

export async function issueEmailLink(userId: string, purpose: LinkPurpose): Promise<string> {
  const id = randomId();
  const secret = randomId(20);
  const at = now();
  await withConnection(async (conn) => {
    await conn.run(`DELETE FROM auth_email_link WHERE user_id = $user AND purpose = $purpose`, { user: userId, purpose });
    await conn.run(
      `INSERT INTO auth_email_link (id, user_id, purpose, secret_hash, expires_at) VALUES ($id, $user, $purpose, $hash, epoch_ms($exp::BIGINT))`,
      { id, user: userId, purpose, hash: hashSecret(secret), exp: at + EMAIL_LINK_TTL_MS },
    );
  });
  return `${id}.${secret}`;
}

/** The user a valid, unused, unexpired link belongs to; does not use it up. */
export async function checkEmailLink(token: string, purpose: LinkPurpose): Promise<string | null> {
  return withConnection((conn) => findLink(conn, token, purpose));
}

/** Uses a link up inside the caller's transaction; returns the user id, or null when it is not valid. */
export async function consumeEmailLink(conn: DuckDBConnection, token: string, purpose: LinkPurpose): Promise<string | null> {
  const userId = await findLink(conn, token, purpose);
  if (!userId) return null;
  await conn.run(`UPDATE auth_email_link SET used_at = epoch_ms($at::BIGINT) WHERE id = $id`, { id: splitToken(token)!.id, at: now() });
  return userId;
}

async function findLink(conn: DuckDBConnection, token: string, purpose: LinkPurpose): Promise<string | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const [row] = await queryRows<{ user_id: string; secret_hash: string; expires_at: string }>(
    conn,
    `SELECT user_id, secret_hash, epoch_ms(expires_at) AS expires_at FROM auth_email_link WHERE id = $id AND purpose = $purpose AND used_at IS NULL`,
    { id: parts.id, purpose },
  );
  if (!row || !secretMatches(parts.secret, row.secret_hash) || Number(row.expires_at) <= now()) return null;
  return row.user_id;
}
