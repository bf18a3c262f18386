import { createTransport, type Transporter } from 'nodemailer';
import { queryRows, withConnection } from '../db/database.ts';
import { now } from '../clock.ts';
import { env } from '../config/env.ts';

/**
 * Outgoing mail goes through the `mail_outbox` table, then is delivered: with SMTP_HOST set, through
 * nodemailer; without it, printed to the server log (so the embedded default works with no mail server).
 * A delivered message's body is cleared, so links do not linger in the database.
 *
 * Settings: SMTP_HOST, SMTP_PORT (587), SMTP_SECURE ("true" for implicit TLS, port 465), SMTP_USER,
 * SMTP_PASSWORD, MAIL_FROM ("Kota Terbuka <noreply@example.go.id>").
 */
export interface Mail {
  to: string;
  subject: string;
  body: string;
}

export async function enqueueMail(mail: Mail): Promise<void> {
  await withConnection((conn) =>
    conn.run(`INSERT INTO mail_outbox (to_address, subject, body, created_at) VALUES ($to, $subject, $body, epoch_ms($at::BIGINT))`, {
      to: mail.to,
      subject: mail.subject,
      body: mail.body,
      at: now(),
    }),
  );
  void deliverOutbox().catch((error) => console.error(`[mail] delivery failed: ${(error as Error).message}`));
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

async function deliveryPass(): Promise<void> {
  const pending = await withConnection((conn) =>
    queryRows<{ id: string; to_address: string; subject: string; body: string }>(
      conn,
      `SELECT id, to_address, subject, body FROM mail_outbox WHERE sent_at IS NULL AND attempts < 5 ORDER BY id LIMIT 50`,
    ),
  );
  const transport = smtp();
  for (const mail of pending) {
    try {
      if (transport) {
        await transport.sendMail({ from: env().MAIL_FROM, to: mail.to_address, subject: mail.subject, text: mail.body });
      } else {
        console.log(`[mail] (no SMTP_HOST: printed instead of sent)\nTo: ${mail.to_address}\nSubject: ${mail.subject}\n\n${mail.body}\n[/mail]`);
      }
      await withConnection((conn) =>
        conn.run(`UPDATE mail_outbox SET sent_at = epoch_ms($at::BIGINT), body = '', attempts = attempts + 1 WHERE id = $id`, { id: Number(mail.id), at: now() }),
      );
    } catch (error) {
      await withConnection((conn) =>
        conn.run(`UPDATE mail_outbox SET attempts = attempts + 1, last_error = $error WHERE id = $id`, { id: Number(mail.id), error: String((error as Error).message).slice(0, 500) }),
      );
    }
  }
}
