import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../db/sql.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { bitmapDistinct, bitmapSpan, type FooterStats } from './footer-stats.ts';
import { TYPED, TYPED_ROW, type RowRule } from './rule-query.ts';
import { rowsJson } from './staging.ts';

/**
 * Rule counts the Parquet footer already answers, so those rules leave the validation scan: a column's missing
 * values, numeric bounds the column's minimum and maximum already satisfy, and uniqueness of a key the file is
 * sorted by (strictly rising values are all different; checking that reads the column once, counting distinct
 * values hashes it). Anything the footer cannot settle returns undefined and is counted in the scan as before.
 * Integer keys are left to the scan's bitmap (bitmapPrechecks), which is cheaper than checking the order.
 */
export async function footerRuleCounts(
  conn: DuckDBConnection,
  rules: RowRule[],
  footer: FooterStats,
  fields: FieldSpec[],
): Promise<(rule: RowRule) => number | undefined> {
  const rising = new Set<string>();
  for (const column of new Set(rules.filter((r) => r.stat?.key && !keyBitmapSpan(r, footer, fields)).map((r) => r.stat!.column))) {
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

/**
 * Uniqueness of a one-column integer key in the scan without hashing or sorting: one bit per possible value
 * between the footer's minimum and maximum (bitstring_agg); the key is unique when as many bits are set as there
 * are non-empty values. The precheck is 0 exactly when the rule passes; otherwise the rule's own query counts.
 */
export function bitmapPrechecks(rules: RowRule[], footer: FooterStats, fields: FieldSpec[]): RowRule[] {
  return rules.map((rule) => {
    const span = keyBitmapSpan(rule, footer, fields);
    if (!span) return rule;
    const c = quoteIdent(rule.stat!.column);
    // count(*) also counts empty keys, which break a primary key; a unique column may have several.
    const values = rule.stat!.required ? 'count(*)' : `count(${c})`;
    return { ...rule, precheck: `(${values} - ${bitmapDistinct(c, span)})` };
  });
}

function keyBitmapSpan(rule: RowRule, footer: FooterStats, fields: FieldSpec[]): { min: bigint; max: bigint } | null {
  const stat = rule.stat;
  if (!stat?.key || fields.find((f) => f.name === stat.column)?.type !== 'integer') return null;
  return bitmapSpan(footer.columns.get(stat.column));
}

async function strictlyRising(conn: DuckDBConnection, column: string): Promise<boolean> {
  const c = quoteIdent(column);
  const [row] = await rowsJson(conn, `SELECT count(*) FILTER (WHERE ${c} <= previous) AS n FROM (SELECT ${c}, lag(${c}) OVER (ORDER BY ${TYPED_ROW}) AS previous FROM ${TYPED})`);
  return Number(row!.n) === 0;
}
