import { memoize } from '../cache.ts';
import { withConnection } from './index-db.ts';
import type { Manifest } from '../lake/manifest.ts';
import { versionDataPath } from '../lake/read.ts';
import type { RunRecord } from '../pipelines/run-record.ts';

/**
 * Public read models of the catalog. Every query here filters on classification = 'terbuka': datasets
 * classified terbatas/tertutup are indexed but never served until accounts can authorise them.
 */
const PUBLIC = `classification = 'terbuka'`;

export async function listPublicDatasets(): Promise<DatasetSummary[]> {
  return withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(
      `SELECT id, version, title, title_en, description, description_en, organization, synthetic, topics, tags, license,
              rows, bytes, epoch_ms(published_at) AS published_ms
         FROM catalog_datasets WHERE ${PUBLIC} ORDER BY title, id`,
    );
    return reader.getRowObjectsJson().map((r) => ({
      id: String(r.id),
      version: String(r.version),
      title: String(r.title),
      title_en: (r.title_en as string | null) ?? null,
      description: String(r.description),
      description_en: (r.description_en as string | null) ?? null,
      organization: String(r.organization),
      synthetic: r.synthetic === true,
      topics: (r.topics as string[]) ?? [],
      tags: (r.tags as string[]) ?? [],
      license: String(r.license),
      rows: Number(r.rows),
      bytes: Number(r.bytes),
      published_at: new Date(Number(r.published_ms)).toISOString(),
    }));
  });
}

export async function countPublicDatasets(): Promise<number> {
  return withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(`SELECT count(*) AS n FROM catalog_datasets WHERE ${PUBLIC}`);
    return Number(reader.getRowObjectsJson()[0]?.n ?? 0);
  });
}

/** The current manifest and the version history of a public dataset, or null when unknown or not public. */
export function getPublicDataset(id: string): Promise<DatasetDetail | null> {
  return getDataset(id, { restricted: false });
}

/**
 * Like getPublicDataset, and with `restricted` also terbatas datasets. Only src/lib/server/catalog/access.ts
 * decides who gets `restricted` (tertutup datasets are never published at all).
 */
export async function getDataset(id: string, options: { restricted: boolean }): Promise<DatasetDetail | null> {
  const visible = options.restricted ? `classification IN ('terbuka', 'terbatas')` : PUBLIC;
  return withConnection(async (conn) => {
    const found = await conn.runAndReadAll(`SELECT manifest FROM catalog_datasets WHERE id = $id AND ${visible}`, { id });
    const row = found.getRowObjectsJson()[0];
    if (!row) return null;
    const versions = await conn.runAndReadAll(
      `SELECT version, epoch_ms(published_at) AS published_ms, rows, bytes, sha256, run_id
         FROM catalog_versions WHERE dataset = $id ORDER BY published_at DESC, version DESC`,
      { id },
    );
    return {
      manifest: JSON.parse(String(row.manifest)) as Manifest,
      versions: versions.getRowObjectsJson().map((v) => ({
        version: String(v.version),
        published_at: new Date(Number(v.published_ms)).toISOString(),
        rows: Number(v.rows),
        bytes: Number(v.bytes),
        sha256: String(v.sha256),
        run_id: (v.run_id as string | null) ?? null,
      })),
    };
  });
}

/** The current version of every indexed dataset, public or not (for server-side caches, never shown as a list). */
export async function listIndexedVersions(): Promise<{ id: string; version: string; rows: number }[]> {
  return withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(`SELECT id, version, rows FROM catalog_datasets ORDER BY id`);
    return reader.getRowObjectsJson().map((r) => ({ id: String(r.id), version: String(r.version), rows: Number(r.rows) }));
  });
}

/** The last 10 runs as the dataset page shows them; new runs appear within the sync interval anyway. */
export const recentRuns = memoize((id) => listRuns(id, 10), { max: 500, ttlMs: 2_000 });

/** Recent pipeline runs of a public dataset, newest first. */
export async function listRuns(id: string, limit = 20): Promise<RunRecord[]> {
  return withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(
      `SELECT r.record FROM pipeline_runs r
         WHERE r.dataset = $id AND EXISTS (SELECT 1 FROM catalog_datasets d WHERE d.id = r.dataset AND d.${PUBLIC})
         ORDER BY r.started_at DESC, r.run_id DESC LIMIT $limit`,
      { id, limit: clamp(limit, 1, 500) },
    );
    return reader.getRowObjectsJson().map((r) => JSON.parse(String(r.record)) as RunRecord);
  });
}

/** The first rows of the current version, read straight from its Parquet file. Null when not public. */
export async function previewRows(id: string, limit = 20): Promise<Preview | null> {
  return withConnection(async (conn) => {
    const found = await conn.runAndReadAll(`SELECT version FROM catalog_datasets WHERE id = $id AND ${PUBLIC}`, { id });
    const row = found.getRowObjectsJson()[0];
    if (!row) return null;
    // The path comes from the index (a validated id and version name) and is bound, never spliced into SQL.
    const reader = await conn.runAndReadAll('SELECT * FROM read_parquet($path) LIMIT $limit', {
      path: versionDataPath(id, String(row.version)),
      limit: clamp(limit, 1, 1000),
    });
    return { columns: reader.columnNames(), rows: reader.getRowsJson().map((cells) => cells.map(cellText)) };
  });
}

function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(Number.isFinite(n) ? n : min)));
}

export interface DatasetSummary {
  id: string;
  version: string;
  title: string;
  title_en: string | null;
  description: string;
  description_en: string | null;
  organization: string;
  synthetic: boolean;
  topics: string[];
  tags: string[];
  license: string;
  rows: number;
  bytes: number;
  published_at: string;
}

export interface VersionSummary {
  version: string;
  published_at: string;
  rows: number;
  bytes: number;
  sha256: string;
  run_id: string | null;
}

export interface DatasetDetail {
  manifest: Manifest;
  versions: VersionSummary[];
}

export interface Preview {
  columns: string[];
  /** Cell values as text (null stays null), in column order. */
  rows: (string | null)[][];
}
