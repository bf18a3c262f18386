import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../db/sql.ts';
import type { ColumnProfile } from '../lake/manifest.ts';
import { STORAGE_TYPE } from './coerce.ts';
import { bitmapDistinct, bitmapSpan, type FooterStats } from './footer-stats.ts';
import type { GroupedValues } from './grouped-values.ts';
import { TYPED, TYPED_ROW } from './rule-query.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { rowsJson } from './staging.ts';

const TOP_VALUES_MAX_DISTINCT = 50;
export const TOP_VALUES = 10;
/** Above this many rows distinct counts are HyperLogLog estimates (flagged in the profile): exact ones cost 3×. */
const EXACT_DISTINCT_MAX_ROWS = 200_000;
/** Text this long per value (footer bytes) costs most of the profile to hash: its distinct count is sampled. */
const LONG_TEXT_BYTES = 24;
const SAMPLE_ROWS = 200_000;
/**
 * A column whose footer dictionaries hold at most this many values in all (an upper bound on its distinct
 * values) is counted exactly by grouping its values, which also gives its most frequent values: cheaper than a
 * HyperLogLog over every row, and exact at any size.
 */
const GROUPED_MAX_VALUES = 50_000;

/**
 * How each column's profile is obtained, cheapest first: from the Parquet footer (nulls, min, max of numbers and
 * dates), from the uniqueness check (a unique column has as many distinct values as non-empty ones), from one
 * GROUPING SETS query over the low-cardinality columns (booleans, and columns the footer shows few dictionary
 * values for: exact distinct counts and most frequent values), from a sample (distinct count of long text), or
 * from the one aggregate scan shared with the validation rules (where an integer column with close footer bounds
 * is counted exactly in a bitmap, cheaper than a HyperLogLog, and other columns above 200,000 rows by HyperLogLog).
 */
export interface ProfilePlan {
  rows: number;
  approximate: boolean;
  footer: FooterStats | null;
  /** Columns whose distinct count follows from a unique or single-column primary-key rule. */
  keyed: Set<string>;
  /** Columns counted exactly by grouping their values (groupedValues). */
  grouped: Set<string>;
  sampled: Set<string>;
}

export async function planProfile(conn: DuckDBConnection, fields: FieldSpec[], footer: FooterStats | null, keyed: Set<string>): Promise<ProfilePlan> {
  const rows = footer ? footer.rows : Number(((await rowsJson(conn, `SELECT count(*) AS n FROM ${TYPED}`)) as [{ n: string }])[0].n);
  const approximate = rows > EXACT_DISTINCT_MAX_ROWS;
  // Without a footer (the table was converted in DuckDB) there is no dictionary to go by: the scan counts them.
  const grouped = new Set(
    fields
      .filter((f) => footer && !keyed.has(f.name) && f.type !== 'geometry')
      .filter((f) => f.type === 'boolean' || (footer!.columns.get(f.name)?.dictionaryValues ?? Infinity) <= GROUPED_MAX_VALUES)
      .map((f) => f.name),
  );
  const sampled = new Set(
    fields
      .filter((f) => approximate && f.type === 'string' && !keyed.has(f.name) && !grouped.has(f.name) && (footer?.columns.get(f.name)?.bytesPerValue ?? 0) > LONG_TEXT_BYTES)
      .map((f) => f.name),
  );
  return { rows, approximate, footer, keyed, grouped, sampled };
}

/** Aggregates the profile still needs from the scan, to run in the same scan as the rules. */
export function profileAggregates(fields: FieldSpec[], plan: ProfilePlan): string[] {
  const parts = plan.footer ? [] : ['count(*) AS "p_rows"'];
  fields.forEach((f, i) => {
    const c = quoteIdent(f.name);
    const footer = plan.footer?.columns.get(f.name);
    if (footer?.nulls == null) parts.push(`count(${c}) AS "p_n${i}"`);
    if (!plan.keyed.has(f.name) && !plan.grouped.has(f.name) && !plan.sampled.has(f.name)) {
      const span = exactBitmap(f, plan);
      const distinct = span ? bitmapDistinct(c, span) : plan.approximate ? `approx_count_distinct(${c})` : `count(DISTINCT ${c})`;
      parts.push(`${distinct} AS "p_d${i}"`);
    }
    if (f.type !== 'geometry' && f.type !== 'boolean' && (footer?.min == null || footer?.max == null)) {
      parts.push(`CAST(min(${c}) AS VARCHAR) AS "p_lo${i}"`, `CAST(max(${c}) AS VARCHAR) AS "p_hi${i}"`);
    }
    if (f.type === 'integer' || f.type === 'number') parts.push(`avg(${c}) AS "p_avg${i}"`);
  });
  return parts;
}

