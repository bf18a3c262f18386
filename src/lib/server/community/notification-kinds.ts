/**
 * Notification kinds: what a person can be told about, and how by default. Each domain declares its kinds with
 * `defineNotificationKinds` in a small data-only module and adds them to NOTIFICATION_KINDS in registry.ts; every
 * kind needs the messages `notify.<kind>` (one line, with {actor} and {subject} and the kind's own parameters) and
 * `notify.<kind>.label` (its name on the settings page), in id and en.
 *
 * Channels, chosen per person per kind: off; app (the bell and the notifications page); email (the bell, and an
 * e-mail at once); digest (the bell, and one e-mail a day listing everything since the last one).
 */
export const CHANNELS = ['off', 'app', 'email', 'digest'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface NotificationKind {
  /** The channel for people who have not chosen one. */
  defaultChannel: Channel;
}

export function defineNotificationKinds<const T extends Record<string, NotificationKind>>(kinds: T): T {
  for (const name of Object.keys(kinds)) {
    if (!/^[a-z][a-z0-9-]*\.[a-z][a-z0-9_]*$/.test(name)) throw new Error(`notification kind "${name}": expected <domain>.<what>, e.g. datathon.team_invite`);
  }
  return kinds;
}

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

/** The community module's own kinds: what happens in discussions. */
export const communityNotificationKinds = defineNotificationKinds({
  /** Someone replied to your comment. */
  'community.comment_reply': { defaultChannel: 'email' },
  /** Someone commented on a subject you own (your submission, your OPD's innovation). */
  'community.comment_on_yours': { defaultChannel: 'digest' },
  /** A new comment on a subject you follow. */
  'community.comment_followed': { defaultChannel: 'digest' },
  /** A moderator hid your comment, or approved your held one. */
  'community.comment_hidden': { defaultChannel: 'email' },
  'community.comment_approved': { defaultChannel: 'app' },
  /** Your comment was marked as the official answer. */
  'community.comment_official': { defaultChannel: 'app' },
});
