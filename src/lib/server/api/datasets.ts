import { createCache } from '../cache.ts';
import type { DatasetDetail, DatasetSummary } from '../catalog/queries.ts';
import { datasetForReader } from '../catalog/access.ts';
import type { Actor } from '../auth/authorization.ts';
import { opdNames } from '../config/deployment.ts';
import type { Manifest } from '../lake/manifest.ts';
import { readManifest } from '../lake/read.ts';
import type { z } from 'zod';
import type { QualityScore } from '../catalog/quality.ts';
import { absoluteUrl } from './response.ts';
import type { DatasetDetail as DatasetDetailJson, DatasetLinks, DatasetSummary as DatasetSummaryJson } from './schemas.ts';

/** Download formats of the native API, in the order the docs list them. */
export const DOWNLOAD_FORMATS = ['csv', 'json', 'ndjson', 'parquet', 'arrow', 'xlsx'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

export function isDownloadFormat(value: string | undefined): value is DownloadFormat {
  return (DOWNLOAD_FORMATS as readonly string[]).includes(value ?? '');
}

/** A public dataset and one of its versions (the current one unless named), with that version's own manifest. */
export interface ResolvedVersion {
  detail: DatasetDetail;
  /** Manifest of the requested version: its schema is the one its Parquet file has. */
  manifest: Manifest;
  version: string;
  current: boolean;
}

/**
 * Null when the dataset is unknown or not public, or the version is not one of its published versions.
 * The version must appear in the catalog index before the lake is read, so a crafted name never becomes a path.
 */
export async function resolveVersion(id: string, version?: string | null, actor?: Actor | null): Promise<ResolvedVersion | null> {
  const detail = await datasetForReader(id, actor);
  if (!detail) return null;
  const current = detail.manifest.version;
  if (!version || version === current || version === 'current') return { detail, manifest: detail.manifest, version: current, current: true };
  if (!detail.versions.some((v) => v.version === version)) return null;
  const manifest = await versionManifest(id, version);
  return manifest ? { detail, manifest, version, current: false } : null;
}

const manifests = createCache<Manifest | null>({ max: 500, keep: (m) => m !== null });

/** A published version's manifest never changes (lake invariant), so it is kept as long as there is room. */
function versionManifest(id: string, version: string): Promise<Manifest | null> {
  return manifests.get(`${id}@${version}`, () => readManifest(id, version));
}

export function organizationJson(code: string) {
  const { name, name_en } = opdNames(code);
  return { code, name, name_en };
}

/** The API's links for a dataset; `version` pins rows and downloads to one version. */
export function datasetLinks(base: string, id: string, version?: string): z.input<typeof DatasetLinks> {
  const root = `/api/v1/datasets/${encodeURIComponent(id)}`;
  const scoped = version ? `${root}/versions/${encodeURIComponent(version)}` : root;
  return {
    self: absoluteUrl(base, root),
    html: absoluteUrl(base, `/datasets/${encodeURIComponent(id)}`),
    rows: absoluteUrl(base, `${scoped}/rows`),
    downloads: Object.fromEntries(DOWNLOAD_FORMATS.map((f) => [f, absoluteUrl(base, `${scoped}/download.${f}`)])) as Record<DownloadFormat, string>,
  };
}

export function summaryJson(base: string, d: DatasetSummary): z.input<typeof DatasetSummaryJson> {
  return {
    id: d.id,
    title: d.title,
    title_en: d.title_en,
    description: d.description,
    description_en: d.description_en,
    organization: organizationJson(d.organization),
    topics: d.topics,
    tags: d.tags,
    license: d.license,
    synthetic: d.synthetic,
    version: d.version,
    published_at: d.published_at,
    rows: d.rows,
    bytes: d.bytes,
    links: datasetLinks(base, d.id),
  };
}

export function detailJson(base: string, detail: DatasetDetail, quality: QualityScore): z.input<typeof DatasetDetailJson> {
  const m = detail.manifest;
  const { organization, ...metadata } = m.metadata;
  return {
    id: m.dataset,
    version: m.version,
    published_at: m.published_at,
    ...metadata,
    organization: organizationJson(organization),
    rows: m.data.rows,
    bytes: m.data.bytes,
    sha256: m.data.sha256,
    schema: m.schema,
    profile: m.profile,
    checks: m.checks,
    charts: m.charts,
    lineage: {
      source: m.lineage.source,
      run_id: m.lineage.run_id,
      started_at: m.lineage.started_at,
      references: m.lineage.references,
    },
    quality,
    versions: detail.versions.map((v) => ({ ...v, current: v.version === m.version, links: datasetLinks(base, m.dataset, v.version) })),
    links: datasetLinks(base, m.dataset),
  };
}
