import type { Manifest } from '../lake/manifest.ts';

/**
 * A dataset's metadata quality score, in the spirit of data.gouv.fr's "qualité des métadonnées": one
 * point per criterion a reader cares about before trusting a dataset. Pure: the caller passes `now`,
 * so a score is reproducible in tests and the same for every reader at one moment.
 */
export const QUALITY_CRITERIA = [
  'license_open',
  'description',
  'temporal_coverage',
  'spatial_coverage',
  'update_frequency_met',
  'documented_columns',
  'open_formats',
  'checks_defined',
  'checks_passing',
] as const;
export type QualityCriterion = (typeof QUALITY_CRITERIA)[number];

export interface QualityScore {
  score: number;
  max: number;
  criteria: { key: QualityCriterion; met: boolean }[];
}

/** Licences that let anyone reuse the data (opendefinition.org conformant), as SPDX ids. */
const OPEN_LICENSES = new Set(
  ['CC0-1.0', 'CC-BY-4.0', 'CC-BY-3.0', 'CC-BY-SA-4.0', 'CC-BY-SA-3.0', 'ODbL-1.0', 'ODC-By-1.0', 'PDDL-1.0', 'OGL-UK-3.0', 'etalab-2.0'].map(
    (id) => id.toLowerCase(),
  ),
);

/** A description shorter than this rarely says what a row is, where the data comes from and its limits. */
export const MIN_DESCRIPTION_CHARS = 100;
/** Share of columns that need a definition or a unit for the dictionary to count as documented. */
export const MIN_DOCUMENTED_SHARE = 0.8;

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * The longest a dataset may go without a new version and still keep its declared rhythm: one period
 * plus a grace for publishing late in the period. `tidak_tentu` (irregular) promises nothing to break.
 */
export const FREQUENCY_GRACE_DAYS: Record<string, number | null> = {
  harian: 2,
  mingguan: 10,
  bulanan: 45,
  triwulanan: 120,
  semesteran: 215,
  tahunan: 400,
  tidak_tentu: null,
};

/** Formats every published version is served in (src/lib/server/export): all are open. */
export const DOWNLOAD_FORMATS = ['csv', 'json', 'ndjson', 'parquet', 'arrow', 'xlsx'] as const;
const OPEN_FORMATS = new Set(['csv', 'tsv', 'json', 'ndjson', 'geojson', 'parquet', 'arrow']);

export function qualityScore(manifest: Manifest, now: Date = new Date()): QualityScore {
  const m = manifest.metadata;
  const fields = manifest.schema.fields;
  const documented = fields.filter((f) => Boolean(f.description?.trim() || f.unit?.trim())).length;
  const checks = manifest.checks ?? [];
  const met: Record<QualityCriterion, boolean> = {
    license_open: OPEN_LICENSES.has((m.license ?? '').toLowerCase()),
    description: (m.description ?? '').trim().length >= MIN_DESCRIPTION_CHARS,
    temporal_coverage: Boolean(m.temporal_coverage?.start),
    spatial_coverage: Boolean(m.spatial_coverage?.name && m.spatial_coverage?.region_code),
    update_frequency_met: frequencyMet(m.update_frequency, manifest.published_at, now),
    documented_columns: fields.length > 0 && documented / fields.length >= MIN_DOCUMENTED_SHARE,
    open_formats: DOWNLOAD_FORMATS.some((f) => OPEN_FORMATS.has(f)),
    checks_defined: checks.length > 0,
    checks_passing: checks.length > 0 && checks.every((c) => c.status === 'pass'),
  };
  const criteria = QUALITY_CRITERIA.map((key) => ({ key, met: met[key] }));
  return { score: criteria.filter((c) => c.met).length, max: criteria.length, criteria };
}

/** Whether the last publication is recent enough for the declared update frequency. */
export function frequencyMet(frequency: string | undefined, publishedAt: string, now: Date): boolean {
  if (!frequency || !(frequency in FREQUENCY_GRACE_DAYS)) return false;
  const grace = FREQUENCY_GRACE_DAYS[frequency];
  if (grace === null || grace === undefined) return true;
  const published = Date.parse(publishedAt);
  if (!Number.isFinite(published)) return false;
  return now.getTime() - published <= grace * DAY_MS;
}
