import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { catalogIndexPath } from '../config/paths.ts';
import { onShutdown } from '../shutdown.ts';

/**
 * The server's one DuckDB instance: the catalog index (DATA_DIR/catalog.duckdb, or KOTA_CATALOG_INDEX) and the
 * engine that reads the lake's Parquet for pages, rows, charts and downloads. The index is a pure cache of the
 * lake (ARCHITECTURE invariant 4): nothing people write is here (that is the app-state store, ../db/store.ts), so
 * a missing file, or one of another format, is simply rebuilt by the first sync. DuckDB lets one process write a
 * file, so each server of a fleet has its own.
 */
/** 3: the table cache moved out of this file into its own (query/table-cache.ts); a rebuild drops the old copies. */
export const CATALOG_INDEX_FORMAT = 3;

let ready: Promise<DuckDBInstance> | undefined;

export function catalogDb(): Promise<DuckDBInstance> {
  ready ??= openIndex(catalogIndexPath()).then(
    (instance) => {
      onShutdown('catalog index', async () => {
        // Written out now rather than replayed from the WAL at the next start. FORCE waits for a write still under
        // way (a download's cache, a table load) instead of failing and leaving the WAL behind (DuckDB ≥ 1.4).
        const last = await instance.connect();
        try {
          await last.run('FORCE CHECKPOINT');
        } finally {
          last.closeSync();
          instance.closeSync();
        }
      });
      return instance;
    },
    (error) => {
      ready = undefined;
      throw error;
    },
  );
  return ready;
}

async function openIndex(file: string): Promise<DuckDBInstance> {
  mkdirSync(path.dirname(file), { recursive: true });
  let instance = await open(file).catch((error: Error) => {
    if (error instanceof IndexInUseError) throw error;
    return null; // not a DuckDB file we can read: rebuilt below
  });
  if (!instance || (await formatOf(instance)) !== CATALOG_INDEX_FORMAT) {
    // An index from an older build, or a damaged one: throw it away, the sync rebuilds it from the lake.
    instance?.closeSync();
    for (const f of [file, `${file}.wal`]) rmSync(f, { force: true });
    instance = await open(file);
    await createSchema(instance);
  }
  return instance;
}

class IndexInUseError extends Error {}

function open(file: string): Promise<DuckDBInstance> {
  return DuckDBInstance.create(file, { threads: String(SMALL_QUERY_THREADS) }).catch((error: Error) => {
    if (/lock/i.test(error.message)) {
      throw new IndexInUseError(`${file} is in use by another process: each server needs its own catalog index (set KOTA_CATALOG_INDEX)\n(${error.message.split('\n')[0]})`);
    }
    throw error;
  });
}

async function formatOf(instance: DuckDBInstance): Promise<number | null> {
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll(`SELECT format FROM catalog_index_meta`);
    return Number(reader.getRowObjectsJson()[0]?.format ?? NaN) || null;
  } catch {
    return null;
  } finally {
    conn.closeSync();
  }
}

async function createSchema(instance: DuckDBInstance): Promise<void> {
  const conn = await instance.connect();
  try {
    await conn.run('BEGIN TRANSACTION');
    for (const statement of CATALOG_SCHEMA) await conn.run(statement);
    await conn.run(`INSERT INTO catalog_index_meta VALUES (${CATALOG_INDEX_FORMAT})`);
    await conn.run('COMMIT');
  } finally {
    conn.closeSync();
  }
}

/**
 * How many threads DuckDB gives one query. Most of the server's queries are small (a page, a total, a facet of a
 * filtered range, a catalog lookup) and come many at once: they are parallel across requests already, and splitting
 * each over two threads only adds hand-offs (measured on the uncached-filter bench, 2 cores: one thread took server
 * CPU per request from 7.0 to 5.6 ms for rows and 9.5 to 7.7 ms for facets). Bulk work (exports' COPY, loading
 * the table cache, version diffs) is one query that wants both cores: it runs under withBulkConnection, which raises
 * the instance to BULK_THREADS while any bulk work runs (DuckDB's `threads` is per instance, not per query).
 */
const SMALL_QUERY_THREADS = 1;
const BULK_THREADS = 2;
let bulkRunning = 0;
let threadSetting: Promise<void> = Promise.resolve();

/** Like withConnection, with DuckDB's threads raised for the duration (see SMALL_QUERY_THREADS). */
export async function withBulkConnection<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  bulkRunning++;
  await applyThreads();
  try {
    return await withConnection(work);
  } finally {
    bulkRunning--;
    void applyThreads();
  }
}

/** SETs run one after another, each reading the current count, so the last one always matches it. */
function applyThreads(): Promise<void> {
  threadSetting = threadSetting
    .then(() => withConnection((conn) => conn.run(`SET threads = ${bulkRunning > 0 ? BULK_THREADS : SMALL_QUERY_THREADS}`)))
    .then(
      () => {},
      (error: unknown) => console.warn(`[duckdb] threads not changed: ${(error as Error).message}`),
    );
  return threadSetting;
}

/** A connection for one unit of work, closed afterwards (a connection with an open stream must not be shared). */
export async function withConnection<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const conn = await (await catalogDb()).connect();
  try {
    return await work(conn);
  } finally {
    conn.closeSync();
  }
}

/** Runs `work` in a DuckDB transaction of the index; rolls back on any error so a failed sync leaves nothing behind. */
export async function indexTransaction<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  return withConnection(async (conn) => {
    await conn.run('BEGIN TRANSACTION');
    try {
      const result = await work(conn);
      await conn.run('COMMIT');
      return result;
    } catch (error) {
      await conn.run('ROLLBACK');
      throw error;
    }
  });
}

/**
 * The index's tables: a query-friendly copy of the lake's manifests and of the run records. Change them by changing
 * this list and raising CATALOG_INDEX_FORMAT; every server then rebuilds its index at start.
 */
const CATALOG_SCHEMA = [
  `CREATE TABLE catalog_index_meta (format INTEGER NOT NULL)`,
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
];
