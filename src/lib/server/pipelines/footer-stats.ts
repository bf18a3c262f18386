import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../db/sql.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { STORAGE_TYPE } from './coerce.ts';
import { rowsJson } from './staging.ts';

/**
 * What the Parquet writer already knows about the file it wrote: the row count and, per column, null counts,
 * min/max, the bytes per value and the dictionary sizes, from the footer's row-group statistics (milliseconds, no
 * data read). The profile takes them instead of scanning for them again. DuckDB's writer leaves a row group's text
 * bounds out rather than cut them short (values over 10,000 bytes), so bounds are used only where every row group
 * has them.
 */
export interface ColumnFooter {
  nulls: number | null;
  min: string | null;
  max: string | null;
  bytesPerValue: number;
  /** Row groups hold ever larger values (each one's minimum above the previous one's maximum): the file may be sorted by it. */
  ascending: boolean;
  /**
   * The sum over row groups of their dictionary sizes, when every row group with values is dictionary-encoded:
   * an upper bound on the column's distinct values (the same value counts once per row group), so a cheap way to
   * tell a low-cardinality column from the rest without reading it. Null when some row group has no dictionary.
   */
  dictionaryValues: number | null;
}

export interface FooterStats {
  rows: number;
  columns: Map<string, ColumnFooter>;
}

const BOUNDED = new Set(['integer', 'number', 'date', 'datetime', 'string']);

export async function footerStats(conn: DuckDBConnection, file: string, fields: FieldSpec[]): Promise<FooterStats> {
  const [{ rows }] = (await rowsJson(conn, `SELECT coalesce(sum(num_rows), 0) AS rows FROM parquet_file_metadata(${quoteLiteral(file)})`)) as [{ rows: string }];
  // One row per column, grouped per storage type: row-group bounds are text in the metadata and must be cast to
  // the column's type before taking the smallest and largest, or "985670" would beat "1000000". (One aggregate
  // per column and statistic, as before, cost 35–70 ms of CPU on the 9-column bench file; this about 30.)
  const byType = new Map<string, string[]>();
  for (const f of fields) byType.set(STORAGE_TYPE[f.type], [...(byType.get(STORAGE_TYPE[f.type]) ?? []), f.name]);
  const selects = [...byType].map(
    ([type, names]) => `SELECT path_in_schema AS name,
      sum(stats_null_count) AS n,
      count(*) FILTER (WHERE stats_null_count IS NULL) AS nm,
      sum(total_uncompressed_size) / greatest(sum(num_values), 1) AS b,
      sum(stats_distinct_count) AS d,
      count(*) FILTER (WHERE stats_distinct_count IS NULL AND num_values > coalesce(stats_null_count, 0)) AS dm,
      CAST(min(TRY_CAST(stats_min_value AS ${type})) AS VARCHAR) AS lo,
      CAST(max(TRY_CAST(stats_max_value AS ${type})) AS VARCHAR) AS hi,
      count(*) FILTER (WHERE (stats_min_value IS NULL OR stats_max_value IS NULL) AND num_values > stats_null_count) AS bm,
      CAST(list(TRY_CAST(stats_min_value AS DOUBLE) ORDER BY row_group_id) AS DOUBLE[]) AS rl,
      CAST(list(TRY_CAST(stats_max_value AS DOUBLE) ORDER BY row_group_id) AS DOUBLE[]) AS rh
    FROM meta WHERE path_in_schema IN (${names.map(quoteLiteral).join(', ')}) GROUP BY path_in_schema`,
  );
  const found = await rowsJson(conn, `WITH meta AS MATERIALIZED (SELECT * FROM parquet_metadata(${quoteLiteral(file)})) ${selects.join(' UNION ALL ')}`);
  const byName = new Map(found.map((r) => [String(r.name), r]));
  const columns = new Map<string, ColumnFooter>();
  for (const f of fields) {
    // A column without row groups (an empty file) has no statistics: nothing is known from the footer.
    const row = byName.get(f.name) ?? { n: null, nm: 0, b: 0, d: 0, dm: 0, lo: null, hi: null, bm: 0 };
    const bounded = BOUNDED.has(f.type) && Number(row.bm) === 0;
    columns.set(f.name, {
      nulls: Number(row.nm) === 0 && row.n !== null ? Number(row.n) : null,
      min: bounded ? ((row.lo as string | null) ?? null) : null,
      max: bounded ? ((row.hi as string | null) ?? null) : null,
      bytesPerValue: Number(row.b ?? 0),
      ascending: bounded && f.type !== 'string' && ascending(row.rl as (number | null)[] | undefined, row.rh as (number | null)[] | undefined),
      dictionaryValues: Number(row.dm) === 0 ? Number(row.d ?? 0) : null,
    });
  }
  return { rows: Number(rows), columns };
}

/** 2^26 bits: an 8 MB bitmap per thread at most, for integers spanning up to ~67 million values. */
const BITMAP_MAX_SPAN = 2n ** 26n;

/**
 * The footer's bounds of an integer column when they are close enough for a bitmap of every possible value
 * (bitstring_agg): set bits count its distinct values exactly, with no hashing.
 */
export function bitmapSpan(column: ColumnFooter | undefined): { min: bigint; max: bigint } | null {
  if (!column || column.min === null || column.max === null || !/^-?\d+$/.test(column.min) || !/^-?\d+$/.test(column.max)) return null;
  const min = BigInt(column.min);
  const max = BigInt(column.max);
  return max - min < BITMAP_MAX_SPAN ? { min, max } : null;
}

/** Distinct non-empty values of an integer column within `span`, exactly. */
export function bitmapDistinct(column: string, span: { min: bigint; max: bigint }): string {
  return `bit_count(bitstring_agg(${column}, ${span.min}, ${span.max}))`;
}

function ascending(lows: (number | null)[] | undefined, highs: (number | null)[] | undefined): boolean {
  if (!lows || !highs || lows.some((v) => v === null) || highs.some((v) => v === null)) return false;
  return lows.every((low, i) => i === 0 || low! > highs[i - 1]!);
}
