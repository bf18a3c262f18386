import { defineNotificationKinds } from '../community/notification-kinds.ts';

/** What followers of an innovation are told: its progress updates and its stage moves (the bell and the daily digest). */
export const badamiNotificationKinds = defineNotificationKinds({
  'badami.update_posted': { defaultChannel: 'digest' },
  'badami.stage_changed': { defaultChannel: 'digest' },
});
