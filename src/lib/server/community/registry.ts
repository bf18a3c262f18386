import { datathonNotificationKinds } from '../datathon/notification-kinds.ts';
import { badamiNotificationKinds } from '../badami/notification-kinds.ts';
import { communityNotificationKinds } from './notification-kinds.ts';
import type { SubjectType } from './subjects.ts';

/**
 * The one list a domain edits to take part in discussions (docs/community.md):
 *
 * - SUBJECT_TYPES: `type → loader of its SubjectType`, imported lazily, so the domain's subject module may import
 *   the community functions it needs (postComment, notify…) without an import cycle;
 * - NOTIFICATION_KINDS: the kinds each domain sends, with their default channel (pure data, see
 *   notification-kinds.ts); their messages live in the domain's messages file as `notify.<kind>` and
 *   `notify.<kind>.label`.
 */
export const SUBJECT_TYPES: Record<string, () => Promise<SubjectType>> = {
  dataset: async () => (await import('./dataset-subject.ts')).datasetSubjects,
  submission: async () => (await import('../datathon/subjects.ts')).submissionSubjects,
  challenge: async () => (await import('../datathon/subjects.ts')).challengeSubjects,
  'datathon-event': async () => (await import('../datathon/subjects.ts')).eventSubjects,
  innovation: async () => (await import('../badami/subjects.ts')).innovationSubjects,
};

export const NOTIFICATION_KINDS = {
  ...communityNotificationKinds,
  ...datathonNotificationKinds,
  ...badamiNotificationKinds,
};

export type NotificationKindName = keyof typeof NOTIFICATION_KINDS & string;
