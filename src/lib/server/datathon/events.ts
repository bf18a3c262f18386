import { can, type Actor } from '../auth/authorization.ts';
import { getUserByEmail } from '../auth/user.ts';
import { now } from '../clock.ts';
import { db } from '../db/store.ts';
import { datathonWrite } from './write.ts';
import { answer, failure, refuse, type Outcome } from './outcome.ts';
import { phaseAt, scheduleProblem, type PhaseOrUpcoming, type PhaseSchedule } from './phases.ts';

/** Events: created by admins and officials, run by their organisers. */

export const RANKING_METHODS = ['weighted', 'zscore', 'crowdbt'] as const;
export type RankingMethod = (typeof RANKING_METHODS)[number];
export const EVENT_ID = /^[a-z0-9][a-z0-9-]{2,63}$/;

export interface EventInput extends PhaseSchedule {
  title: string;
  description: string;
  rules: string;
  prizes: string;
  cover_url: string | null;
  team_size_max: number;
  vote_limit: number;
  ranking_method: RankingMethod;
}

export interface EventView extends EventInput {
  id: string;
  demo: boolean;
  results_published_at: number | null;
  organisers: string[];
  /** The phase by the server's clock when the event was read. */
  phase: PhaseOrUpcoming;
}

export async function getEvent(id: string): Promise<EventView | null> {
  const row = await db().selectFrom('datathon_event').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const organisers = await db().selectFrom('datathon_organiser').select('user_id').where('event_id', '=', id).execute();
  return present(row, organisers.map((o) => o.user_id));
}

/** Every event, the running ones first, then upcoming, then finished (newest first within each). */
export async function listEvents(): Promise<EventView[]> {
  const rows = await db().selectFrom('datathon_event').selectAll().orderBy('registration_at', 'desc').execute();
  const organisers = await db().selectFrom('datathon_organiser').select(['event_id', 'user_id']).execute();
  const order = (e: EventView) => (e.phase === 'results' ? 2 : e.phase === 'upcoming' ? 1 : 0);
  return rows
    .map((row) => present(row, organisers.filter((o) => o.event_id === row.id).map((o) => o.user_id)))
    .sort((a, b) => order(a) - order(b));
}

/** The event a visitor should land on from the home page: one that is running, else the next, else the latest. */
export async function liveEvent(): Promise<EventView | null> {
  return (await listEvents())[0] ?? null;
}

export async function createEvent(actor: Actor, id: string, input: EventInput): Promise<Outcome<{ id: string }>> {
  if (!can(actor, 'datathon.organise', {})) return failure('forbidden');
  if (!EVENT_ID.test(id)) return failure('invalid', 'id');
  const problem = checkInput(input);
  if (problem) return problem;
  return answer(() =>
    datathonWrite(async (trx) => {
      const taken = await trx.selectFrom('datathon_event').select('id').where('id', '=', id).executeTakeFirst();
      if (taken) refuse('taken', 'id');
      await trx
        .insertInto('datathon_event')
        // The phase it starts in counts as announced: nobody is a member or follower yet to tell.
        .values({ id, ...pickInput(input), results_published_at: null, announced_phase: phaseAt(input, now()), demo: false, created_by: actor.id, created_at: now() })
        .execute();
      await trx.insertInto('datathon_organiser').values({ event_id: id, user_id: actor.id }).execute();
      return { id };
    }),
  );
}

export async function updateEvent(actor: Actor, id: string, input: EventInput): Promise<Outcome> {
  const event = await getEvent(id);
  if (!event) return failure('not_found');
  if (!can(actor, 'datathon.organise', { organisers: event.organisers })) return failure('forbidden');
  const problem = checkInput(input);
  if (problem) return problem;
  await datathonWrite((trx) => trx.updateTable('datathon_event').set(pickInput(input)).where('id', '=', id).execute());
  return { ok: true };
}

/** Adds an organiser by account e-mail; an organiser may add others. Looked up only after the check, so the answer
 * tells nobody else whether an address has an account. */
export async function addOrganiser(actor: Actor, eventId: string, email: string): Promise<Outcome> {
  const found = await accountForOrganiser(actor, eventId, email);
  if (!found.ok) return found;
  const { userId } = found;
  await datathonWrite((trx) =>
    trx.insertInto('datathon_organiser').values({ event_id: eventId, user_id: userId }).onConflict((oc) => oc.columns(['event_id', 'user_id']).doNothing()).execute(),
  );
  return { ok: true };
}

/**
 * The account an organiser names by e-mail (a new organiser, a judge): the event and the organiser check first,
 * the look-up only after them, so the answer tells nobody else whether an address has an account.
 */
export async function accountForOrganiser(actor: Actor, eventId: string, email: string): Promise<Outcome<{ userId: string }>> {
  const event = await getEvent(eventId);
  if (!event) return failure('not_found');
  if (!can(actor, 'datathon.organise', { organisers: event.organisers })) return failure('forbidden');
  const user = await getUserByEmail(email);
  if (!user || user.deleted) return failure('not_found', 'email');
  return { ok: true, userId: user.id };
}

const INPUT_KEYS = [
  'title', 'description', 'rules', 'prizes', 'cover_url', 'team_size_max', 'vote_limit', 'ranking_method',
  'registration_at', 'submission_at', 'voting_at', 'judging_at', 'results_at',
] as const satisfies readonly (keyof EventInput)[];

/** Only the editable columns, whatever else the caller's object carries (e.g. a whole EventView). */
function pickInput(input: EventInput): EventInput {
  return Object.fromEntries(INPUT_KEYS.map((k) => [k, input[k]])) as unknown as EventInput;
}

function checkInput(input: EventInput) {
  const order = scheduleProblem(input);
  if (order) return failure('schedule_order', `${order}_at`);
  if (input.cover_url && !/^https:\/\/|^\//.test(input.cover_url)) return failure('invalid', 'cover_url');
  return null;
}

type EventRow = Omit<EventView, 'organisers' | 'phase' | 'ranking_method'> & { ranking_method: string; created_by: string; created_at: number; announced_phase: string | null };

function present(row: EventRow, organisers: string[]): EventView {
  const { created_by: _c, created_at: _a, announced_phase: _p, ...rest } = row;
  return { ...rest, ranking_method: rest.ranking_method as RankingMethod, organisers, phase: phaseAt(row, now()) };
}
