import { t, type Locale } from '../../i18n/index.ts';
import { displayName } from '../auth/user.ts';
import { env } from '../config/env.ts';
import { deployment } from '../config/deployment.ts';

/**
 * Notification texts, in the page and in e-mails. Each kind's line is the message `notify.<kind>` with {actor},
 * {subject} and the kind's own parameters. Everything here is plain text: pages escape it, mails are text/plain.
 */
export interface NotificationFacts {
  kind: string;
  title: string;
  url: string;
  actor: { name: string | null; deleted: boolean } | null;
  params: Record<string, string | number>;
}

export function notificationText(locale: Locale, n: NotificationFacts): string {
  const actor = n.actor ? displayName({ name: n.actor.name ?? '', deleted: n.actor.deleted }, locale) : t(locale, 'community.notify.someone');
  return t(locale, messageKey(locale, n), { ...n.params, actor, subject: n.title });
}

/**
 * A kind whose line differs by case (the datathon's phase change: one sentence per phase, each translated) names
 * the case in the parameter `variant`; `notify.<kind>.<variant>` is used when that message exists.
 */
function messageKey(locale: Locale, n: NotificationFacts): string {
  const variant = n.params.variant;
  if (typeof variant === 'string' && /^[a-z][a-z0-9_]*$/.test(variant) && variant !== 'label') {
    const key = `notify.${n.kind}.${variant}`;
    if (t(locale, key) !== key) return key;
  }
  return `notify.${n.kind}`;
}

/**
 * Links in e-mails come from the configured portal_url, never from a request's Host header (a mail may be
 * composed by the digest job with no request at all); without one, the local server (the embedded demo).
 */
export function portalOrigin(): string {
  const configured = deployment().city.portal_url;
  return configured ? new URL(configured).origin : `http://localhost:${env().PORT}`;
}

function footer(locale: Locale, origin: string): string {
  return `\n\n-- \n${t(locale, 'community.mail.footer', { portal: deployment().city.portal_name })}\n${origin}/notifications/settings`;
}

/** One notification as an e-mail. */
export function notificationMail(locale: Locale, n: NotificationFacts): { subject: string; body: string } {
  const origin = portalOrigin();
  const text = notificationText(locale, n);
  return {
    subject: `[${deployment().city.portal_name}] ${oneLine(text, 150)}`,
    body: `${text}\n\n${origin}${n.url}${footer(locale, origin)}`,
  };
}

const DIGEST_LINES = 50;

/** The daily digest: everything since the last one, newest last, at most 50 lines and how many more. */
export function digestMail(locale: Locale, items: readonly NotificationFacts[]): { subject: string; body: string } {
  const origin = portalOrigin();
  const lines = items.slice(0, DIGEST_LINES).map((n) => `- ${notificationText(locale, n)}\n  ${origin}${n.url}`);
  if (items.length > DIGEST_LINES) lines.push(t(locale, 'community.digest.more', { n: items.length - DIGEST_LINES }));
  return {
    subject: `[${deployment().city.portal_name}] ${t(locale, 'community.digest.subject', { n: items.length })}`,
    body: `${t(locale, 'community.digest.intro', { n: items.length })}\n\n${lines.join('\n')}\n\n${t(locale, 'community.digest.all')}\n${origin}/notifications${footer(locale, origin)}`,
  };
}

/** Mail headers must be one line: control characters (a title with a newline) are turned into spaces. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