/**
 * The profile from the footer, the scan's aggregates, `duplicates` (rows a uniqueness rule found repeated, per
 * keyed column) and the grouped columns' counts (grouped-values.ts), plus sampled distinct counts and the most
 * frequent values of other low-cardinality text.
 */
export async function buildProfile(
  conn: DuckDBConnection,
  stats: Record<string, unknown>,
  fields: FieldSpec[],
  plan: ProfilePlan,
  duplicates: (column: string) => number,
  grouped: GroupedValues['columns'],
): Promise<{ rows: number; profile: ColumnProfile[] }> {
  const rows = plan.footer ? plan.rows : Number(stats.p_rows);
  const profile: ColumnProfile[] = [];
  for (const [i, f] of fields.entries()) {
    const numeric = f.type === 'integer' || f.type === 'number';
    const footer = plan.footer?.columns.get(f.name);
    const nulls = footer?.nulls ?? rows - Number(stats[`p_n${i}`]);
    const counted = grouped.get(f.name);
    const distinct = plan.keyed.has(f.name)
      ? rows - nulls - duplicates(f.name)
      : counted
        ? counted.distinct
        : plan.sampled.has(f.name)
          ? await sampledDistinct(conn, f.name, rows)
          : Number(stats[`p_d${i}`]);
    const lo = footer?.min ?? stats[`p_lo${i}`];
    const hi = footer?.max ?? stats[`p_hi${i}`];
    const value = (v: unknown) => (v === null || v === undefined ? null : numeric ? Number(v) : String(v));
    profile.push({
      name: f.name,
      type: f.type,
      storage_type: STORAGE_TYPE[f.type],
      nulls,
      distinct,
      distinct_approximate: plan.approximate && !(plan.keyed.has(f.name) || counted !== undefined || exactBitmap(f, plan) !== null),
      min: value(lo),
      max: value(hi),
      mean: numeric && stats[`p_avg${i}`] !== null && stats[`p_avg${i}`] !== undefined ? round(Number(stats[`p_avg${i}`])) : null,
      top: (f.type === 'string' || f.type === 'boolean') && distinct <= TOP_VALUES_MAX_DISTINCT ? (counted?.top ?? (await topValues(conn, f.name))) : null,
    });
  }
  return { rows, profile };
}

/**
 * Distinct values of a long text column from its first rows (a row-number filter lets the Parquet reader skip
 * the other row groups), scaled to the whole: d·(N/n)^(d/n) — no scaling when the sample repeats itself, linear
 * scaling when every sampled value is new. A rough estimate, flagged approximate like the HyperLogLog ones.
 */
async function sampledDistinct(conn: DuckDBConnection, column: string, rows: number): Promise<number> {
  const [r] = await rowsJson(conn, `SELECT approx_count_distinct(${quoteIdent(column)}) AS d, count(*) AS n FROM ${TYPED} WHERE ${TYPED_ROW} < ${SAMPLE_ROWS}`);
  const d = Number(r!.d);
  const n = Number(r!.n);
  if (n === 0 || n >= rows) return d;
  return Math.min(rows, Math.round(d * (rows / n) ** (d / n)));
}

async function topValues(conn: DuckDBConnection, column: string): Promise<{ value: string; count: number }[]> {
  const c = quoteIdent(column);
  const rows = await rowsJson(
    conn,
    `SELECT CAST(${c} AS VARCHAR) AS value, count(*) AS n FROM ${TYPED} WHERE ${c} IS NOT NULL GROUP BY ALL ORDER BY n DESC, value LIMIT ${TOP_VALUES}`,
  );
  return rows.map((r) => ({ value: String(r.value), count: Number(r.n) }));
}

/** An integer column with close footer bounds: its distinct values are counted exactly in a bitmap. */
function exactBitmap(field: FieldSpec, plan: ProfilePlan): { min: bigint; max: bigint } | null {
  return field.type === 'integer' ? bitmapSpan(plan.footer?.columns.get(field.name)) : null;
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
