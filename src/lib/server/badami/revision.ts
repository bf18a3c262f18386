import type { Transaction } from 'kysely';
import { db } from '../db/store.ts';
import type { Database } from '../domains.ts';

/**
 * One counter that every Badami write raises inside its own transaction. Read models that are costly to build (the
 * board, the dashboards, the map) are kept only while it is unchanged, so they never show stale data: a write by
 * another server of a fleet, or by the CLI, raises it in the shared store and the next request rebuilds.
 */
export async function bumpRevision(trx: Transaction<Database>): Promise<void> {
  await trx
    .updateTable('badami_revision')
    .set((eb) => ({ n: eb('n', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}

export async function currentRevision(): Promise<number> {
  const row = await db().selectFrom('badami_revision').select('n').where('id', '=', 1).executeTakeFirst();
  return Number(row?.n ?? 0);
}
