import { defineRules, isAdmin, type Actor } from '../auth/rule-kit.ts';

/**
 * Who may take part in discussions. Commenting, flagging, following and uploading are open to every account; the
 * subject's own domain narrows them (a closed thread, a private draft) through the Subject it registers
 * (subjects.ts). Moderation and official answers are decided by the subject's domain: its Subject says who
 * moderates it and who answers for it, and platform admins moderate everything.
 *
 * None of these can be done with an API token (scope null): discussions are for people at the keyboard.
 */
export interface ModeratedResource {
  subject: { mayModerate(actor: Actor): boolean };
}
export interface AnsweredResource {
  subject: { mayAnswerOfficially?(actor: Actor): boolean };
}

export const communityRules = defineRules({
  /** Write comments (the subject may still be closed to them). */
  'community.comment': { scope: null, allow: () => true },
  /** Report a comment to the moderators. */
  'community.flag': { scope: null, allow: () => true },
  /** Follow a subject and receive notifications; manage one's own notifications. */
  'community.follow': { scope: null, allow: () => true },
  /** Attach a file (image or document) to a subject. */
  'community.upload': { scope: null, allow: () => true },
  /** Hide, restore, approve held comments, dismiss flags: the subject's moderators and admins. */
  'community.moderate': { scope: null, allow: (a: Actor, r: ModeratedResource) => isAdmin(a) || r.subject.mayModerate(a) },
  /** Mark an answer as the official one (e.g. an official of the challenge's OPD): the subject decides. */
  'community.answer_officially': { scope: null, allow: (a: Actor, r: AnsweredResource) => r.subject.mayAnswerOfficially?.(a) ?? false },
});
