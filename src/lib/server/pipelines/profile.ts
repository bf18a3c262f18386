import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../db/sql.ts';
import type { ColumnProfile } from '../lake/manifest.ts';
import { STORAGE_TYPE } from './coerce.ts';
import type { FooterStats } from './footer-stats.ts';
import { TYPED, TYPED_ROW } from './rule-query.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { rowsJson } from './staging.ts';

const TOP_VALUES_MAX_DISTINCT = 50;
const TOP_VALUES = 10;
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
 * from the one aggregate scan shared with the validation rules.
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
      parts.push(plan.approximate ? `approx_count_distinct(${c}) AS "p_d${i}"` : `count(DISTINCT ${c}) AS "p_d${i}"`);
    }
    if (f.type !== 'geometry' && f.type !== 'boolean' && (footer?.min == null || footer?.max == null)) {
      parts.push(`CAST(min(${c}) AS VARCHAR) AS "p_lo${i}"`, `CAST(max(${c}) AS VARCHAR) AS "p_hi${i}"`);
    }
    if (f.type === 'integer' || f.type === 'number') parts.push(`avg(${c}) AS "p_avg${i}"`);
  });
  return parts;
}

/**
 * The profile from the footer, the scan's aggregates, and `duplicates` (rows a uniqueness rule found repeated,
 * per keyed column), plus sampled distinct counts and the most frequent values of low-cardinality text.
 */
export async function buildProfile(
  conn: DuckDBConnection,
  stats: Record<string, unknown>,
  fields: FieldSpec[],
  plan: ProfilePlan,
  duplicates: (column: string) => number,
): Promise<{ rows: number; profile: ColumnProfile[] }> {
  const rows = plan.footer ? plan.rows : Number(stats.p_rows);
  const grouped = await groupedValues(conn, [...plan.grouped]);
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
      distinct_approximate: plan.approximate && !plan.keyed.has(f.name) && !counted,
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

/**
 * Exact distinct counts and the most frequent values of several columns in one scan: GROUPING SETS counts each
 * column's values separately; only each column's first 10 groups and its number of groups come back.
 */
async function groupedValues(conn: DuckDBConnection, columns: string[]): Promise<Map<string, { distinct: number; top: { value: string; count: number }[] }>> {
  const result = new Map(columns.map((c) => [c, { distinct: 0, top: [] as { value: string; count: number }[] }]));
  if (columns.length === 0) return result;
  const cols = columns.map(quoteIdent);
  // grouping(c) is 0 in the rows of c's own set; a NULL value of c there is a real missing value, left out.
  const which = `CASE ${cols.map((c, i) => `WHEN grouping(${c}) = 0 THEN ${i}`).join(' ')} END`;
  const value = `CASE ${cols.map((c) => `WHEN grouping(${c}) = 0 THEN CAST(${c} AS VARCHAR)`).join(' ')} END`;
  const rows = await rowsJson(
    conn,
    `SELECT s, value, n, count(*) OVER (PARTITION BY s) AS d
     FROM (SELECT ${which} AS s, ${value} AS value, count(*) AS n FROM ${TYPED} GROUP BY GROUPING SETS (${cols.map((c) => `(${c})`).join(', ')}))
     WHERE value IS NOT NULL
     QUALIFY row_number() OVER (PARTITION BY s ORDER BY n DESC, value) <= ${TOP_VALUES}
     ORDER BY s, n DESC, value`,
  );
  for (const r of rows) {
    const entry = result.get(columns[Number(r.s)]!)!;
    entry.distinct = Number(r.d);
    entry.top.push({ value: String(r.value), count: Number(r.n) });
  }
  return result;
}

async function topValues(conn: DuckDBConnection, column: string): Promise<{ value: string; count: number }[]> {
  const c = quoteIdent(column);
  const rows = await rowsJson(
    conn,
    `SELECT CAST(${c} AS VARCHAR) AS value, count(*) AS n FROM ${TYPED} WHERE ${c} IS NOT NULL GROUP BY ALL ORDER BY n DESC, value LIMIT ${TOP_VALUES}`,
  );
  return rows.map((r) => ({ value: String(r.value), count: Number(r.n) }));
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
