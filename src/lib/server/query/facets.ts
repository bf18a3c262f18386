import { createCache } from '../cache.ts';
import { env } from '../config/env.ts';
import { quoteIdent } from '../db/sql.ts';
import type { ColumnProfile } from '../lake/manifest.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { batchable, batchedFacets } from './facet-batch.ts';
import { binBounds, histogramBinning, type Binning } from './facet-bins.ts';
import { whereClause, type RowQuery } from './filters.ts';
import { rangeFacets } from './range-facets.ts';
import { readObjects, ReadTimeout } from './read-pool.ts';
import { jsonValue, rememberTotal, versionRelation, type RowSource } from './rows.ts';

/**
 * Column facets, as Datasette has them: for any column, how the rows that pass the current filters spread over its
 * values. Text, boolean and (on request) any column: the most frequent values with their counts; numbers, dates
 * and date-times: a histogram (see facet-bins.ts). Counts are exact GROUP BY counts under every current filter.
 */
export const TOP_VALUES = 30;
/** Columns with at most this many distinct values (and more than one) are suggested as facets. */
export const SUGGEST_MAX_DISTINCT = 30;
export const MAX_FACETS = 5;
/**
 * A facet of a column with very many values on a large table is a big GROUP BY; like Datasette's facet time limit,
 * one that takes longer than KOTA_FACET_TIME_LIMIT_MS (1 s) is dropped (and said so) instead of holding the server.
 */
export const facetTimeLimitMs = (): number => env().KOTA_FACET_TIME_LIMIT_MS;

export interface ValueCount {
  /** The value as the rows API shows it (null for missing values). */
  value: unknown;
  count: number;
}

export type Facet = (
  | { column: string; kind: 'values'; values: ValueCount[]; /** More distinct values exist than are listed. */ truncated: boolean }
  | { column: string; kind: 'histogram'; bins: { from: string; to: string; count: number }[]; unit: string | null }
) & { /** Present (true) when the facet took longer than its time limit (facetTimeLimitMs) and was given up. */ timed_out?: true };

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

/** Versions never change, so neither do their facets; one given up for time is not kept (the next try may finish). */
const cache = createCache<Facet>({ max: 500, keep: (facet) => !facet.timed_out });

/** The facets of `columns` under `query`'s filters (sort and paging do not matter). */
export async function computeFacets(source: RowSource, profile: ColumnProfile[], query: RowQuery, columns: string[]): Promise<Facet[]> {
  const filters = { filters: query.filters, q: query.q, sort: null, fields: null };
  // A range over a subset asked before is counted in memory (range-facets.ts).
  const inMemory = await rangeFacets(source, profile, filters, columns);
  if (inMemory) return inMemory;
  const histograms = columns.filter((column) => facetKind(source.fields.find((f) => f.name === column)!) === 'histogram');
  // The histograms' ranges come from one scan, made only if some facet is not cached yet.
  let ranges: Promise<Map<string, Range>> | undefined;
  const rangesOnce = () => (ranges ??= histograms.length > 0 ? filteredRanges(source, profile, filters, histograms) : Promise.resolve(new Map()));
  // Facets with few groups that are not cached yet are counted together in one statement (facet-batch.ts). The
  // cache asks for each missing facet synchronously below, so by the next microtask the batch knows them all.
  const waiting: string[] = [];
  let batch: Promise<Map<string, Facet>> | undefined;
  const batched = (column: string) => {
    waiting.push(column);
    return (batch ??= Promise.resolve().then(async () =>
      waiting.length > 1 ? batchedFacets(source, await rangesOnce(), filters, waiting) : new Map<string, Facet>(),
    ));
  };
  return Promise.all(
    columns.map((column) =>
      cache.get(JSON.stringify([source.dataset, source.version, filters.filters, filters.q, column]), async () => {
        const field = source.fields.find((f) => f.name === column)!;
        const together = batchable(field, profile) ? (await batched(column)).get(column) : undefined;
        return together ?? facetOf(source, await rangesOnce(), filters, column);
      }),
    ),
  );
}

type Range = Pick<ColumnProfile, 'min' | 'max'>;

/**
 * The range of each histogram column among the rows that pass the filters, all in one scan; without filters the
 * profile already has it.
 */
