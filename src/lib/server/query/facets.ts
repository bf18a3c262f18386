import { quoteIdent } from '../db/sql.ts';
import type { ColumnProfile } from '../lake/manifest.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { binBounds, histogramBinning, type Binning } from './facet-bins.ts';
import { whereClause, type RowQuery } from './filters.ts';
import { readObjects } from './read-pool.ts';
import { jsonValue, versionRelation, type RowSource } from './rows.ts';

/**
 * Column facets, as Datasette has them: for any column, how the rows that pass the current filters spread over its
 * values. Text, boolean and (on request) any column: the most frequent values with their counts; numbers, dates
 * and date-times: a histogram (see facet-bins.ts). Counts are exact GROUP BY counts under every current filter.
 */
export const TOP_VALUES = 30;
/** Columns with at most this many distinct values (and more than one) are suggested as facets. */
export const SUGGEST_MAX_DISTINCT = 30;
export const MAX_FACETS = 5;

export interface ValueCount {
  /** The value as the rows API shows it (null for missing values). */
  value: unknown;
  count: number;
}

export type Facet =
  | { column: string; kind: 'values'; values: ValueCount[]; /** More distinct values exist than are listed. */ truncated: boolean }
  | { column: string; kind: 'histogram'; bins: { from: string; to: string; count: number }[]; unit: string | null };

/** Histograms for numbers and dates; top values for everything else. */
export function facetKind(field: FieldSpec): Facet['kind'] {
  return ['integer', 'number', 'date', 'datetime'].includes(field.type) ? 'histogram' : 'values';
}

/** Low-cardinality columns worth a facet, most useful (fewest values, fewest gaps) first; never geometry. */
export function suggestedFacets(fields: FieldSpec[], profile: ColumnProfile[]): string[] {
  return fields
    .map((field) => ({ field, p: profile.find((p) => p.name === field.name) }))
    .filter(({ field, p }) => field.type !== 'geometry' && p && p.distinct > 1 && p.distinct <= SUGGEST_MAX_DISTINCT && !p.distinct_approximate)
    .sort((a, b) => a.p!.distinct - b.p!.distinct || a.p!.nulls - b.p!.nulls)
    .map(({ field }) => field.name);
}

const cache = new Map<string, Promise<Facet>>();
const CACHE_ENTRIES = 500;

/** The facets of `columns` under `query`'s filters (sort and paging do not matter). Versions never change, so kept. */
export function computeFacets(source: RowSource, profile: ColumnProfile[], query: RowQuery, columns: string[]): Promise<Facet[]> {
  const filters = { filters: query.filters, q: query.q, sort: null, fields: null };
  return Promise.all(
    columns.map((column) => {
      const key = JSON.stringify([source.dataset, source.version, filters.filters, filters.q, column]);
      let found = cache.get(key);
      if (!found) {
        found = facetOf(source, profile, filters, column);
        found.catch(() => cache.delete(key));
        cache.set(key, found);
        if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
      }
      return found;
    }),
  );
}

async function facetOf(source: RowSource, profile: ColumnProfile[], query: RowQuery, column: string): Promise<Facet> {
  const field = source.fields.find((f) => f.name === column)!;
  const relation = versionRelation(source, false);
  const where = whereClause(query, source.fields, relation.values.length + 1);
  const values = [...relation.values, ...where.values];
  const c = quoteIdent(field.name);
  const binning = facetKind(field) === 'histogram' ? histogramBinning(field, profile.find((p) => p.name === column), query.filters) : null;
  if (binning) return { column, kind: 'histogram', unit: binning.kind === 'date' ? binning.unit : null, bins: await histogram(relation.sql, where.sql, values, c, field, binning) };
  const rows = await readObjects<{ value: unknown; n: string }>(
    `SELECT ${c} AS value, count(*) AS n FROM ${relation.sql} WHERE ${where.sql} GROUP BY ALL ORDER BY n DESC, value NULLS LAST LIMIT ${TOP_VALUES + 1}`,
    values,
  );
  return {
    column,
    kind: 'values',
    truncated: rows.length > TOP_VALUES,
    values: rows.slice(0, TOP_VALUES).map((r) => ({ value: jsonValue(r.value, field.type), count: Number(r.n) })),
  };
}

async function histogram(relation: string, where: string, values: unknown[], c: string, field: FieldSpec, binning: Binning) {
  const bounds = binBounds(binning, field.type);
  // The start and width are bound like any value, so one prepared statement serves every zoom level.
  const at = values.length + 1;
  const bin =
    binning.kind === 'number'
      ? // The nudge keeps a value on a bin's edge (0.3 with bins of 0.1) in the bin whose filter (>= 0.3) takes it.
        `CAST(floor((${c} - CAST($${at} AS DOUBLE)) / CAST($${at + 1} AS DOUBLE) + 1e-9) AS BIGINT)`
      : `date_diff('${binning.unit}', CAST($${at} AS TIMESTAMP), date_trunc('${binning.unit}', ${c}))`;
  const binValues = binning.kind === 'number' ? [String(binning.start), String(binning.step)] : [binning.start];
  const rows = await readObjects<{ b: string; n: string }>(
    `SELECT ${bin} AS b, count(*) AS n FROM ${relation} WHERE (${where}) AND ${c} IS NOT NULL GROUP BY ALL`,
    [...values, ...binValues],
  );
  const counts = new Array<number>(bounds.length).fill(0);
  // Rows beyond the profile's range cannot exist in an immutable version, but a bin index is clamped all the same.
  for (const r of rows) counts[Math.min(bounds.length - 1, Math.max(0, Number(r.b)))]! += Number(r.n);
  return bounds.map((b, i) => ({ ...b, count: counts[i]! }));
}
