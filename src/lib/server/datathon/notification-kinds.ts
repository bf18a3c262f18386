import { defineNotificationKinds } from '../community/notification-kinds.ts';

/** What the datathon tells people (messages `notify.<kind>` in i18n/messages/datathon.ts). */
export const datathonNotificationKinds = defineNotificationKinds({
  /** Someone joined your team through its invitation. */
  'datathon.team_join': { defaultChannel: 'app' },
  /** The organisers published the results of an event your team took part in. */
  'datathon.results': { defaultChannel: 'email' },
  /** An event you follow or have a team in entered a new phase (phase-announcements.ts); one line per phase
   * (`notify.datathon.phase_change.<phase>`), in the daily digest unless the person chooses otherwise. */
  'datathon.phase_change': { defaultChannel: 'digest' },
});
