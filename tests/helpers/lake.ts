import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeChanges } from '../../src/lib/server/lake/changes.ts';
import { MANIFEST_FORMAT, type ColumnProfile, type CurrentPointer, type Manifest } from '../../src/lib/server/lake/manifest.ts';
import { summarizeDiff } from '../../src/lib/server/lake/version-diff.ts';
import type { RunRecord } from '../../src/lib/server/pipelines/run-record.ts';
import type { FieldSpec } from '../../src/lib/server/lake/schema.ts';
import { STORAGE_TYPE } from '../../src/lib/server/pipelines/coerce.ts';

/**
 * Writes a published version straight into a lake folder, in the layout of src/lib/server/lake/manifest.ts:
 * a real zstd Parquet written by DuckDB COPY, manifest.json, and current.json replaced by rename, the
 * way the runner publishes. Lets catalog and server tests stand up a lake without running pipelines.
 */
const DUCK_TYPES = STORAGE_TYPE;

export interface TestVersion {
  id: string;
  fields: FieldSpec[];
  rows: Record<string, string | number | boolean | null>[];
  metadata?: Partial<Manifest['metadata']>;
  publishedAt?: string;
  runId?: string;
  primaryKey?: string[];
  /** Check results as the runner records them (default: one passing not_null check). */
  checks?: Manifest['checks'];
  charts?: Manifest['charts'];
  /**
   * Store changes.json (what changed since the current version) as a pipeline run does, with the runner's own
   * summary. Off by default: such versions look like ones published before summaries were stored.
   */
  storeChanges?: boolean;
}

export async function publishTestVersion(dataDir: string, v: TestVersion): Promise<Manifest> {
  const datasetDir = path.join(dataDir, 'lake', v.id);
  const runId = v.runId ?? `test-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const staging = path.join(datasetDir, `.${runId}`);
  mkdirSync(staging, { recursive: true });
  const parquet = path.join(staging, 'data.parquet');
  const profile = await writeParquet(parquet, v.fields, v.rows);
  const bytes = readFileSync(parquet);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const publishedAt = v.publishedAt ?? new Date().toISOString();
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    dataset: v.id,
    version: createHash('sha256').update(sha256).update(JSON.stringify(v.metadata ?? {})).digest('hex').slice(0, 16),
    published_at: publishedAt,
    metadata: { ...baseMetadata(), ...v.metadata },
    schema: { fields: v.fields, primary_key: v.primaryKey ?? [] },
    charts: v.charts ?? [],
    data: { path: 'data.parquet', rows: v.rows.length, bytes: statSync(parquet).size, sha256 },
    profile,
    checks: v.checks ?? [{ name: 'not_null(kecamatan)', type: 'not_null', severity: 'error', status: 'pass', failures: 0 }],
    lineage: {
      source: { location: `datasets/${v.id}.csv`, format: 'csv', sha256, bytes: bytes.length, fetched_at: publishedAt },
      spec_sha256: '0'.repeat(64),
      transform_sha256: null,
      references: {},
      run_id: runId,
      started_at: publishedAt,
      duration_ms: 42,
      runner: { version: 'test', duckdb: 'test' },
    },
  };
  writeFileSync(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
  if (v.storeChanges) await storeChanges(datasetDir, staging, manifest);
  renameSync(staging, path.join(datasetDir, manifest.version));
  const pointer = { dataset: v.id, version: manifest.version, published_at: publishedAt };
  const tmp = path.join(datasetDir, `.current.json.${runId}.tmp`);
  writeFileSync(tmp, JSON.stringify(pointer));
  renameSync(tmp, path.join(datasetDir, 'current.json'));
  return manifest;
}

async function storeChanges(datasetDir: string, staging: string, manifest: Manifest): Promise<void> {
  let current: CurrentPointer;
  try {
    current = JSON.parse(readFileSync(path.join(datasetDir, 'current.json'), 'utf8')) as CurrentPointer;
  } catch {
    return; // a first version has nothing to compare with
  }
  const previous = JSON.parse(readFileSync(path.join(datasetDir, current.version, 'manifest.json'), 'utf8')) as Manifest;
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const files: [string, string] = [path.join(datasetDir, current.version, 'data.parquet'), path.join(staging, 'data.parquet')];
    await writeChanges(staging, { ...(await summarizeDiff(conn, previous, manifest, files)), to: manifest.version });
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A run record as the CLI writes it (data/runs/<id>/<run_id>.json). */
export function writeTestRunRecord(dataDir: string, record: Partial<RunRecord> & Pick<RunRecord, 'dataset' | 'run_id'>): RunRecord {
  const full: RunRecord = {
    trigger: 'cli',
    status: 'published',
    started_at: '2026-01-15T02:00:00.000Z',
    finished_at: '2026-01-15T02:00:01.500Z',
    duration_ms: 1500,
    rows: 3,
    version: null,
    previous_version: null,
    source: { location: 'datasets/test.csv', sha256: null, bytes: null },
    report: [],
    checks: [],
    error: null,
    ...record,
  };
  const dir = path.join(dataDir, 'runs', record.dataset);
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${record.run_id}.tmp`);
  writeFileSync(tmp, JSON.stringify(full, null, 2));
  renameSync(tmp, path.join(dir, `${record.run_id}.json`));
  return full;
}

