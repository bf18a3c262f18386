import { hostname } from 'node:os';
import { now } from '../clock.ts';
import { transaction } from '../db/store.ts';

/**
 * Scheduled runs happen once across a fleet: each server's scheduler sees the same cron tick and tries to insert
 * the row (pipeline, due time); the primary key lets exactly one succeed, on SQLite and PostgreSQL alike, with no
 * lock held while the run lasts. Claims older than a week are pruned by later claims.
 */
const KEEP_MS = 7 * 24 * 3600 * 1000;

export async function claimScheduledRun(pipeline: string, dueAt: Date): Promise<boolean> {
  const at = now();
  return transaction(async (trx) => {
    const inserted = await trx
      .insertInto('pipeline_schedule_claim')
      .values({ pipeline, due_at: dueAt.getTime(), claimed_by: `${hostname()}:${process.pid}`, claimed_at: at })
      .onConflict((oc) => oc.columns(['pipeline', 'due_at']).doNothing())
      .executeTakeFirst();
    await trx.deleteFrom('pipeline_schedule_claim').where('pipeline', '=', pipeline).where('due_at', '<', at - KEEP_MS).execute();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  });
}
