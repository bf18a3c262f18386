import { Cron } from 'croner';
import { now } from '../clock.ts';
import { deployment } from '../config/deployment.ts';
import { db, transaction } from '../db/store.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { defaultLocale, memberLocales } from './members.ts';
import { digestMail } from './messages.ts';
import { parseParams } from './notifications.ts';

/**
 * The daily digest: one e-mail per person listing the notifications they chose to get "daily" since the last
 * digest, instead of one message per event. Run once a day by the server (community.digest_time in
 * kota.config.yaml, Asia/Jakarta) and by `npm run community -- digest`. Each person is claimed in their own
 * transaction with their rows locked, so two servers of a fleet running it at once send one digest, not two.
 */
export interface DigestReport {
  /** People who were sent a digest. */
  mailed: number;
  /** Notifications it covered (including those of people without a verified address, marked done unsent). */
  notifications: number;
}

export async function sendDigests(options: { at?: number } = {}): Promise<DigestReport> {
  const at = options.at ?? now();
  const pending = await db()
    .selectFrom('community_notification')
    .select('user_id')
    .distinct()
    .where('digest', '=', true)
    .where('digest_sent_at', 'is', null)
    .where('created_at', '<=', at)
    .execute();
  const report: DigestReport = { mailed: 0, notifications: 0 };
  const locales = await memberLocales(pending.map((p) => p.user_id));
  for (const { user_id: userId } of pending) {
    const sent = await digestFor(userId, at, locales.get(userId) ?? defaultLocale());
    report.notifications += sent.notifications;
    if (sent.mailed) report.mailed++;
  }
  return report;
}

/** At most this many notifications per digest (bound parameters); the rest go in the next one. */
const DIGEST_ROWS = 2000;

async function digestFor(userId: string, at: number, locale: 'id' | 'en'): Promise<{ mailed: boolean; notifications: number }> {
  return transaction(async (trx) => {
    // Lock this person's pending rows first (a second server waits here, then finds them sent).
    const locked = await trx
      .selectFrom('community_notification')
      .select('id')
      .where('user_id', '=', userId)
      .where('digest', '=', true)
      .where('digest_sent_at', 'is', null)
      .where('created_at', '<=', at)
      .orderBy('id')
      .limit(DIGEST_ROWS)
      .forUpdate()
      .execute();
    if (locked.length === 0) return { mailed: false, notifications: 0 };
    const rows = await trx
      .selectFrom('community_notification as n')
      .leftJoin('auth_user as a', 'a.id', 'n.actor_id')
      .select(['n.id', 'n.kind', 'n.title', 'n.url', 'n.params', 'n.actor_id', 'a.name as actor_name', 'a.deleted_at as actor_deleted_at'])
      .where('n.id', 'in', locked.map((r) => r.id))
      .orderBy('n.id')
      .execute();
    await trx
      .updateTable('community_notification')
      .set({ digest_sent_at: at })
      .where('id', 'in', rows.map((r) => r.id))
      .execute();
    const person = await trx.selectFrom('auth_user').select(['email', 'email_verified', 'deleted_at']).where('id', '=', userId).executeTakeFirst();
    if (!person?.email || !person.email_verified || person.deleted_at !== null) return { mailed: false, notifications: rows.length };
    const items = rows.map((r) => ({
      kind: r.kind,
      title: r.title,
      url: r.url,
      actor: r.actor_id ? { name: r.actor_name, deleted: r.actor_deleted_at !== null } : null,
      params: parseParams(r.params),
    }));
    await enqueueMail({ to: person.email, ...digestMail(locale, items) });
    return { mailed: true, notifications: rows.length };
  });
}

let job: Cron | undefined;

/** Schedules the daily digest in this server process (once; a second call replaces the first). */
export function startDigestSchedule(): void {
  job?.stop();
  const [hour, minute] = deployment().community.digest_time.split(':').map(Number);
  job = new Cron(`${minute} ${hour} * * *`, { timezone: 'Asia/Jakarta', protect: true }, async () => {
    try {
      const report = await sendDigests();
      if (report.mailed > 0) console.info(`[community] daily digest: ${report.mailed} e-mail(s), ${report.notifications} notification(s)`);
    } catch (error) {
      console.error(`[community] daily digest failed: ${(error as Error).message}`);
    }
  });
}

export function stopDigestSchedule(): void {
  job?.stop();
  job = undefined;
}
