import { defineNotificationKinds } from '../community/notification-kinds.ts';

/** What the datathon tells people (messages `notify.<kind>` in i18n/messages/datathon.ts). */
export const datathonNotificationKinds = defineNotificationKinds({
  /** Someone joined your team through its invitation. */
  'datathon.team_join': { defaultChannel: 'app' },
  /** The organisers published the results of an event your team took part in. */
  'datathon.results': { defaultChannel: 'email' },
});
