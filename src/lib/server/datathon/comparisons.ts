import { can, type Actor } from '../auth/authorization.ts';
import { now } from '../clock.ts';
import { db } from '../db/store.ts';
import { datathonWrite } from './write.ts';
import { getEvent } from './events.ts';
import { eligibleSubmissions } from './judges.ts';
import { failure, type Outcome } from './outcome.ts';
import { nextPair, replay, seededRandom, type PairwiseState } from './pairwise.ts';
import { allows } from './phases.ts';
import { closed } from './teams.ts';

/** Pairwise judging (Crowd-BT): judges compare two submissions at a time; the store keeps only the comparisons. */

export async function pairwiseState(eventId: string): Promise<PairwiseState> {
  const items = await db().selectFrom('datathon_submission').select('id').where('event_id', '=', eventId).where('status', '=', 'submitted').execute();
  const rows = await db()
    .selectFrom('datathon_comparison')
    .select(['judge_id as judge', 'winner_id as winner', 'loser_id as loser', 'second_id as second'])
    .where('event_id', '=', eventId)
    .orderBy('id')
    .execute();
  return replay(items.map((i) => i.id), rows);
}

/** The pair this judge should compare now, or null when they have seen everything they may see. */
export async function pairFor(eventId: string, judgeId: string): Promise<[string, string] | null> {
  const eligible = (await eligibleSubmissions(eventId, judgeId)).map((s) => s.id);
  const state = await pairwiseState(eventId);
  const done = [...(state.seen.get(judgeId) ?? [])].length;
  return nextPair(state, judgeId, eligible, seededRandom(`${eventId}:${judgeId}:${done}`));
}

/** Records that the judge preferred `winner` of the pair (first, second). */
export async function compare(actor: Actor, eventId: string, pair: { first: string; second: string; winner: string }): Promise<Outcome> {
  const event = await getEvent(eventId);
  if (!event) return failure('not_found');
  if (!can(actor, 'datathon.judge', { event: eventId })) return failure('forbidden');
  if (!allows('judge', event.phase)) return closed(event);
  const { first, second, winner } = pair;
  if (first === second || (winner !== first && winner !== second)) return failure('invalid', 'winner');
  const eligible = new Set((await eligibleSubmissions(eventId, actor.id)).map((s) => s.id));
  if (!eligible.has(first) || !eligible.has(second)) return failure('conflict_of_interest');
  const loser = winner === first ? second : first;
  await datathonWrite((trx) =>
    trx.insertInto('datathon_comparison').values({ event_id: eventId, judge_id: actor.id, winner_id: winner, loser_id: loser, second_id: second, created_at: now() }).execute(),
  );
  return { ok: true };
}
