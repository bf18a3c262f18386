import type { Migration } from '../db/migrate.ts';

/**
 * The catalog index: a query-friendly copy of the lake and of the run records. Nothing here is the
 * source of truth (ARCHITECTURE invariant 4): sync.ts can rebuild every row from data/lake and
 * data/runs, so these tables may be dropped and recreated freely in later migrations.
 */
export const catalogMigrations: Migration[] = [
  {
    id: 'catalog-001-index',
    statements: [
      `CREATE TABLE catalog_datasets (
        id VARCHAR PRIMARY KEY,
        version VARCHAR NOT NULL,
        title VARCHAR NOT NULL,
        title_en VARCHAR,
        description VARCHAR NOT NULL,
        description_en VARCHAR,
        organization VARCHAR NOT NULL,
        classification VARCHAR NOT NULL,
        synthetic BOOLEAN NOT NULL,
        topics VARCHAR[] NOT NULL,
        tags VARCHAR[] NOT NULL,
        license VARCHAR NOT NULL,
        update_frequency VARCHAR,
        rows BIGINT NOT NULL,
        bytes BIGINT NOT NULL,
        published_at TIMESTAMPTZ NOT NULL,
        manifest JSON NOT NULL
      )`,
      `CREATE TABLE catalog_versions (
        dataset VARCHAR NOT NULL,
        version VARCHAR NOT NULL,
        published_at TIMESTAMPTZ NOT NULL,
        rows BIGINT NOT NULL,
        bytes BIGINT NOT NULL,
        sha256 VARCHAR NOT NULL,
        run_id VARCHAR,
        PRIMARY KEY (dataset, version)
      )`,
      `CREATE TABLE catalog_columns (
        dataset VARCHAR NOT NULL,
        position INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        title VARCHAR NOT NULL,
        title_en VARCHAR,
        description VARCHAR,
        unit VARCHAR,
        PRIMARY KEY (dataset, name)
      )`,
      `CREATE TABLE pipeline_runs (
        run_id VARCHAR PRIMARY KEY,
        dataset VARCHAR NOT NULL,
        trigger VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ NOT NULL,
        duration_ms BIGINT NOT NULL,
        rows BIGINT,
        version VARCHAR,
        error VARCHAR,
        record JSON NOT NULL
      )`,
      `CREATE INDEX pipeline_runs_dataset ON pipeline_runs (dataset)`,
    ],
  },
];
