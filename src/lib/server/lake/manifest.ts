import type { ChartSpec, DatasetMetadata, FieldSpec } from './schema.ts';

/**
 * The lake layout (the source of truth for datasets):
 *
 *   data/lake/<id>/<version>/data.parquet   zstd Parquet, never rewritten
 *   data/lake/<id>/<version>/manifest.json  this type, never rewritten
 *   data/lake/<id>/current.json             CurrentPointer, replaced by rename
 *
 * A version folder appears by a single rename of a complete staging folder, so a reader that finds
 * `<version>/manifest.json` finds a whole version. Folders starting with "." are staging leftovers.
 */
export const MANIFEST_FORMAT = 'kota-terbuka/manifest@1';

export type { DatasetMetadata };

export interface ColumnProfile {
  name: string;
  type: FieldSpec['type'];
  /** DuckDB type of the Parquet column. */
  storage_type: string;
  nulls: number;
  distinct: number;
  /** True when `distinct` is a HyperLogLog estimate (large tables). */
  distinct_approximate: boolean;
  min: string | number | null;
  max: string | number | null;
  mean: number | null;
  /** Most frequent values, for text columns with at most 50 distinct values. */
  top: { value: string; count: number }[] | null;
}

export interface CheckResult {
  name: string;
  type: string;
  severity: 'error' | 'warn';
  status: 'pass' | 'fail';
  /** Number of offending rows (or 1 for table-level checks). */
  failures: number;
  /** The spec's sentence for the check, when it gave one. */
  title?: string;
  title_en?: string;
  /** The check's parameters (columns, bounds, values…), so pages can say in words what was checked. */
  params?: CheckParams;
}

export interface CheckParams {
  columns?: string[];
  column?: string;
  values?: (string | number)[];
  min?: number;
  max?: number;
  max_age_days?: number;
  to?: string;
  field?: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  dataset: string;
  version: string;
  published_at: string;
  metadata: DatasetMetadata;
  schema: { fields: FieldSpec[]; primary_key: string[] };
  charts: ChartSpec[];
  data: { path: 'data.parquet'; rows: number; bytes: number; sha256: string };
  profile: ColumnProfile[];
  checks: CheckResult[];
  lineage: {
    source: { location: string; format: string; sha256: string; bytes: number; fetched_at: string };
    spec_sha256: string;
    transform_sha256: string | null;
    /** Versions of other datasets this one was checked against (relationships). */
    references: Record<string, string>;
    run_id: string;
    started_at: string;
    duration_ms: number;
    runner: { version: string; duckdb: string };
  };
}

export interface CurrentPointer {
  dataset: string;
  version: string;
  published_at: string;
}
