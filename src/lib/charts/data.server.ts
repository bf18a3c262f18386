import { withConnection } from '../server/catalog/index-db.ts';
import { quoteIdent } from '../server/db/sql.ts';
import { versionDataPath } from '../server/lake/read.ts';
import type { FieldSpec } from '../server/lake/schema.ts';
import { whereClause, type RowQuery } from '../server/query/filters.ts';
import type { ChartRow } from './common.ts';
import type { Chart } from './spec.ts';

/**
 * The rows a chart draws, computed in DuckDB: server-side SVG is for small data, so rows are grouped by x (and
 * colour, facet) with y summed or counted before Plot sees them. Scatter plots (dot with a y) keep their rows
 * but stop at MAX_POINTS. The table's filters apply, so a chart shows what the table shows.
 */
export const MAX_POINTS = 3000;

export interface ChartData {
  rows: ChartRow[];
  /** True when MAX_POINTS cut the result: the page says so under the chart. */
  truncated: boolean;
}

export async function chartData(
  source: { dataset: string; version: string; fields: FieldSpec[] },
  chart: Chart,
  query: RowQuery = { filters: [], sort: null, q: null, fields: null },
): Promise<ChartData> {
  const where = whereClause(query, source.fields, 2);
  const col = (name: string) => quoteIdent(name);
  const groups: [string, string][] = [['x', col(chart.x.name)]];
  let value: string;
  if (chart.mark === 'cell') {
    groups.push(['y', col(chart.y!.name)]);
    value = chart.color ? `CAST(sum(${col(chart.color.name)}) AS DOUBLE)` : 'CAST(count(*) AS DOUBLE)';
  } else {
    // Colours and facets are categories on the page, whatever their column type.
    if (chart.color) groups.push(['color', `CAST(${col(chart.color.name)} AS VARCHAR)`]);
    value = chart.aggregate === 'sum' ? `CAST(sum(${col(chart.y!.name)}) AS DOUBLE)` : chart.aggregate === 'count' ? 'CAST(count(*) AS DOUBLE)' : `CAST(${col(chart.y!.name)} AS DOUBLE)`;
  }
  if (chart.facet) groups.push(['facet', `CAST(${col(chart.facet.name)} AS VARCHAR)`]);
  const valueAlias = chart.mark === 'cell' ? 'color' : 'y';
  const selectGroups = groups.map(([alias, expr]) => `${expr} AS ${alias}`).join(', ');
  const notNull = `${col(chart.x.name)} IS NOT NULL${chart.y && chart.aggregate !== 'count' ? ` AND ${col(chart.y.name)} IS NOT NULL` : ''}`;
  const from = `read_parquet($1) WHERE (${where.sql}) AND ${notNull}`;
  const sql =
    chart.aggregate === 'none'
      ? `SELECT ${selectGroups}, ${value} AS ${valueAlias} FROM ${from.replace('read_parquet($1)', 'read_parquet($1, file_row_number = true)')}
           ORDER BY file_row_number LIMIT ${MAX_POINTS + 1}`
      : `SELECT ${selectGroups}, ${value} AS ${valueAlias} FROM ${from}
           GROUP BY ALL ORDER BY ${groups.map((_, i) => `${i + 1} NULLS LAST`).join(', ')} LIMIT ${MAX_POINTS + 1}`;
  return withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(sql, [versionDataPath(source.dataset, source.version), ...where.values] as never);
    const rows = reader.getRowObjectsJson() as unknown as ChartRow[];
    return { rows: rows.slice(0, MAX_POINTS), truncated: rows.length > MAX_POINTS };
  });
}
