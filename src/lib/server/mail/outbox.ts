import { createTransport, type Transporter } from 'nodemailer';
import { afterCommit, db, transaction } from '../db/store.ts';
import { now } from '../clock.ts';
import { env } from '../config/env.ts';
import { composeTemplate, type MailTemplateName, type MailTemplateParams } from './templates.ts';

/**
 * Outgoing mail goes through the `mail_outbox` table, then is delivered: with SMTP_HOST set, through
 * nodemailer; without it, printed to the server log (so the embedded default works with no mail server).
 * A delivered message's body is cleared, so links do not linger in the database. Each delivery pass claims the
 * messages it sends for a minute, so the servers of a fleet never send one message twice.
 *
 * Settings: SMTP_HOST, SMTP_PORT (587), SMTP_SECURE ("true" for implicit TLS, port 465), SMTP_USER,
 * SMTP_PASSWORD, MAIL_FROM ("Kota Terbuka <noreply@example.go.id>").
 */
export interface Mail {
  to: string;
  subject: string;
  body: string;
}

const MAX_ATTEMPTS = 5;
const CLAIM_MS = 60_000;

/** Queues a written message (inside the caller's transaction, when there is one) and starts a delivery pass. */
export async function enqueueMail(mail: Mail): Promise<void> {
  await transaction((trx) => trx.insertInto('mail_outbox').values({ to_address: mail.to, subject: mail.subject, body: mail.body, created_at: now() }).execute());
  deliverSoon();
}

/**
 * Queues a message to be composed at delivery by a template of mail/templates.ts. The caller does the same work
 * whoever the recipient is — e.g. a password reset for an unknown address — and the template decides what to send.
 */
export async function enqueueTemplate<N extends MailTemplateName>(template: N, to: string, params: MailTemplateParams<N>): Promise<void> {
  await transaction((trx) =>
    trx.insertInto('mail_outbox').values({ to_address: to, subject: '', body: '', template, params: JSON.stringify(params), created_at: now() }).execute(),
  );
  deliverSoon();
}

/** Delivery starts once the caller's transaction has committed: a rolled-back action sends nothing. */
function deliverSoon(): void {
  afterCommit(() => void deliverOutbox().catch((error) => console.error(`[mail] delivery failed: ${(error as Error).message}`)));
}

let transporter: Transporter | undefined;
let queue: Promise<void> = Promise.resolve();

function smtp(): Transporter | null {
  const { SMTP_HOST: host, SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASSWORD } = env();
  if (!host) return null;
  transporter ??= createTransport({
    host,
    port: SMTP_PORT,
    secure: SMTP_SECURE,
    auth: SMTP_USER ? { user: SMTP_USER, pass: SMTP_PASSWORD ?? '' } : undefined,
  });
  return transporter;
}

/** Sends what is waiting (at most 5 tries per message). Passes run one after another, never two at once. */
export function deliverOutbox(): Promise<void> {
  queue = queue.then(deliveryPass, deliveryPass);
  return queue;
}

/** Takes up to 50 unsent, unclaimed messages for this pass; other servers skip them until the claim expires. */
async function claimPending() {
  return transaction(async (trx) => {
    const at = now();
    const pending = await trx
      .selectFrom('mail_outbox')
      .select(['id', 'to_address', 'subject', 'body', 'template', 'params'])
      .where('sent_at', 'is', null)
      .where('attempts', '<', MAX_ATTEMPTS)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)]))
      .orderBy('id')
      .limit(50)
      .forUpdate()
      .skipLocked()
      .execute();
    if (pending.length > 0) {
      await trx.updateTable('mail_outbox').set({ claimed_until: at + CLAIM_MS }).where('id', 'in', pending.map((m) => m.id)).execute();
    }
    return pending;
  });
}

async function deliveryPass(): Promise<void> {
  const transport = smtp();
  for (const row of await claimPending()) {
    try {
      const mail = row.template ? await composeTemplate(row.template, row.to_address, JSON.parse(row.params ?? '{}')) : { to: row.to_address, subject: row.subject, body: row.body };
      if (mail === null) {
        // Nothing to send (e.g. a reset for an address with no account): the request is forgotten.
        await transaction((trx) => trx.deleteFrom('mail_outbox').where('id', '=', row.id).execute());
        continue;
      }
      if (transport) {
        await transport.sendMail({ from: env().MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.body });
      } else {
        console.log(`[mail] (no SMTP_HOST: printed instead of sent)\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.body}\n[/mail]`);
      }
      await transaction((trx) =>
        trx
          .updateTable('mail_outbox')
          .set((eb) => ({ sent_at: now(), subject: mail.subject, body: '', params: null, claimed_until: null, attempts: eb('attempts', '+', 1) }))
          .where('id', '=', row.id)
          .execute(),
      );
    } catch (error) {
      await transaction((trx) =>
        trx
          .updateTable('mail_outbox')
          .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: String((error as Error).message).slice(0, 500), claimed_until: null }))
          .where('id', '=', row.id)
          .execute(),
      );
    }
  }
}

/** Messages not yet sent (the admin and the tests look at the queue). */
export async function pendingMail(): Promise<{ id: number; to: string; template: string | null; attempts: number }[]> {
  const rows = await db().selectFrom('mail_outbox').select(['id', 'to_address', 'template', 'attempts']).where('sent_at', 'is', null).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, to: r.to_address, template: r.template, attempts: r.attempts }));
}
