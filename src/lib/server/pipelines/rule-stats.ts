import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../db/sql.ts';
import type { FooterStats } from './footer-stats.ts';
import { TYPED, TYPED_ROW, type RowRule } from './rule-query.ts';
import { rowsJson } from './staging.ts';

/**
 * Rule counts the Parquet footer already answers, so those rules leave the validation scan: a column's missing
 * values, numeric bounds the column's minimum and maximum already satisfy, and uniqueness of a key the file is
 * sorted by (strictly rising values are all different; checking that reads the column once, counting distinct
 * values hashes it). Anything the footer cannot settle returns undefined and is counted in the scan as before.
 */
export async function footerRuleCounts(conn: DuckDBConnection, rules: RowRule[], footer: FooterStats): Promise<(rule: RowRule) => number | undefined> {
  const rising = new Set<string>();
  for (const column of new Set(rules.filter((r) => r.stat?.key).map((r) => r.stat!.column))) {
    const stats = footer.columns.get(column);
    if (stats?.nulls === 0 && stats.ascending && (await strictlyRising(conn, column))) rising.add(column);
  }
  return (rule) => {
    const stat = rule.stat;
    const column = stat && footer.columns.get(stat.column);
    if (!stat || !column) return undefined;
    if (stat.nulls) return column.nulls ?? undefined;
    if (stat.key) return rising.has(stat.column) ? 0 : undefined;
    if (column.min === null || column.max === null) return undefined;
    const fits = (stat.min === undefined || Number(column.min) >= stat.min) && (stat.max === undefined || Number(column.max) <= stat.max);
    return fits ? 0 : undefined;
  };
}

async function strictlyRising(conn: DuckDBConnection, column: string): Promise<boolean> {
  const c = quoteIdent(column);
  const [row] = await rowsJson(conn, `SELECT count(*) FILTER (WHERE ${c} <= previous) AS n FROM (SELECT ${c}, lag(${c}) OVER (ORDER BY ${TYPED_ROW}) AS previous FROM ${TYPED})`);
  return Number(row!.n) === 0;
}