export function baseMetadata(): Manifest['metadata'] {
  return {
    title: 'Jumlah Penduduk per Kecamatan',
    title_en: 'Population by District',
    description: 'Jumlah penduduk menurut kecamatan (sampel sintetis untuk pengujian).',
    organization: 'disdukcapil',
    topics: ['kependudukan'],
    tags: ['penduduk'],
    license: 'CC-BY-4.0',
    update_frequency: 'tahunan',
    contact_point: { name: 'Tim Uji', email: 'uji@example.go.id' },
    temporal_coverage: { start: '2024-01-01', end: '2024-12-31' },
    spatial_coverage: { name: 'Kota Bandung', region_code: '3273' },
    data_type: 'statistik',
    classification: 'terbuka',
    presentation_level: 'kecamatan',
    source_attribution: 'Dibuat untuk pengujian',
    language: 'id',
    synthetic: true,
  };
}

/** Writes rows with explicit column types (values bound as text and cast by DuckDB) and returns a simple profile. */
async function writeParquet(file: string, fields: FieldSpec[], rows: TestVersion['rows']): Promise<ColumnProfile[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const columns = fields.map((f) => `"${f.name}" ${DUCK_TYPES[f.type]}`).join(', ');
    await conn.run(`CREATE TABLE t (${columns})`);
    const placeholders = fields.map((_, i) => `$${i + 1}`).join(', ');
    for (const row of rows) {
      await conn.run(`INSERT INTO t VALUES (${placeholders})`, fields.map((f) => (row[f.name] == null ? null : String(row[f.name]))));
    }
    await conn.run(`COPY t TO '${file.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`);
    const profile: ColumnProfile[] = [];
    for (const f of fields) {
      const stats = (
        await conn.runAndReadAll(
          `SELECT count(*) - count("${f.name}") AS nulls, count(DISTINCT "${f.name}") AS d, min("${f.name}")::VARCHAR AS lo, max("${f.name}")::VARCHAR AS hi FROM t`,
        )
      ).getRowObjectsJson()[0]!;
      profile.push({
        name: f.name,
        type: f.type,
        storage_type: DUCK_TYPES[f.type],
        nulls: Number(stats.nulls),
        distinct: Number(stats.d),
        distinct_approximate: false,
        min: (stats.lo as string | null) ?? null,
        max: (stats.hi as string | null) ?? null,
        mean: null,
        top: null,
      });
    }
    return profile;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** The fields most tests use: a district and its population. */
export const PENDUDUK_FIELDS: FieldSpec[] = [
  { name: 'kecamatan', type: 'string', title: 'Kecamatan', title_en: 'District', description: 'Nama kecamatan', constraints: { required: true, unique: true } },
  { name: 'jumlah_penduduk', type: 'integer', title: 'Jumlah penduduk', title_en: 'Population', unit: 'jiwa', constraints: { minimum: 0 } },
];
