import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../db/sql.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { STORAGE_TYPE } from './coerce.ts';
import { rowsJson } from './staging.ts';

/**
 * What the Parquet writer already knows about the file it wrote: the row count and, per column, null counts,
 * min/max and the bytes per value, from the footer's row-group statistics (milliseconds, no data read). The
 * profile takes them instead of scanning for them again. DuckDB's writer leaves a row group's text bounds out
 * rather than cut them short (values over 10,000 bytes), so bounds are used only where every row group has them.
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
  const meta = `parquet_metadata(${quoteLiteral(file)})`;
  const [{ rows }] = (await rowsJson(conn, `SELECT coalesce(sum(num_rows), 0) AS rows FROM parquet_file_metadata(${quoteLiteral(file)})`)) as [{ rows: string }];
  // Row-group bounds are text in the metadata: cast to the column's type before taking the smallest and largest,
  // or "985670" would beat "1000000".
  const parts = fields.flatMap((f, i) => {
    const mine = `path_in_schema = ${quoteLiteral(f.name)}`;
    const cols = [
      `sum(stats_null_count) FILTER (WHERE ${mine}) AS "n${i}"`,
      `count(*) FILTER (WHERE ${mine} AND stats_null_count IS NULL) AS "nm${i}"`,
      `sum(total_uncompressed_size) FILTER (WHERE ${mine}) / greatest(sum(num_values) FILTER (WHERE ${mine}), 1) AS "b${i}"`,
      // DuckDB's writer records a row group's dictionary size as its distinct count (none without a dictionary).
      `sum(stats_distinct_count) FILTER (WHERE ${mine}) AS "d${i}"`,
      `count(*) FILTER (WHERE ${mine} AND stats_distinct_count IS NULL AND num_values > coalesce(stats_null_count, 0)) AS "dm${i}"`,
    ];
    if (BOUNDED.has(f.type)) {
      const type = STORAGE_TYPE[f.type];
      cols.push(
        `CAST(min(TRY_CAST(stats_min_value AS ${type})) FILTER (WHERE ${mine}) AS VARCHAR) AS "lo${i}"`,
        `CAST(max(TRY_CAST(stats_max_value AS ${type})) FILTER (WHERE ${mine}) AS VARCHAR) AS "hi${i}"`,
        `count(*) FILTER (WHERE ${mine} AND (stats_min_value IS NULL OR stats_max_value IS NULL) AND num_values > stats_null_count) AS "bm${i}"`,
      );
      if (f.type !== 'string') {
        cols.push(
          `CAST(list(TRY_CAST(stats_min_value AS DOUBLE) ORDER BY row_group_id) FILTER (WHERE ${mine}) AS DOUBLE[]) AS "rl${i}"`,
          `CAST(list(TRY_CAST(stats_max_value AS DOUBLE) ORDER BY row_group_id) FILTER (WHERE ${mine}) AS DOUBLE[]) AS "rh${i}"`,
        );
      }
    }
    return cols;
  });
  const [row] = await rowsJson(conn, `SELECT ${parts.join(', ')} FROM ${meta}`);
  const columns = new Map<string, ColumnFooter>();
  fields.forEach((f, i) => {
    const bounded = BOUNDED.has(f.type) && Number(row![`bm${i}`]) === 0;
    columns.set(f.name, {
      nulls: Number(row![`nm${i}`]) === 0 && row![`n${i}`] !== null ? Number(row![`n${i}`]) : null,
      min: bounded ? ((row![`lo${i}`] as string | null) ?? null) : null,
      max: bounded ? ((row![`hi${i}`] as string | null) ?? null) : null,
      bytesPerValue: Number(row![`b${i}`] ?? 0),
      ascending: bounded && ascending(row![`rl${i}`] as (number | null)[] | undefined, row![`rh${i}`] as (number | null)[] | undefined),
      dictionaryValues: Number(row![`dm${i}`]) === 0 ? Number(row![`d${i}`] ?? 0) : null,
    });
  });
  return { rows: Number(rows), columns };
}

function ascending(lows: (number | null)[] | undefined, highs: (number | null)[] | undefined): boolean {
  if (!lows || !highs || lows.some((v) => v === null) || highs.some((v) => v === null)) return false;
  return lows.every((low, i) => i === 0 || low! > highs[i - 1]!);
}
