import type { Locale } from '../../i18n/index.ts';
import { now } from '../clock.ts';
import { deployment } from '../config/deployment.ts';
import { db, transaction } from '../db/store.ts';

/** Per-person facts the community module keeps: the language of their e-mails. */

export async function memberLocales(userIds: readonly string[]): Promise<Map<string, Locale>> {
  const found = new Map<string, Locale>();
  if (userIds.length === 0) return found;
  const rows = await db().selectFrom('community_member').select(['user_id', 'locale']).where('user_id', 'in', userIds).execute();
  for (const r of rows) if (r.locale === 'id' || r.locale === 'en') found.set(r.user_id, r.locale);
  return found;
}

export function defaultLocale(): Locale {
  return deployment().default_locale;
}

/** Remembers the language someone reads in (set when they save their notification settings). */
export async function setMemberLocale(userId: string, locale: Locale): Promise<void> {
  await transaction((trx) =>
    trx
      .insertInto('community_member')
      .values({ user_id: userId, locale, updated_at: now() })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ locale, updated_at: now() }))
      .execute(),
  );
}
