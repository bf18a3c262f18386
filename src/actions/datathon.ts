import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { audit } from '../lib/server/audit/audit.ts';
import { saveChallenge } from '../lib/server/datathon/challenges.ts';
import { compare } from '../lib/server/datathon/comparisons.ts';
import { addCriterion } from '../lib/server/datathon/criteria.ts';
import { addOrganiser, createEvent, EVENT_ID, RANKING_METHODS, updateEvent } from '../lib/server/datathon/events.ts';
import { announcePhaseChanges } from '../lib/server/datathon/phase-announcements.ts';
import { assignJudge, declareConflict } from '../lib/server/datathon/judges.ts';
import { AWARDS, publishResults } from '../lib/server/datathon/results.ts';
import { scoreSubmission } from '../lib/server/datathon/scores.ts';
import { saveSubmission, setSubmitted } from '../lib/server/datathon/submissions.ts';
import { createTeam, joinTeam, leaveTeam, renewInvite, transferLeadership } from '../lib/server/datathon/teams.ts';
import { castVote, withdrawVote } from '../lib/server/datathon/votes.ts';
import { list, settle, wibDate } from './datathon-outcome.ts';
import { authorize } from './guard.ts';

/**
 * The datathon's forms. Each handler authorises the account (`datathon.participate` here; the domain function
 * checks the narrower rule — organise, judge — against the event it loads) and returns the domain's answer or an
 * ActionError in the reader's language.
 */
const id = z.string().trim().min(1).max(64);
const text = (max: number) => z.string().trim().max(max);
// Astro hands an empty form field over as null: optional text becomes '' again
const optional = (max: number) => z.string().trim().max(max).nullish().transform((v) => v ?? '');
const event = z.object({
  title: text(200).min(3),
  description: optional(20_000),
  rules: optional(20_000),
  prizes: optional(5_000),
  cover_url: optional(500).transform((v) => v || null),
  team_size_max: z.coerce.number().int().min(1).max(20),
  vote_limit: z.coerce.number().int().min(1).max(100),
  ranking_method: z.enum(RANKING_METHODS),
  registration_at: wibDate,
  submission_at: wibDate,
  voting_at: wibDate,
  judging_at: wibDate,
  results_at: wibDate,
});
const url = optional(500);

