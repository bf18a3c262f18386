import type { Locale } from '../../i18n/index.ts';
import { now } from '../clock.ts';
import { db, transaction } from '../db/store.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { defaultLocale, memberLocales, setMemberLocale } from './members.ts';
import { notificationMail, type NotificationFacts } from './messages.ts';
import { CHANNELS, type Channel } from './notification-kinds.ts';
import { NOTIFICATION_KINDS, type NotificationKindName } from './registry.ts';

/**
 * Notifications: a row per person per event (the bell, the notifications page), and, by each person's choice per
 * kind, an e-mail at once through the outbox or a line in the daily digest (digest.ts). `notify` runs inside the
 * caller's transaction, so a rolled-back action tells nobody; mail leaves only after the commit (the outbox).
 * Mail goes only to verified addresses: an unverified one may belong to someone else.
 */
export interface NotificationEvent {
  kind: NotificationKindName;
  /** What it is about: a loaded Subject, or its ref, title and url. */
  subject: { ref: string; title: string; url: string };
  /** Who caused it; never notified of their own doing. */
  actorId?: string | null;
  /** Values for the kind's message (plain text). */
  params?: Record<string, string | number>;
  /** Appended to the subject's url, e.g. `#comment-<id>`. */
  anchor?: string;
}

const INSERT_CHUNK = 500;

/** Tells each recipient (once, never the actor) by the channel they chose for this kind. Returns how many were told. */
export async function notify(recipientIds: Iterable<string>, event: NotificationEvent): Promise<number> {
  const kind = NOTIFICATION_KINDS[event.kind];
  if (!kind) throw new Error(`unknown notification kind "${event.kind}" (register it in community/registry.ts)`);
  const url = event.subject.url + (event.anchor ?? '');
  if (!url.startsWith('/') || url.startsWith('//')) throw new Error(`notification url must be a path on this site, found "${url}"`);
  const ids = [...new Set(recipientIds)].filter((id) => id !== event.actorId);
  if (ids.length === 0) return 0;
  return transaction(async (trx) => {
    const people = await trx
      .selectFrom('auth_user as u')
      .leftJoin('community_notification_setting as s', (join) => join.onRef('s.user_id', '=', 'u.id').on('s.kind', '=', event.kind))
      .select(['u.id', 'u.email', 'u.email_verified', 's.channel'])
      .where('u.id', 'in', ids)
      .where('u.deleted_at', 'is', null)
      .execute();
    const actor = event.actorId
      ? await trx.selectFrom('auth_user').select(['name', 'deleted_at']).where('id', '=', event.actorId).executeTakeFirst()
      : undefined;
    const locales = await memberLocales(people.map((p) => p.id));
    const at = now();
    const params = event.params ?? {};
    const told = people
      .map((p) => ({ ...p, channel: (CHANNELS as readonly string[]).includes(p.channel ?? '') ? (p.channel as Channel) : kind.defaultChannel }))
      .filter((p) => p.channel !== 'off');
    for (let i = 0; i < told.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('community_notification')
        .values(
          told.slice(i, i + INSERT_CHUNK).map((p) => ({
            user_id: p.id,
            kind: event.kind,
            subject: event.subject.ref,
            title: event.subject.title,
            url,
            actor_id: event.actorId ?? null,
            params: JSON.stringify(params),
            created_at: at,
            digest: p.channel === 'digest',
          })),
        )
        .execute();
    }
    const facts: NotificationFacts = {
      kind: event.kind,
      title: event.subject.title,
      url,
      actor: actor ? { name: actor.name, deleted: actor.deleted_at !== null } : null,
      params,
    };
    for (const p of told) {
      if (p.channel !== 'email' || !p.email || !p.email_verified) continue;
      await enqueueMail({ to: p.email, ...notificationMail(locales.get(p.id) ?? defaultLocale(), facts) });
    }
    return told.length;
  });
}

