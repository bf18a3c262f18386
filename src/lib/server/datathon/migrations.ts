import type { Generated } from 'kysely';
import type { Migration } from '../db/migrate.ts';

/**
 * The datathon's tables. Times are epoch milliseconds (clock.ts); lists of dataset ids and challenge ids are JSON
 * text. Votes, scores and comparisons are rows, counted by aggregation, never counters that concurrent writers
 * would have to update.
 */
export const datathonMigrations: Migration[] = [
  {
    id: '20261203.01-datathon-events-teams-submissions',
    async up(db, kit) {
      await db.schema
        .createTable('datathon_event')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('rules', 'text', (c) => c.notNull())
        .addColumn('prizes', 'text', (c) => c.notNull())
        .addColumn('cover_url', 'text')
        .addColumn('team_size_max', 'integer', (c) => c.notNull())
        .addColumn('vote_limit', 'integer', (c) => c.notNull())
        .addColumn('ranking_method', 'text', (c) => c.notNull())
        // the five phases, each from its start to the next phase's start; results has no end
        .addColumn('registration_at', 'bigint', (c) => c.notNull())
        .addColumn('submission_at', 'bigint', (c) => c.notNull())
        .addColumn('voting_at', 'bigint', (c) => c.notNull())
        .addColumn('judging_at', 'bigint', (c) => c.notNull())
        .addColumn('results_at', 'bigint', (c) => c.notNull())
        .addColumn('results_published_at', 'bigint')
        .addColumn('demo', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('created_by', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('datathon_organiser')
        .addColumn('event_id', 'text', (c) => c.notNull().references('datathon_event.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addPrimaryKeyConstraint('datathon_organiser_pk', ['event_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('datathon_challenge')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull().references('datathon_event.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('problem', 'text', (c) => c.notNull())
        .addColumn('opd', 'text', (c) => c.notNull())
        .addColumn('datasets', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('datathon_team')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull().references('datathon_event.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('leader_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('invite_code', 'text', (c) => c.notNull().unique())
        .addColumn('invite_expires_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('datathon_team_name', ['event_id', 'name'])
        .execute();
      await db.schema
        .createTable('datathon_member')
        .addColumn('team_id', 'text', (c) => c.notNull().references('datathon_team.id'))
        .addColumn('event_id', 'text', (c) => c.notNull().references('datathon_event.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('joined_at', 'bigint', (c) => c.notNull())
        // one team per person per event, held by the database itself
        .addPrimaryKeyConstraint('datathon_member_pk', ['event_id', 'user_id'])
        .execute();
      await db.schema.createIndex('datathon_member_team').on('datathon_member').column('team_id').execute();
      await db.schema
        .createTable('datathon_submission')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull().references('datathon_event.id'))
        .addColumn('team_id', 'text', (c) => c.notNull().unique().references('datathon_team.id'))
        .addColumn('challenge_id', 'text', (c) => c.notNull().references('datathon_challenge.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('problem', 'text', (c) => c.notNull())
        .addColumn('solution', 'text', (c) => c.notNull())
        .addColumn('repo_url', 'text', (c) => c.notNull())
        .addColumn('demo_url', 'text', (c) => c.notNull())
        .addColumn('video_url', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('submitted_at', 'bigint')
        .execute();
      // the gallery: an event's submitted ideas, newest first
      await db.schema.createIndex('datathon_submission_event').on('datathon_submission').columns(['event_id', 'status', 'submitted_at']).execute();
      await db.schema
        .createTable('datathon_submission_dataset')
        .addColumn('submission_id', 'text', (c) => c.notNull().references('datathon_submission.id'))
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('datathon_submission_dataset_pk', ['submission_id', 'dataset_id'])
        .execute();
      await db.schema.createIndex('datathon_submission_dataset_by_dataset').on('datathon_submission_dataset').column('dataset_id').execute();
      await db.schema
        .createTable('datathon_revision')
        .$call(kit.autoId)
        .addColumn('submission_id', 'text', (c) => c.notNull().references('datathon_submission.id'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('author_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addUniqueConstraint('datathon_revision_once', ['submission_id', 'revision'])
        .execute();
    },
  },
  {
    id: '20261203.02-datathon-votes-judging-results',
    async up(db, kit) {
      await db.schema
        .createTable('datathon_voter')
        .addColumn('event_id', 'text', (c) => c.notNull().references('datathon_event.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addPrimaryKeyConstraint('datathon_voter_pk', ['event_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('datathon_vote')
        .$call(kit.autoId)
        .addColumn('event_id', 'text', (c) => c.notNull().references('datathon_event.id'))
        .addColumn('submission_id', 'text', (c) => c.notNull().references('datathon_submission.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('datathon_vote_once', ['submission_id', 'user_id'])
        .execute();
      await db.schema.createIndex('datathon_vote_by_voter').on('datathon_vote').columns(['event_id', 'user_id']).execute();
      // counting an event's votes per idea reads this index alone
      await db.schema.createIndex('datathon_vote_by_event').on('datathon_vote').columns(['event_id', 'submission_id']).execute();
      await db.schema
        .createTable('datathon_judge')
        .addColumn('event_id', 'text', (c) => c.notNull().references('datathon_event.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('challenges', 'text')
        .addColumn('assigned_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('datathon_judge_pk', ['event_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('datathon_conflict')
        .addColumn('judge_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('submission_id', 'text', (c) => c.notNull().references('datathon_submission.id'))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('declared_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('datathon_conflict_pk', ['judge_id', 'submission_id'])
        .execute();
      await db.schema
        .createTable('datathon_criterion')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull().references('datathon_event.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('weight', 'integer', (c) => c.notNull())
        .addColumn('scale_max', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('datathon_score')
        .addColumn('judge_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('submission_id', 'text', (c) => c.notNull().references('datathon_submission.id'))
        .addColumn('criterion_id', 'text', (c) => c.notNull().references('datathon_criterion.id'))
        .addColumn('event_id', 'text', (c) => c.notNull().references('datathon_event.id'))
        .addColumn('score', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('datathon_score_pk', ['judge_id', 'submission_id', 'criterion_id'])
        .execute();
      await db.schema.createIndex('datathon_score_event').on('datathon_score').column('event_id').execute();
      await db.schema
        .createTable('datathon_review')
        .addColumn('judge_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('submission_id', 'text', (c) => c.notNull().references('datathon_submission.id'))
        .addColumn('private_note', 'text', (c) => c.notNull())
        .addColumn('public_feedback', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('datathon_review_pk', ['judge_id', 'submission_id'])
        .execute();
      await db.schema
        .createTable('datathon_comparison')
        .$call(kit.autoId)
        .addColumn('event_id', 'text', (c) => c.notNull().references('datathon_event.id'))
        .addColumn('judge_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('winner_id', 'text', (c) => c.notNull().references('datathon_submission.id'))
        .addColumn('loser_id', 'text', (c) => c.notNull().references('datathon_submission.id'))
        // the submission shown second, which the judge carries on with (Gavel's "next" becoming "prev")
        .addColumn('second_id', 'text', (c) => c.notNull().references('datathon_submission.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('datathon_comparison_event').on('datathon_comparison').columns(['event_id', 'id']).execute();
      await db.schema
        .createTable('datathon_award')
        .addColumn('event_id', 'text', (c) => c.notNull().references('datathon_event.id'))
        .addColumn('submission_id', 'text', (c) => c.notNull().references('datathon_submission.id'))
        .addColumn('award', 'text', (c) => c.notNull())
        .addColumn('rank', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('datathon_award_pk', ['event_id', 'submission_id'])
        .execute();
    },
  },
  {
    // The phase last announced to the event's teams and followers (phase-announcements.ts). Null until the job
    // first sees the event: it then records the current phase without announcing it, so events that existed
    // before this column tell nobody about a phase that began long ago. Plain ALTER TABLE, the same on both dialects.
    id: '20261205.01-datathon-announced-phase',
    async up(db) {
      await db.schema.alterTable('datathon_event').addColumn('announced_phase', 'text').execute();
    },
  },
];

export interface DatathonTables {
  datathon_event: {
    id: string;
    title: string;
    description: string;
    rules: string;
    prizes: string;
    cover_url: string | null;
    team_size_max: number;
    vote_limit: number;
    ranking_method: string;
    registration_at: number;
    submission_at: number;
    voting_at: number;
    judging_at: number;
    results_at: number;
    results_published_at: number | null;
    /** The phase last announced (phase-announcements.ts); null: not yet seen by the job. */
    announced_phase: string | null;
    demo: boolean;
    created_by: string;
    created_at: number;
  };
  datathon_organiser: { event_id: string; user_id: string };
  datathon_challenge: { id: string; event_id: string; title: string; problem: string; opd: string; datasets: string; position: number };
  datathon_team: { id: string; event_id: string; name: string; leader_id: string; invite_code: string; invite_expires_at: number; created_at: number };
  datathon_member: { team_id: string; event_id: string; user_id: string; joined_at: number };
  datathon_submission: {
    id: string;
    event_id: string;
    team_id: string;
    challenge_id: string;
    title: string;
    summary: string;
    problem: string;
    solution: string;
    repo_url: string;
    demo_url: string;
    video_url: string;
    status: string;
    revision: number;
    created_at: number;
    updated_at: number;
    submitted_at: number | null;
  };
  datathon_submission_dataset: { submission_id: string; dataset_id: string; version: string };
  datathon_revision: { id: Generated<number>; submission_id: string; revision: number; author_id: string; created_at: number; content: string };
  datathon_voter: { event_id: string; user_id: string };
  datathon_vote: { id: Generated<number>; event_id: string; submission_id: string; user_id: string; created_at: number };
  datathon_judge: { event_id: string; user_id: string; challenges: string | null; assigned_at: number };
  datathon_conflict: { judge_id: string; submission_id: string; reason: string; declared_at: number };
  datathon_criterion: { id: string; event_id: string; name: string; description: string; weight: number; scale_max: number; position: number };
  datathon_score: { judge_id: string; submission_id: string; criterion_id: string; event_id: string; score: number; updated_at: number };
  datathon_review: { judge_id: string; submission_id: string; private_note: string; public_feedback: string; updated_at: number };
  datathon_comparison: { id: Generated<number>; event_id: string; judge_id: string; winner_id: string; loser_id: string; second_id: string; created_at: number };
  datathon_award: { event_id: string; submission_id: string; award: string; rank: number };
}
