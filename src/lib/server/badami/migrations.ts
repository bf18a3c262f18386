import type { Generated } from 'kysely';
import type { Migration } from '../db/migrate.ts';

/**
 * Badami's tables. An innovation is the profile the IID form asks for; its stage history, evidence, milestones, KPIs
 * with their measurements and its progress updates hang off it. Lists (contacts, SDGs, linked datasets) are JSON
 * text; what the board filters on (kecamatan, topics) has its own small tables. `badami_revision` is one counter that
 * every Badami write raises in its own transaction: pages keep their aggregates (board, dashboards) only while it is
 * unchanged, so a change by any server of a fleet or by the CLI shows at once (board.ts).
 *
 * KPI values are `double precision` (8-byte floats on both SQLite and PostgreSQL): a KPI measures minutes, percent,
 * tonnes, not only counts.
 */
export const badamiMigrations: Migration[] = [
  {
    id: '20261204.01-badami-innovations',
    async up(db, kit) {
      await db.schema
        .createTable('badami_innovation')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('opd', 'text', (c) => c.notNull()) // owning OPD, a code of kota.config.yaml
        .addColumn('initiator', 'text', (c) => c.notNull())
        .addColumn('innovation_type', 'text', (c) => c.notNull())
        .addColumn('form', 'text', (c) => c.notNull())
        .addColumn('affair', 'text', (c) => c.notNull())
        .addColumn('design', 'text', (c) => c.notNull()) // rancang bangun, Markdown
        .addColumn('goals', 'text', (c) => c.notNull())
        .addColumn('benefits', 'text', (c) => c.notNull())
        .addColumn('results', 'text', (c) => c.notNull())
        .addColumn('budget', 'bigint') // rupiah
        .addColumn('start_date', 'text') // YYYY-MM-DD
        .addColumn('contacts', 'text', (c) => c.notNull()) // JSON [{name, role, email}]
        .addColumn('city_wide', 'boolean', (c) => c.notNull())
        .addColumn('origin_kind', 'text', (c) => c.notNull())
        .addColumn('origin_ref', 'text') // e.g. the datathon submission id
        .addColumn('origin_title', 'text')
        .addColumn('origin_url', 'text')
        .addColumn('origin_at', 'bigint')
        .addColumn('sdgs', 'text', (c) => c.notNull()) // JSON [numbers]
        .addColumn('datasets', 'text', (c) => c.notNull()) // JSON [dataset ids]
        .addColumn('parent_id', 'text', (c) => c.references('badami_innovation.id'))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('stage_since', 'bigint', (c) => c.notNull())
        .addColumn('stopped_reason', 'text')
        .addColumn('health_override', 'text')
        .addColumn('health_override_reason', 'text')
        .addColumn('health_override_by', 'text', (c) => c.references('auth_user.id'))
        .addColumn('health_override_at', 'bigint')
        .addColumn('last_update_at', 'bigint')
        .addColumn('demo', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('created_by', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('badami_innovation_opd').on('badami_innovation').columns(['opd', 'stage']).execute();
      await db.schema.createIndex('badami_innovation_parent').on('badami_innovation').column('parent_id').execute();
      await db.schema.createIndex('badami_innovation_origin').on('badami_innovation').columns(['origin_kind', 'origin_ref']).unique().execute();
      for (const [table, column] of [
        ['badami_innovation_area', 'code'],
        ['badami_innovation_topic', 'topic'],
      ] as const) {
        await db.schema
          .createTable(table)
          .addColumn('innovation_id', 'text', (c) => c.notNull().references('badami_innovation.id'))
          .addColumn(column, 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, ['innovation_id', column])
          .execute();
        await db.schema.createIndex(`${table}_${column}`).on(table).column(column).execute();
      }
      await db.schema
        .createTable('badami_transition')
        .$call(kit.autoId)
        .addColumn('innovation_id', 'text', (c) => c.notNull().references('badami_innovation.id'))
        .addColumn('from_stage', 'text') // null: the stage it was registered at
        .addColumn('to_stage', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull()) // start | forward | skip | back | stop | resume
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('actor_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('badami_transition_innovation').on('badami_transition').columns(['innovation_id', 'at']).execute();
      await db.schema.createIndex('badami_transition_at').on('badami_transition').column('at').execute();
      await db.schema
        .createTable('badami_update')
        .$call(kit.autoId)
        .addColumn('innovation_id', 'text', (c) => c.notNull().references('badami_innovation.id'))
        .addColumn('author_id', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull()) // Markdown as written
        .addColumn('body_html', 'text', (c) => c.notNull()) // its sanitised rendering (community/markdown.ts)
        .addColumn('posted_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('badami_update_innovation').on('badami_update').columns(['innovation_id', 'posted_at']).execute();
      await db.schema.createIndex('badami_update_posted').on('badami_update').column('posted_at').execute();
      await db.schema
        .createTable('badami_evidence')
        .$call(kit.autoId)
        .addColumn('innovation_id', 'text', (c) => c.notNull().references('badami_innovation.id'))
        .addColumn('transition_id', 'bigint', (c) => c.references('badami_transition.id'))
        .addColumn('update_id', 'bigint', (c) => c.references('badami_update.id'))
        .addColumn('indicator', 'text', (c) => c.notNull()) // an IID indicator (vocabulary.ts)
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('url', 'text') // a link, or null for a file
        .addColumn('upload_id', 'text') // a file in community/uploads (subject innovation:<id>)
        .addColumn('created_by', 'text', (c) => c.notNull().references('auth_user.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('badami_evidence_innovation').on('badami_evidence').columns(['innovation_id', 'created_at']).execute();
      await db.schema
        .createTable('badami_milestone')
        .$call(kit.autoId)
        .addColumn('innovation_id', 'text', (c) => c.notNull().references('badami_innovation.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull()) // the person or unit responsible, as written
        .addColumn('due_on', 'text', (c) => c.notNull())
        .addColumn('completed_on', 'text')
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('badami_milestone_innovation').on('badami_milestone').columns(['innovation_id', 'due_on']).execute();
      await db.schema.createIndex('badami_milestone_open').on('badami_milestone').columns(['completed_on', 'due_on']).execute();
      await db.schema
        .createTable('badami_kpi')
        .$call(kit.autoId)
        .addColumn('innovation_id', 'text', (c) => c.notNull().references('badami_innovation.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('baseline', 'double precision', (c) => c.notNull())
        .addColumn('target', 'double precision', (c) => c.notNull())
        .addColumn('target_on', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull()) // higher | lower
        .addColumn('dataset_id', 'text') // bound to a published dataset …
        .addColumn('query', 'text') // … by one SELECT run in the SQL sandbox
        .addColumn('binding_error', 'text') // why the last automatic measurement failed (null: it did not)
        .addColumn('binding_version', 'text') // the dataset version it was last run on
        .addColumn('binding_checked_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('badami_kpi_innovation').on('badami_kpi').column('innovation_id').execute();
      await db.schema.createIndex('badami_kpi_dataset').on('badami_kpi').column('dataset_id').execute();
      await db.schema
        .createTable('badami_measurement')
        .$call(kit.autoId)
        .addColumn('kpi_id', 'bigint', (c) => c.notNull().references('badami_kpi.id'))
        .addColumn('measured_on', 'text', (c) => c.notNull())
        .addColumn('value', 'double precision', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull()) // manual | csv | dataset
        .addColumn('dataset_id', 'text') // for source = dataset: the dataset …
        .addColumn('dataset_version', 'text') // … and the version it was computed on
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.references('auth_user.id')) // null: recorded by the server
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        // One automatic measurement per KPI and dataset version, however many servers notice the version.
        .addUniqueConstraint('badami_measurement_version', ['kpi_id', 'dataset_version'])
        .execute();
      await db.schema.createIndex('badami_measurement_kpi').on('badami_measurement').columns(['kpi_id', 'measured_on']).execute();
      await db.schema.createTable('badami_revision').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('n', 'bigint', (c) => c.notNull()).execute();
      await db.insertInto('badami_revision').values({ id: 1, n: 0 }).execute();
    },
  },
];

export interface BadamiTables {
  badami_innovation: InnovationRow;
  badami_innovation_area: { innovation_id: string; code: string };
  badami_innovation_topic: { innovation_id: string; topic: string };
  badami_transition: {
    id: Generated<number>;
    innovation_id: string;
    from_stage: string | null;
    to_stage: string;
    kind: string;
    note: string;
    reason: string | null;
    actor_id: string;
    at: number;
  };
  badami_update: { id: Generated<number>; innovation_id: string; author_id: string; title: string; body: string; body_html: string; posted_at: number };
  badami_evidence: {
    id: Generated<number>;
    innovation_id: string;
    transition_id: number | null;
    update_id: number | null;
    indicator: string;
    title: string;
    url: string | null;
    upload_id: string | null;
    created_by: string;
    created_at: number;
  };
  badami_milestone: {
    id: Generated<number>;
    innovation_id: string;
    title: string;
    owner: string;
    due_on: string;
    completed_on: string | null;
    note: string;
    created_at: number;
    updated_at: number;
  };
  badami_kpi: {
    id: Generated<number>;
    innovation_id: string;
    name: string;
    unit: string;
    baseline: number;
    target: number;
    target_on: string;
    direction: string;
    dataset_id: string | null;
    query: string | null;
    binding_error: string | null;
    binding_version: string | null;
    binding_checked_at: number | null;
    created_at: number;
    updated_at: number;
  };
  badami_measurement: {
    id: Generated<number>;
    kpi_id: number;
    measured_on: string;
    value: number;
    source: string;
    dataset_id: string | null;
    dataset_version: string | null;
    note: string;
    created_by: string | null;
    created_at: number;
  };
  badami_revision: { id: number; n: number };
}

export interface InnovationRow {
  id: string;
  title: string;
  summary: string;
  opd: string;
  initiator: string;
  innovation_type: string;
  form: string;
  affair: string;
  design: string;
  goals: string;
  benefits: string;
  results: string;
  budget: number | null;
  start_date: string | null;
  contacts: string;
  city_wide: boolean;
  origin_kind: string;
  origin_ref: string | null;
  origin_title: string | null;
  origin_url: string | null;
  origin_at: number | null;
  sdgs: string;
  datasets: string;
  parent_id: string | null;
  stage: string;
  stage_since: number;
  stopped_reason: string | null;
  health_override: string | null;
  health_override_reason: string | null;
  health_override_by: string | null;
  health_override_at: number | null;
  last_update_at: number | null;
  demo: boolean;
  created_by: string;
  created_at: number;
  updated_at: number;
}
