import type { Migration } from '../db/migrate.ts';

/**
 * One row per scheduled run that a server claimed: every server of a fleet sees the same cron tick, and the
 * primary key lets exactly one of them insert the row and start the run.
 */
export const scheduleMigrations: Migration[] = [
  {
    id: '20261201.01-pipelines-schedule-claims',
    async up(db) {
      await db.schema
        .createTable('pipeline_schedule_claim')
        .addColumn('pipeline', 'text', (c) => c.notNull())
        .addColumn('due_at', 'bigint', (c) => c.notNull()) // the tick's scheduled time, epoch ms
        .addColumn('claimed_by', 'text', (c) => c.notNull()) // host:pid of the server that runs it
        .addColumn('claimed_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('pipeline_schedule_claim_pk', ['pipeline', 'due_at'])
        .execute();
    },
  },
];

export interface ScheduleTables {
  pipeline_schedule_claim: { pipeline: string; due_at: number; claimed_by: string; claimed_at: number };
}
