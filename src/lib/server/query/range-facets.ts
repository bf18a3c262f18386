import type { DuckDBVector } from '@duckdb/node-api';
import type { ColumnProfile } from '../lake/manifest.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { batchable, topValues } from './facet-batch.ts';
import { histogramBinning, toMillis, type Binning } from './facet-bins.ts';
import { binCounts, facetKind, type Facet } from './facets.ts';
import type { Filter, RowQuery } from './filters.ts';
import { copyValues, rangeSubset, rangeWindow, readSortedSubset, vectorsOf, type RangeShape, type SortedValues } from './range-subset.ts';
import { rememberTotal, type RowSource } from './rows.ts';

/**
 * Facets under "a subset + a range on one column" (range-subset.ts) counted in memory: the subset's rows are kept
 * sorted by the range column with the facet columns beside it, so a new range is a window of those arrays, and its
 * facets are counts over the window — the brushing of a histogram on the dataset page, or a slider in a client,
 * without a DuckDB statement per move (a facets request was two: the ranges-and-total scan and the batch).
 *
 * The answers are the DuckDB queries' own (facets.ts, facet-batch.ts; tested side by side): top values by count
 * then DuckDB's order of values, missing values a value of their own; histograms binned by facet-bins.ts over the
 * window's range, with the bin of a value computed in the same double arithmetic as the SQL (`floor((v - start) /
 * step + 1e-9)`), min and max as DuckDB has them (NaN above every number). Only what that holds for is answered
 * here: text and boolean facets with few values (facet-batch.ts's batchable), number, date and date-time histograms;
 * anything else (columns with many values, dates outside the years 1000–9999) goes to DuckDB, and so do subsets
 * larger than MAX_SUBSET_ROWS: their values are read one by one on the main thread.
 */
const MAX_SUBSET_ROWS = 250_000;

interface ValueColumn {
  kind: 'values';
  field: FieldSpec;
  /** Each row's value as an index into `dictionary`. */
  codes: Int32Array;
  dictionary: unknown[];
}

interface NumberColumn {
  kind: 'histogram';
  field: FieldSpec;
  /** Each row's value as asNumber gives it, and whether it has one. */
  values: Float64Array;
  present: Uint8Array;
}

interface FacetSubset {
  sorted: SortedValues;
  columns: Map<string, ValueColumn | NumberColumn>;
  bytes: number;
}

/** The facets of `columns` under `query`, in their order, or null when they are left to DuckDB. */
export async function rangeFacets(source: RowSource, profile: ColumnProfile[], query: RowQuery, columns: string[]): Promise<Facet[] | null> {
  const fields = columns.map((column) => source.fields.find((f) => f.name === column)!);
  if (fields.some((field) => !answerable(field, profile))) return null;
  const names = [...new Set(columns)].sort();
  const found = await rangeSubset(source, query, ['facets', names], (shape) => readSubset(source, shape, names));
  if (!found) return null;
  const { subset } = found;
  const { from, to } = rangeWindow(subset.sorted, found.shape.bounds);
  rememberTotal(source, query, to - from);
  const facets: Facet[] = [];
  for (const field of fields) {
    const column = subset.columns.get(field.name)!;
    const facet = column.kind === 'values' ? valueFacet(column, from, to) : histogramFacet(column, from, to, query.filters);
    // A date histogram whose range this module cannot write as DuckDB does (see dateHistogram): all go to DuckDB.
    if (!facet) return null;
    facets.push(facet);
  }
  return facets;
}

function answerable(field: FieldSpec, profile: ColumnProfile[]): boolean {
  if (!batchable(field, profile)) return false;
  return facetKind(field) === 'values' ? field.type === 'string' || field.type === 'boolean' : ['integer', 'number', 'date', 'datetime'].includes(field.type);
}

function valueFacet(column: ValueColumn, from: number, to: number): Facet {
  const counts = new Int32Array(column.dictionary.length);
  for (let i = from; i < to; i++) counts[column.codes[i]!]!++;
  const groups: { value: unknown; n: number }[] = [];
  counts.forEach((n, code) => n > 0 && groups.push({ value: column.dictionary[code], n }));
  return topValues(column.field, groups);
}

function histogramFacet(column: NumberColumn, from: number, to: number, filters: Filter[]): Facet | null {
  const { values, present, field } = column;
  if (field.type === 'date' || field.type === 'datetime') return dateHistogram(column, from, to, filters);
  // min and max as DuckDB's aggregates give them: NaN is above every number, so it is the max as soon as one is there.
  let min = NaN;
  let max = NaN;
  let any = false;
  let nan = false;
  for (let i = from; i < to; i++) {
    if (!present[i]) continue;
    const v = values[i]!;
    if (Number.isNaN(v)) {
      nan = true;
      continue;
    }
    if (!any || v < min) min = v;
    if (!any || v > max) max = v;
    any = true;
  }
  const none = { column: field.name, kind: 'histogram' as const, unit: null, bins: [] };
  if (!any && !nan) return none;
  const binning = histogramBinning(field, { min: any ? min : NaN, max: nan ? NaN : max }, filters);
  if (!binning || binning.kind !== 'number') return none;
  const { start, step } = binning;
  return { ...none, bins: binned(column, from, to, binning, (v) => Math.floor((v - start) / step + 1e-9)) };
}

