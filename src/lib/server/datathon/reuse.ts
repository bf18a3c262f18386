import { db } from '../db/store.ts';

/**
 * "Digunakan oleh" (reuses): the submitted ideas built on a dataset, for its page, and how many per dataset, for
 * the catalog. A read model of the datathon's tables; drafts are not shown.
 */
export interface Reuse {
  id: string;
  title: string;
  team: string;
  event_id: string;
  event_title: string;
  version: string;
}

export async function reusesOf(datasetId: string, limit = 50): Promise<Reuse[]> {
  return db()
    .selectFrom('datathon_submission_dataset as d')
    .innerJoin('datathon_submission as s', 's.id', 'd.submission_id')
    .innerJoin('datathon_team as t', 't.id', 's.team_id')
    .innerJoin('datathon_event as e', 'e.id', 's.event_id')
    .select(['s.id', 's.title', 't.name as team', 'e.id as event_id', 'e.title as event_title', 'd.version'])
    .where('d.dataset_id', '=', datasetId)
    .where('s.status', '=', 'submitted')
    .orderBy('s.submitted_at', 'desc')
    .limit(limit)
    .execute();
}

/** Submitted ideas per dataset id. */
export async function reuseCounts(): Promise<Map<string, number>> {
  const rows = await db()
    .selectFrom('datathon_submission_dataset as d')
    .innerJoin('datathon_submission as s', 's.id', 'd.submission_id')
    .select(['d.dataset_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('s.status', '=', 'submitted')
    .groupBy('d.dataset_id')
    .execute();
  return new Map(rows.map((r) => [r.dataset_id, Number(r.n)]));
}
