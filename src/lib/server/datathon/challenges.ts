import { can, type Actor } from '../auth/authorization.ts';
import { randomId } from '../auth/secret.ts';
import { findOpd } from '../config/deployment.ts';
import { db } from '../db/store.ts';
import { datathonWrite } from './write.ts';
import { datasetList, openDatasets } from './datasets.ts';
import { getEvent } from './events.ts';
import { failure, type Outcome } from './outcome.ts';

/** Challenges: the problems an event poses, each owned by an OPD and suggesting datasets from the catalog. */

export interface ChallengeInput {
  title: string;
  problem: string;
  opd: string;
  datasets: string[];
}

export interface Challenge extends ChallengeInput {
  id: string;
  event_id: string;
  position: number;
}

export async function listChallenges(eventId: string): Promise<Challenge[]> {
  const rows = await db().selectFrom('datathon_challenge').selectAll().where('event_id', '=', eventId).orderBy('position').execute();
  return rows.map(present);
}

export async function getChallenge(id: string): Promise<Challenge | null> {
  const row = await db().selectFrom('datathon_challenge').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? present(row) : null;
}

export async function saveChallenge(actor: Actor, eventId: string, input: ChallengeInput, id?: string): Promise<Outcome<{ id: string }>> {
  const event = await getEvent(eventId);
  if (!event) return failure('not_found');
  if (!can(actor, 'datathon.organise', { organisers: event.organisers })) return failure('forbidden');
  if (!findOpd(input.opd)) return failure('invalid', 'opd', { value: input.opd });
  const { missing } = await openDatasets(input.datasets);
  if (missing.length > 0) return failure('unknown_dataset', 'datasets', { ids: missing.join(', ') });
  const values = { title: input.title, problem: input.problem, opd: input.opd, datasets: JSON.stringify([...new Set(input.datasets)]) };
  if (id) {
    const existing = await getChallenge(id);
    if (!existing || existing.event_id !== eventId) return failure('not_found');
    await datathonWrite((trx) => trx.updateTable('datathon_challenge').set(values).where('id', '=', id).execute());
    return { ok: true, id };
  }
  const newId = randomId(10);
  await datathonWrite(async (trx) => {
    const { n } = await trx.selectFrom('datathon_challenge').where('event_id', '=', eventId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await trx.insertInto('datathon_challenge').values({ id: newId, event_id: eventId, position: Number(n), ...values }).execute();
  });
  return { ok: true, id: newId };
}

function present(row: { id: string; event_id: string; title: string; problem: string; opd: string; datasets: string; position: number }): Challenge {
  return { ...row, datasets: datasetList(row.datasets) };
}
