import { quoteIdent } from '../server/db/sql.ts';
import type { FieldSpec } from '../server/lake/schema.ts';
import { whereClause, type RowQuery } from '../server/query/filters.ts';
import { readObjects } from '../server/query/read-pool.ts';
import { versionRelation } from '../server/query/rows.ts';
import type { ChartRow } from './common.ts';
import type { Aggregate, Chart } from './spec.ts';

/**
 * The rows a chart draws, computed in DuckDB: server-side SVG is for small data, so rows are grouped by x (bucketed
 * by a calendar unit when asked), colour and facet, with the value aggregated per group before Plot sees them.
 * Raw rows (`none`) stop at MAX_POINTS. Colour series beyond the chart's `top` are aggregated together from their
 * rows (a mean of the rest is the mean of their rows, not of their means) and flagged `other`. The table's
 * filters apply, so a chart shows what the table shows.
 */
export const MAX_POINTS = 3000;

export interface ChartData {
  rows: ChartRow[];
  /** True when MAX_POINTS cut the result: the page says so under the chart. */
  truncated: boolean;
}

/** The SQL of each aggregate over the measured expression `v`. */
export function aggregateSql(aggregate: Aggregate, v: string): string {
  switch (aggregate) {
    case 'sum': return `CAST(sum(${v}) AS DOUBLE)`;
    case 'mean': return `avg(${v})`;
    case 'median': return `CAST(median(${v}) AS DOUBLE)`;
    case 'count': return 'CAST(count(*) AS DOUBLE)';
    case 'count_distinct': return `CAST(count(DISTINCT ${v}) AS DOUBLE)`;
    case 'min': return `CAST(min(${v}) AS DOUBLE)`;
    case 'max': return `CAST(max(${v}) AS DOUBLE)`;
    case 'none': return v;
  }
}

/** x as plotted: a calendar bucket of a date (its first day, as a DATE) or the column itself. */
function xExpression(chart: Chart): string {
  const x = quoteIdent(chart.x.name);
  return chart.bucket ? `CAST(date_trunc('${chart.bucket}', ${x}) AS DATE)` : x;
}

export async function chartData(
  source: { dataset: string; version: string; fields: FieldSpec[] },
  chart: Chart,
  query: RowQuery = { filters: [], sort: null, q: null, fields: null },
): Promise<ChartData> {
  const raw = chart.aggregate === 'none';
  const relation = versionRelation(source, raw);
  const where = whereClause(query, source.fields, relation.values.length + 1);
  const col = (name: string) => quoteIdent(name);
  const measured = chart.mark === 'cell' ? chart.color : chart.y;
  const valueAlias = chart.mark === 'cell' ? 'color' : 'y';
  const v = measured && chart.aggregate !== 'count' ? (raw ? `CAST(${col(measured.name)} AS DOUBLE)` : col(measured.name)) : 'NULL';
  // Groups: x, then y (cell) or the colour series, then the facet. Colours and facets are categories on the page.
  const groups: [string, string][] = [['x', xExpression(chart)]];
  if (chart.mark === 'cell') groups.push(['y', col(chart.y!.name)]);
  else if (chart.color) groups.push(['color', `CAST(${col(chart.color.name)} AS VARCHAR)`]);
  if (chart.facet) groups.push(['facet', `CAST(${col(chart.facet.name)} AS VARCHAR)`]);
  const series = chart.mark !== 'cell' && chart.color !== null;
  const notNull = [`${col(chart.x.name)} IS NOT NULL`, ...(measured && chart.aggregate !== 'count' ? [`${col(measured.name)} IS NOT NULL`] : [])].join(' AND ');
  const base = `SELECT ${groups.map(([alias, expr]) => `${expr} AS ${alias}`).join(', ')}, ${v} AS v${raw ? ', file_row_number' : ''}
                  FROM ${relation.sql} WHERE (${where.sql}) AND ${notNull}`;
  const limit = MAX_POINTS + 1;
  let sql: string;
  if (raw && series) {
    // Rows as they are; the colour series with the most rows keep their colour, the others share the grey one.
    const keys = groups.filter(([alias]) => alias !== 'color').map(([alias]) => `base.${alias}`);
    sql = `WITH base AS (${base}),
                ranked AS (SELECT color, row_number() OVER (ORDER BY count(*) DESC, color) AS series FROM base WHERE color IS NOT NULL GROUP BY color)
           SELECT ${keys.join(', ')}, CASE WHEN ranked.series <= ${chart.top} THEN base.color END AS color,
                  coalesce(ranked.series > ${chart.top}, true) AS other, CASE WHEN ranked.series <= ${chart.top} THEN ranked.series END AS series, v AS ${valueAlias}
             FROM base LEFT JOIN ranked ON base.color = ranked.color ORDER BY base.file_row_number LIMIT ${limit}`;
  } else if (raw) {
    sql = `SELECT ${groups.map(([alias]) => alias).join(', ')}, v AS ${valueAlias} FROM (${base}) ORDER BY file_row_number LIMIT ${limit}`;
  } else if (series) {
    // The top series by their own aggregate over the whole chart; the rest become one "other" series.
    const keys = groups.filter(([alias]) => alias !== 'color').map(([alias]) => alias);
    sql = `WITH base AS (${base}),
                ranked AS (SELECT color, row_number() OVER (ORDER BY ${aggregateSql(chart.aggregate, 'v')} DESC NULLS LAST, color) AS series
                             FROM base WHERE color IS NOT NULL GROUP BY color),
                marked AS (SELECT base.* EXCLUDE (color), CASE WHEN ranked.series <= ${chart.top} THEN base.color END AS color,
                                  CASE WHEN ranked.series <= ${chart.top} THEN ranked.series END AS series
                             FROM base LEFT JOIN ranked ON base.color = ranked.color)
           SELECT ${keys.join(', ')}, color, series IS NULL AS other, min(series) AS series, ${aggregateSql(chart.aggregate, 'v')} AS ${valueAlias}
             FROM marked GROUP BY ${[...keys, 'color', 'series IS NULL'].join(', ')}
             ORDER BY ${keys.map((k) => `${k} NULLS LAST`).join(', ')}, series NULLS LAST LIMIT ${limit}`;
  } else {
    const keys = groups.map(([alias]) => alias);
    sql = `SELECT ${keys.join(', ')}, ${aggregateSql(chart.aggregate, 'v')} AS ${valueAlias} FROM (${base})
             GROUP BY ALL ORDER BY ${keys.map((k) => `${k} NULLS LAST`).join(', ')} LIMIT ${limit}`;
  }
  const rows = await readObjects<ChartRow>(sql, [...relation.values, ...where.values]);
  return { rows: rows.slice(0, MAX_POINTS), truncated: rows.length > MAX_POINTS };
}
