import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../db/sql.ts';
import type { ColumnProfile } from '../lake/manifest.ts';
import { STORAGE_TYPE } from './coerce.ts';
import { TYPED } from './rule-query.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { rowsJson } from './staging.ts';

const TOP_VALUES_MAX_DISTINCT = 50;
const TOP_VALUES = 10;
/** Above this many rows distinct counts are HyperLogLog estimates (flagged in the profile): exact ones cost 3×. */
const EXACT_DISTINCT_MAX_ROWS = 200_000;

export async function useApproximateDistinct(conn: DuckDBConnection): Promise<boolean> {
  const [{ n }] = (await rowsJson(conn, `SELECT count(*) AS n FROM ${TYPED}`)) as [{ n: string }];
  return Number(n) > EXACT_DISTINCT_MAX_ROWS;
}

/** Aggregates for counts, distincts, min, max and mean of every column, to run in the same scan as the rules. */
export function profileAggregates(fields: FieldSpec[], approximate: boolean): string[] {
  const parts = ['count(*) AS "p_rows"'];
  fields.forEach((f, i) => {
    const c = quoteIdent(f.name);
    parts.push(`count(${c}) AS "p_n${i}"`, approximate ? `approx_count_distinct(${c}) AS "p_d${i}"` : `count(DISTINCT ${c}) AS "p_d${i}"`);
    if (f.type !== 'geometry' && f.type !== 'boolean') {
      parts.push(`CAST(min(${c}) AS VARCHAR) AS "p_lo${i}"`, `CAST(max(${c}) AS VARCHAR) AS "p_hi${i}"`);
    }
    if (f.type === 'integer' || f.type === 'number') parts.push(`avg(${c}) AS "p_avg${i}"`);
  });
  return parts;
}

/** The profile from those aggregates, plus the most frequent values of low-cardinality text columns. */
export async function buildProfile(
  conn: DuckDBConnection,
  stats: Record<string, unknown>,
  fields: FieldSpec[],
  approximate: boolean,
): Promise<{ rows: number; profile: ColumnProfile[] }> {
  const rows = Number(stats.p_rows);
  const profile: ColumnProfile[] = [];
  for (const [i, f] of fields.entries()) {
    const numeric = f.type === 'integer' || f.type === 'number';
    const distinct = Number(stats[`p_d${i}`]);
    const value = (v: unknown) => (v === null || v === undefined ? null : numeric ? Number(v) : String(v));
    profile.push({
      name: f.name,
      type: f.type,
      storage_type: STORAGE_TYPE[f.type],
      nulls: rows - Number(stats[`p_n${i}`]),
      distinct,
      distinct_approximate: approximate,
      min: value(stats[`p_lo${i}`]),
      max: value(stats[`p_hi${i}`]),
      mean: numeric && stats[`p_avg${i}`] !== null && stats[`p_avg${i}`] !== undefined ? round(Number(stats[`p_avg${i}`])) : null,
      top: (f.type === 'string' || f.type === 'boolean') && distinct <= TOP_VALUES_MAX_DISTINCT ? await topValues(conn, f.name) : null,
    });
  }
  return { rows, profile };
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
