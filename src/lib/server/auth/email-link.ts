import { db, transaction } from '../db/store.ts';
import { now } from '../clock.ts';
import { hashSecret, randomId, secretMatches, splitToken } from './secret.ts';
import { EMAIL_LINK_TTL_MS } from './settings.ts';

/**
 * One-use links sent by e-mail (verify an address, reset a password): `<id>.<secret>` in the URL, the secret's
 * hash in the table, valid for two hours. Issuing a new link of a purpose voids the older ones.
 */
export type LinkPurpose = 'verify-email' | 'reset-password';

export async function issueEmailLink(userId: string, purpose: LinkPurpose, payload?: unknown): Promise<string> {
  const id = randomId();
  const secret = randomId(20);
  const at = now();
  await transaction(async (trx) => {
    await trx.deleteFrom('auth_email_link').where('user_id', '=', userId).where('purpose', '=', purpose).execute();
    await trx
      .insertInto('auth_email_link')
      .values({ id, user_id: userId, purpose, secret_hash: hashSecret(secret), expires_at: at + EMAIL_LINK_TTL_MS, payload: payload === undefined ? null : JSON.stringify(payload) })
      .execute();
  });
  return `${id}.${secret}`;
}

/** The user a valid, unused, unexpired link belongs to; does not use it up. */
export async function checkEmailLink(token: string, purpose: LinkPurpose): Promise<string | null> {
  return (await findLink(token, purpose, false))?.userId ?? null;
}

/**
 * Uses a link up (in the caller's transaction, when there is one); returns the user id, or null when it is not
 * valid. The row is locked first, so two uses of one link at once cannot both succeed.
 */
export async function consumeEmailLink(token: string, purpose: LinkPurpose): Promise<{ userId: string; payload: unknown } | null> {
  return transaction(async (trx) => {
    const found = await findLink(token, purpose, true);
    if (!found) return null;
    await trx.updateTable('auth_email_link').set({ used_at: now() }).where('id', '=', splitToken(token)!.id).execute();
    return found;
  });
}

async function findLink(token: string, purpose: LinkPurpose, forUpdate: boolean): Promise<{ userId: string; payload: unknown } | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const row = await db()
    .selectFrom('auth_email_link')
    .select(['user_id', 'secret_hash', 'expires_at', 'payload'])
    .where('id', '=', parts.id)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .$if(forUpdate, (q) => q.forUpdate())
    .executeTakeFirst();
  if (!row || !secretMatches(parts.secret, row.secret_hash) || Number(row.expires_at) <= now()) return null;
  return { userId: row.user_id, payload: row.payload === null ? null : JSON.parse(row.payload) };
}
