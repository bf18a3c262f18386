import { can, type Actor } from '../auth/authorization.ts';
import { randomId } from '../auth/secret.ts';
import { db } from '../db/store.ts';
import { datathonWrite } from './write.ts';
import { getEvent } from './events.ts';
import { failure, type Outcome } from './outcome.ts';

/** The event's rubric: criteria with a description, a weight and a scale (1 to scale_max). */
export interface CriterionRow {
  id: string;
  name: string;
  description: string;
  weight: number;
  scale_max: number;
}

export async function listCriteria(eventId: string): Promise<CriterionRow[]> {
  return db().selectFrom('datathon_criterion').select(['id', 'name', 'description', 'weight', 'scale_max']).where('event_id', '=', eventId).orderBy('position').execute();
}

export async function addCriterion(actor: Actor, eventId: string, input: Omit<CriterionRow, 'id'>): Promise<Outcome<{ id: string }>> {
  const event = await getEvent(eventId);
  if (!event) return failure('not_found');
  if (!can(actor, 'datathon.organise', { organisers: event.organisers })) return failure('forbidden');
  if (!Number.isInteger(input.weight) || input.weight < 1 || input.weight > 100) return failure('invalid', 'weight', { min: 1, max: 100 });
  if (!Number.isInteger(input.scale_max) || input.scale_max < 2 || input.scale_max > 10) return failure('invalid', 'scale_max', { min: 2, max: 10 });
  const id = randomId(10);
  await datathonWrite(async (trx) => {
    const { n } = await trx.selectFrom('datathon_criterion').where('event_id', '=', eventId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await trx.insertInto('datathon_criterion').values({ id, event_id: eventId, position: Number(n), ...input }).execute();
  });
  return { ok: true, id };
}

/** The rubric most datathons use, for a new event: impact, use of open data, feasibility, innovation, presentation. */
export const DEFAULT_RUBRIC: Omit<CriterionRow, 'id'>[] = [
  { name: 'Dampak', description: 'Seberapa besar manfaatnya bagi warga Kota.', weight: 30, scale_max: 5 },
  { name: 'Pemanfaatan data terbuka', description: 'Seberapa baik ide memakai dataset portal.', weight: 25, scale_max: 5 },
  { name: 'Kelayakan', description: 'Bisakah ide ini dijalankan Pemkot dalam setahun?', weight: 20, scale_max: 5 },
  { name: 'Inovasi', description: 'Seberapa baru pendekatannya.', weight: 15, scale_max: 5 },
  { name: 'Presentasi', description: 'Kejelasan penjelasan dan demo.', weight: 10, scale_max: 5 },
];