/** The window's values with one, counted per bin number (`binOf`, as the SQL numbers the bins), as facets.ts gives the bins. */
function binned(column: NumberColumn, from: number, to: number, binning: Binning, binOf: (value: number) => number) {
  const perBin = new Map<number, number>();
  for (let i = from; i < to; i++) {
    if (!column.present[i]) continue;
    const b = binOf(column.values[i]!);
    perBin.set(b, (perBin.get(b) ?? 0) + 1);
  }
  return binCounts([...perBin].map(([b, n]) => ({ b, n })), binning, column.field);
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** 1000-01-01 and 10000-01-01: within these, DuckDB writes a DATE or TIMESTAMP as ISO text does. */
const FROM_MS = Date.UTC(1000, 0, 1);
const TO_MS = Date.UTC(10000, 0, 1);

/**
 * A date or date-time histogram over the window, as the SQL makes it: the range is DuckDB's min and max as text (read
 * back to the millisecond by facet-bins.ts, so milliseconds are all that matter here), and a value's bin is
 * `date_diff(unit, start, date_trunc(unit, value))`: whole years, months (12 a year), days or hours between the
 * bins' start and the value's own year, month, day or hour, in UTC. Null (DuckDB answers) when the range reaches
 * outside the years 1000–9999 (DuckDB's text differs there: `infinity`, `(BC)`, five-digit years).
 */
function dateHistogram(column: NumberColumn, from: number, to: number, filters: Filter[]): Facet | null {
  const { values, present, field } = column;
  let min = Infinity;
  let max = -Infinity;
  for (let i = from; i < to; i++) {
    if (!present[i]) continue;
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const none = { column: field.name, kind: 'histogram' as const, unit: null, bins: [] };
  if (min === Infinity) return none;
  if (min < FROM_MS || max >= TO_MS) return null;
  const binning = histogramBinning(field, { min: new Date(min).toISOString(), max: new Date(max).toISOString() }, filters);
  if (!binning) return none;
  if (binning.kind !== 'date') return null;
  const start = new Date(toMillis(binning.start));
  const [startHour, startDay] = [Math.floor(start.getTime() / HOUR_MS), Math.floor(start.getTime() / DAY_MS)];
  const binOf = (ms: number): number => {
    if (binning.unit === 'hour') return Math.floor(ms / HOUR_MS) - startHour;
    if (binning.unit === 'day') return Math.floor(ms / DAY_MS) - startDay;
    const date = new Date(ms);
    const years = date.getUTCFullYear() - start.getUTCFullYear();
    return binning.unit === 'year' ? years : years * 12 + date.getUTCMonth() - start.getUTCMonth();
  };
  return { column: field.name, kind: 'histogram', unit: binning.unit, bins: binned(column, from, to, binning, binOf) };
}

/** The subset's rows with a value in the range column, sorted by it, with the facet columns beside it. */
async function readSubset(source: RowSource, shape: RangeShape, names: string[]): Promise<FacetSubset | null> {
  const result = await readSortedSubset(source, shape, names, MAX_SUBSET_ROWS);
  if (result.rowCount > MAX_SUBSET_ROWS) return null;
  const sorted = copyValues(shape.column.type, result.columnTypeId(0), vectorsOf(result, 0), result.rowCount);
  if (!sorted) return null;
  const columns = new Map<string, ValueColumn | NumberColumn>();
  let bytes = sorted.byteLength;
  for (const [i, name] of names.entries()) {
    const field = source.fields.find((f) => f.name === name)!;
    const column = facetKind(field) === 'values' ? await valueColumn(field, vectorsOf(result, i + 1), result.rowCount) : await numberColumn(field, vectorsOf(result, i + 1), result.rowCount);
    columns.set(name, column);
    bytes += column.kind === 'values' ? column.codes.byteLength + dictionaryBytes(column.dictionary) : column.values.byteLength + column.present.byteLength;
  }
  return { sorted, columns, bytes };
}

/** What a subset's own copy of a text column's distinct values holds (UTF-16 strings and their headers). */
function dictionaryBytes(dictionary: unknown[]): number {
  return dictionary.reduce<number>((sum, value) => sum + (typeof value === 'string' ? 2 * value.length + 32 : 8), 0);
}

/** Values are read one by one (strings have no typed array); the main thread is given back between chunks. */
async function valueColumn(field: FieldSpec, vectors: DuckDBVector[], size: number): Promise<ValueColumn> {
  const codes = new Int32Array(size);
  const dictionary: unknown[] = [];
  const codeOf = new Map<unknown, number>();
  let at = 0;
  for (const [n, vector] of vectors.entries()) {
    for (let i = 0; i < vector.itemCount; i++) {
      const value = vector.getItem(i);
      let code = codeOf.get(value);
      if (code === undefined) {
        code = dictionary.push(value) - 1;
        codeOf.set(value, code);
      }
      codes[at++] = code;
    }
    if (n % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
  }
  return { kind: 'values', field, codes, dictionary };
}

/**
 * A number as the SQL bins it (whole numbers as doubles), a date or date-time as milliseconds since 1970 rounded
 * down: exact (the micros of a timestamp beyond 2^53 are not), and all that the bins and facet-bins.ts read of it.
 */
function asNumber(value: unknown, type: FieldSpec['type']): number {
  if (type === 'date') return (value as { days: number }).days * DAY_MS;
  if (type === 'datetime') {
    const micros = (value as { micros: bigint }).micros;
    const ms = micros / 1000n;
    return Number(micros < 0n && ms * 1000n !== micros ? ms - 1n : ms);
  }
  return Number(value);
}

async function numberColumn(field: FieldSpec, vectors: DuckDBVector[], size: number): Promise<NumberColumn> {
  const values = new Float64Array(size);
  const present = new Uint8Array(size);
  let at = 0;
  for (const [n, vector] of vectors.entries()) {
    for (let i = 0; i < vector.itemCount; i++, at++) {
      const value = vector.getItem(i);
      if (value === null) continue;
      values[at] = asNumber(value, field.type);
      present[at] = 1;
    }
    if (n % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
  }
  return { kind: 'histogram', field, values, present };
}