/** Tells everyone following the subject (except the actor and `except`, e.g. those already told as owners). */
export async function notifyFollowers(event: NotificationEvent, options: { except?: Iterable<string> } = {}): Promise<number> {
  const except = new Set(options.except ?? []);
  const followers = await db().selectFrom('community_follow').select('user_id').where('subject', '=', event.subject.ref).execute();
  return notify(
    followers.map((f) => f.user_id).filter((id) => !except.has(id)),
    event,
  );
}

export interface NotificationItem extends NotificationFacts {
  id: number;
  subject: string;
  createdAt: number;
  read: boolean;
}

export async function unreadCount(userId: string): Promise<number> {
  const { n } = await db()
    .selectFrom('community_notification')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Newest first, `limit` at a time; `beforeId` pages back. */
export async function listNotifications(userId: string, options: { limit?: number; beforeId?: number } = {}): Promise<NotificationItem[]> {
  const rows = await db()
    .selectFrom('community_notification as n')
    .leftJoin('auth_user as a', 'a.id', 'n.actor_id')
    .select(['n.id', 'n.kind', 'n.subject', 'n.title', 'n.url', 'n.params', 'n.created_at', 'n.read_at', 'n.actor_id', 'a.name as actor_name', 'a.deleted_at as actor_deleted_at'])
    .where('n.user_id', '=', userId)
    .$if(options.beforeId !== undefined, (q) => q.where('n.id', '<', options.beforeId!))
    .orderBy('n.id', 'desc')
    .limit(Math.min(200, options.limit ?? 50))
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    subject: r.subject,
    title: r.title,
    url: r.url,
    actor: r.actor_id ? { name: r.actor_name, deleted: r.actor_deleted_at !== null } : null,
    params: parseParams(r.params),
    createdAt: Number(r.created_at),
    read: r.read_at !== null,
  }));
}

export function parseParams(json: string): Record<string, string | number> {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string | number>) : {};
  } catch {
    return {};
  }
}

/** Marks the person's notifications read: the given ones, or all. Returns how many changed. */
export async function markRead(userId: string, ids?: readonly number[]): Promise<number> {
  if (ids && ids.length === 0) return 0;
  const result = await transaction((trx) =>
    trx
      .updateTable('community_notification')
      .set({ read_at: now() })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .$if(ids !== undefined, (q) => q.where('id', 'in', ids!))
      .executeTakeFirst(),
  );
  return Number(result.numUpdatedRows);
}

export interface KindSetting {
  kind: NotificationKindName;
  channel: Channel;
  defaultChannel: Channel;
}

/** Every registered kind with the person's channel for it (their choice, or the kind's default). */
export async function notificationSettings(userId: string): Promise<KindSetting[]> {
  const rows = await db().selectFrom('community_notification_setting').select(['kind', 'channel']).where('user_id', '=', userId).execute();
  const chosen = new Map(rows.map((r) => [r.kind, r.channel]));
  return (Object.entries(NOTIFICATION_KINDS) as [NotificationKindName, { defaultChannel: Channel }][]).map(([kind, k]) => {
    const channel = chosen.get(kind);
    return { kind, channel: (CHANNELS as readonly string[]).includes(channel ?? '') ? (channel as Channel) : k.defaultChannel, defaultChannel: k.defaultChannel };
  });
}

/** Saves the person's channel per kind (unknown kinds are ignored) and the language of their e-mails. */
export async function saveNotificationSettings(userId: string, choices: Partial<Record<string, Channel>>, locale: Locale): Promise<void> {
  await transaction(async (trx) => {
    for (const [kind, channel] of Object.entries(choices)) {
      if (!Object.hasOwn(NOTIFICATION_KINDS, kind) || !channel) continue;
      await trx
        .insertInto('community_notification_setting')
        .values({ user_id: userId, kind, channel })
        .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ channel }))
        .execute();
    }
    await setMemberLocale(userId, locale);
  });
}