export const datathon = {
  createEvent: defineAction({
    accept: 'form',
    input: event.extend({ id: z.string().trim().regex(EVENT_ID) }),
    handler: async ({ id: eventId, ...input }, context) => {
      const user = authorize(context, 'datathon.participate');
      const created = settle(context, await createEvent(user, eventId, input));
      await audit('datathon.event.create', { actorId: user.id, subjectId: eventId, ip: context.clientAddress });
      return created;
    },
  }),
  updateEvent: defineAction({
    accept: 'form',
    input: event.extend({ event: id }),
    handler: async ({ event: eventId, ...input }, context) => {
      const user = authorize(context, 'datathon.participate');
      const updated = settle(context, await updateEvent(user, eventId, input));
      await audit('datathon.event.update', { actorId: user.id, subjectId: eventId, ip: context.clientAddress });
      // New dates may have moved the event to another phase: tell its teams and followers now, not at the next minute.
      // The dates are saved whatever happens here; a failed announcement is tried again by the minute's run.
      await announcePhaseChanges({ eventId }).catch((error) => console.error(`[datathon] phase announcement of ${eventId} failed: ${(error as Error).message}`));
      return updated;
    },
  }),
  addOrganiser: defineAction({
    accept: 'form',
    input: z.object({ event: id, email: z.string().trim().max(320) }),
    handler: async (input, context) => {
      return settle(context, await addOrganiser(authorize(context, 'datathon.participate'), input.event, input.email));
    },
  }),
  saveChallenge: defineAction({
    accept: 'form',
    input: z.object({ event: id, challenge: id.optional(), title: text(200).min(3), problem: text(20_000).min(10), opd: id, datasets: list }),
    handler: async ({ event: eventId, challenge, ...input }, context) => {
      const user = authorize(context, 'datathon.participate');
      return settle(context, await saveChallenge(user, eventId, input, challenge));
    },
  }),
  addCriterion: defineAction({
    accept: 'form',
    input: z.object({ event: id, name: text(100).min(2), description: optional(1_000), weight: z.coerce.number().int(), scale_max: z.coerce.number().int() }),
    handler: async ({ event: eventId, ...input }, context) => {
      const user = authorize(context, 'datathon.participate');
      return settle(context, await addCriterion(user, eventId, input));
    },
  }),
  assignJudge: defineAction({
    accept: 'form',
    input: z.object({ event: id, email: z.string().trim().max(320), challenges: list }),
    handler: async (input, context) => {
      const user = authorize(context, 'datathon.participate');
      const assigned = settle(context, await assignJudge(user, input.event, input.email, input.challenges.length ? input.challenges : null));
      await audit('datathon.judge.assign', { actorId: user.id, subjectId: assigned.userId, ip: context.clientAddress, detail: input.event });
      return assigned;
    },
  }),
  createTeam: defineAction({
    accept: 'form',
    input: z.object({ event: id, name: text(80).min(2) }),
    handler: async (input, context) => settle(context, await createTeam(authorize(context, 'datathon.participate'), input.event, input.name)),
  }),
  joinTeam: defineAction({
    accept: 'form',
    input: z.object({ code: text(64).min(1) }),
    handler: async (input, context) => settle(context, await joinTeam(authorize(context, 'datathon.participate'), input.code)),
  }),
  renewInvite: defineAction({
    accept: 'form',
    input: z.object({ team: id }),
    handler: async (input, context) => settle(context, await renewInvite(authorize(context, 'datathon.participate'), input.team)),
  }),
  transferLeadership: defineAction({
    accept: 'form',
    input: z.object({ team: id, userId: id }),
    handler: async (input, context) => settle(context, await transferLeadership(authorize(context, 'datathon.participate'), input.team, input.userId)),
  }),
  leaveTeam: defineAction({
    accept: 'form',
    input: z.object({ team: id }),
    handler: async (input, context) => settle(context, await leaveTeam(authorize(context, 'datathon.participate'), input.team)),
  }),
  saveSubmission: defineAction({
    accept: 'form',
    input: z.object({
      event: id,
      challenge_id: id,
      title: text(200).min(3),
      summary: optional(1_000),
      problem: optional(20_000),
      solution: optional(50_000),
      repo_url: url,
      demo_url: url,
      video_url: url,
      datasets: list,
    }),
    handler: async ({ event: eventId, ...input }, context) => settle(context, await saveSubmission(authorize(context, 'datathon.participate'), eventId, input)),
  }),
  setSubmitted: defineAction({
    accept: 'form',
    input: z.object({ submission: id, submitted: z.enum(['true', 'false']) }),
    handler: async (input, context) => settle(context, await setSubmitted(authorize(context, 'datathon.participate'), input.submission, input.submitted === 'true')),
  }),
  vote: defineAction({
    accept: 'form',
    input: z.object({ submission: id }),
    handler: async (input, context) => settle(context, await castVote(authorize(context, 'datathon.participate'), input.submission)),
  }),
  withdrawVote: defineAction({
    accept: 'form',
    input: z.object({ submission: id }),
    handler: async (input, context) => settle(context, await withdrawVote(authorize(context, 'datathon.participate'), input.submission)),
  }),
  declareConflict: defineAction({
    accept: 'form',
    input: z.object({ submission: id, reason: text(500).min(3) }),
    handler: async (input, context) => settle(context, await declareConflict(authorize(context, 'datathon.participate'), input.submission, input.reason)),
  }),
  score: defineAction({
    accept: 'form',
    // criterion scores arrive as score-<criterion id> fields
    input: z.object({ submission: id, private_note: optional(5_000), public_feedback: optional(5_000) }).catchall(z.string().max(10)),
    handler: async ({ submission, private_note, public_feedback, ...rest }, context) => {
      const scores = Object.fromEntries(
        Object.entries(rest)
          .filter(([k]) => k.startsWith('score-'))
          .map(([k, v]) => [k.slice(6), /^\d+$/.test(String(v)) ? Number(v) : Number.NaN]),
      );
      return settle(context, await scoreSubmission(authorize(context, 'datathon.participate'), submission, { scores, privateNote: private_note, publicFeedback: public_feedback }));
    },
  }),
  compare: defineAction({
    accept: 'form',
    input: z.object({ event: id, first: id, second: id, winner: id }),
    handler: async ({ event: eventId, ...pair }, context) => settle(context, await compare(authorize(context, 'datathon.participate'), eventId, pair)),
  }),
  publishResults: defineAction({
    accept: 'form',
    // award-<submission id> = winner | honourable | none, in the leaderboard's order
    input: z.object({ event: id }).catchall(z.string().max(20)),
    handler: async ({ event: eventId, ...rest }, context) => {
      const awards = Object.entries(rest)
        .filter(([k, v]) => k.startsWith('award-') && (AWARDS as readonly string[]).includes(String(v)))
        .map(([k, v]) => ({ submission: k.slice(6), award: v as (typeof AWARDS)[number] }));
      return settle(context, await publishResults(authorize(context, 'datathon.participate'), eventId, awards));
    },
  }),
};
