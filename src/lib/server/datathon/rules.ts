import { defineRules, hasRole, isAdmin, type Actor } from '../auth/rule-kit.ts';

/**
 * Who may do what in a datathon. Judges hold the `judge` role scoped to the event (granted when an organiser
 * assigns them); organisers are listed per event, and the resource carries that list so the rule stays a pure
 * function of the actor and the event.
 */
export const datathonRules = defineRules({
  /** Form a team, submit, vote: every account. */
  'datathon.participate': { scope: 'write:datathon', allow: () => true },
  /** Score the submissions of one event: its judges and admins. */
  'datathon.judge': { scope: 'write:datathon', allow: (a: Actor, r: { event: string }) => isAdmin(a) || hasRole(a, 'judge', r.event) },
  /**
   * Run an event (phases, challenges, rubric, judges, results, exports): admins and the event's organisers. Without
   * an event (creating a new one): admins and officials of any OPD.
   */
  'datathon.organise': {
    scope: 'write:datathon',
    allow: (a: Actor, r: { organisers?: readonly string[] }) => isAdmin(a) || (r.organisers === undefined ? hasRole(a, 'official') : r.organisers.includes(a.id)),
  },
  /** Hide or restore what people wrote in an event: admins and the event's organisers. */
  'datathon.moderate': { scope: 'write:datathon', allow: (a: Actor, r: { organisers: readonly string[] }) => isAdmin(a) || r.organisers.includes(a.id) },
  /**
   * Turn an awarded submission into a Badami innovation (incubation): admins and the event's organisers. The
   * resource is `winningSubmission(id)`'s result, which exists only for published awards.
   */
  'datathon.promote': { scope: 'write:datathon', allow: (a: Actor, r: { organisers: readonly string[]; award: string }) => isAdmin(a) || r.organisers.includes(a.id) },
});