async function filteredRanges(source: RowSource, profile: ColumnProfile[], query: RowQuery, columns: string[]): Promise<Map<string, Range>> {
  const fromProfile = new Map(columns.map((c) => [c, profile.find((p) => p.name === c) ?? { min: null, max: null }]));
  if (query.filters.length === 0 && !query.q) return fromProfile;
  const relation = versionRelation(source, false);
  const where = whereClause(query, source.fields, relation.values.length + 1);
  const aggregates = columns.flatMap((c, i) => [`CAST(min(${quoteIdent(c)}) AS VARCHAR) AS "lo${i}"`, `CAST(max(${quoteIdent(c)}) AS VARCHAR) AS "hi${i}"`]);
  // The same scan counts the rows, so the total beside the facets costs no query of its own.
  const [row] = await readObjects<Record<string, string | null>>(`SELECT count(*) AS n, ${aggregates.join(', ')} FROM ${relation.sql} WHERE ${where.sql}`, [...relation.values, ...where.values]);
  if (row) rememberTotal(source, query, Number(row.n));
  return new Map(columns.map((c, i) => [c, { min: row?.[`lo${i}`] ?? null, max: row?.[`hi${i}`] ?? null }]));
}

async function facetOf(source: RowSource, ranges: Map<string, Range>, query: RowQuery, column: string): Promise<Facet> {
  try {
    return await facetQuery(source, ranges, query, column);
  } catch (error) {
    if (!(error instanceof ReadTimeout)) throw error;
    const field = source.fields.find((f) => f.name === column)!;
    return facetKind(field) === 'histogram'
      ? { column, kind: 'histogram', bins: [], unit: null, timed_out: true }
      : { column, kind: 'values', values: [], truncated: false, timed_out: true };
  }
}

async function facetQuery(source: RowSource, ranges: Map<string, Range>, query: RowQuery, column: string): Promise<Facet> {
  const field = source.fields.find((f) => f.name === column)!;
  const relation = versionRelation(source, false);
  const where = whereClause(query, source.fields, relation.values.length + 1);
  const values = [...relation.values, ...where.values];
  const c = quoteIdent(field.name);
  const binning = facetKind(field) === 'histogram' ? histogramBinning(field, ranges.get(column), query.filters) : null;
  if (facetKind(field) === 'histogram') {
    const bins = binning ? await histogram(relation.sql, where.sql, values, c, field, binning) : [];
    return { column, kind: 'histogram', unit: binning?.kind === 'date' ? binning.unit : null, bins };
  }
  const rows = await readObjects<{ value: unknown; n: string }>(
    `SELECT ${c} AS value, count(*) AS n FROM ${relation.sql} WHERE ${where.sql} GROUP BY ALL ORDER BY n DESC, value NULLS LAST LIMIT ${TOP_VALUES + 1}`,
    values,
    { timeoutMs: facetTimeLimitMs() },
  );
  return {
    column,
    kind: 'values',
    truncated: rows.length > TOP_VALUES,
    values: rows.slice(0, TOP_VALUES).map((r) => ({ value: jsonValue(r.value, field.type), count: Number(r.n) })),
  };
}

async function histogram(relation: string, where: string, values: unknown[], c: string, field: FieldSpec, binning: Binning) {
  const bin = binExpression(c, binning, values.length + 1);
  const rows = await readObjects<{ b: string; n: string }>(
    `SELECT ${bin.sql} AS b, count(*) AS n FROM ${relation} WHERE (${where}) AND ${c} IS NOT NULL GROUP BY ALL`,
    [...values, ...bin.values],
    { timeoutMs: facetTimeLimitMs() },
  );
  return binCounts(rows, binning, field);
}

/**
 * A row's bin number under `binning`, as SQL; the start and width are bound like any value (parameters from `at`),
 * so one prepared statement serves every zoom level.
 */
export function binExpression(c: string, binning: Binning, at: number): { sql: string; values: string[] } {
  return binning.kind === 'number'
    ? // The nudge keeps a value on a bin's edge (0.3 with bins of 0.1) in the bin whose filter (>= 0.3) takes it.
      { sql: `CAST(floor((${c} - CAST($${at} AS DOUBLE)) / CAST($${at + 1} AS DOUBLE) + 1e-9) AS BIGINT)`, values: [String(binning.start), String(binning.step)] }
    : { sql: `date_diff('${binning.unit}', CAST($${at} AS TIMESTAMP), date_trunc('${binning.unit}', ${c}))`, values: [binning.start] };
}

/** The histogram's bins with the counts per bin number. */
export function binCounts(rows: { b: unknown; n: unknown }[], binning: Binning, field: FieldSpec) {
  const bounds = binBounds(binning, field.type);
  const counts = new Array<number>(bounds.length).fill(0);
  // Rows beyond the profile's range cannot exist in an immutable version, but a bin index is clamped all the same.
  for (const r of rows) counts[Math.min(bounds.length - 1, Math.max(0, Number(r.b)))]! += Number(r.n);
  return bounds.map((b, i) => ({ ...b, count: counts[i]! }));
}
