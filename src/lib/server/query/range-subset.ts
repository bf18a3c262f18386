import { DuckDBTypeId, type DuckDBMaterializedResult, type DuckDBVector } from '@duckdb/node-api';
import { env } from '../config/env.ts';
import { quoteIdent } from '../db/sql.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { whereClause, type Filter, type RowQuery } from './filters.ts';
import { readMaterialized } from './read-pool.ts';
import { versionRelation, type RowSource } from './rows.ts';

/**
 * Range subsets: the exploring filter people repeat most — some filters that pick a subset of the rows (a
 * kecamatan, a category) plus a range on one number or date column (`jumlah__gte=500`, a histogram being brushed)
 * — answered in memory. The subset's rows are read from DuckDB once, sorted by the range column, and every later
 * range over the same subset is two binary searches into them (range-count.ts counts the window, range-facets.ts
 * counts facets in it).
 *
 * Why: DuckDB plans a statement with bound values again at every run (so the values can prune row groups), and on
 * a native table that planning is most of a small filtered query (measured on the 1 M-row bench table, one thread:
 * ~0.9–1.0 ms per count with parameters, ~0.45 ms for the same statement with its values written in).
 *
 * A subset is read on its second ask (a one-off filter costs what it did), and kept within BUDGET_BYTES with the
 * least recently used dropped first. Versions never change, so a subset never goes stale. Comparisons are DuckDB's:
 * values come sorted by DuckDB's `ORDER BY` (NaN after every number, as DuckDB compares it), bounds are converted
 * exactly as DuckDB's CAST converts the same text, and anything converted with doubt is left to DuckDB.
 */
const BUDGET_BYTES = 64 * 1024 * 1024;
/*
 * A subset's read is one statement that sorts the subset (on the 1 M-row bench table, ~5 ms for 33,000 rows, ~50–76
 * ms for all of them): like a facet it is given up after KOTA_FACET_TIME_LIMIT_MS, and then the subset is answered
 * by DuckDB's statements as if never read (readAndKeep).
 */
/** Subsets asked for once, remembered so the second ask reads them, and subsets kept (bounded either way). */
const SEEN_MAX = 2000;
const SUBSETS_MAX = 500;

/** A range column's sorted values: BIGINT and TIMESTAMP as bigint, DOUBLE as number, DATE as days. */
export type SortedValues = BigInt64Array | Float64Array | Int32Array;
export type Bound = bigint | number;
const RANGE_OPS = new Set<Filter['op']>(['gt', 'gte', 'lt', 'lte']);
const RANGE_TYPES = new Set<FieldSpec['type']>(['integer', 'number', 'date', 'datetime']);

export interface RangeShape {
  column: FieldSpec;
  bounds: { op: Filter['op']; bound: Bound }[];
  /** Every other filter, and the text search: they choose the subset. */
  rest: Filter[];
  q: string | null;
}

/**
 * The ways `query` is "a subset + a range": one per column its range operators name (a number or date column with
 * every bound exact), the other filters (other columns' ranges included) choosing the subset. Two histograms
 * brushed one after the other are then two ways, and the one whose subset stays the same is kept (rangeSubset).
 */
export function rangeShapes(fields: FieldSpec[], query: Pick<RowQuery, 'filters' | 'q'>): RangeShape[] {
  const shapes: RangeShape[] = [];
  for (const name of new Set(query.filters.filter((f) => RANGE_OPS.has(f.op)).map((f) => f.column))) {
    const column = fields.find((f) => f.name === name);
    if (!column || !RANGE_TYPES.has(column.type)) continue;
    const own = (f: Filter) => f.column === name && RANGE_OPS.has(f.op);
    const bounds = query.filters.filter(own).map((f) => ({ op: f.op, bound: exactBound(column.type, f.values[0] ?? '') }));
    if (bounds.some((b) => b.bound === null)) continue;
    shapes.push({ column, bounds: bounds as RangeShape['bounds'], rest: query.filters.filter((f) => !own(f)), q: query.q });
  }
  return shapes;
}

const DAY_MICROS = 86_400_000_000n;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;

/**
 * A filter's text as the value DuckDB's CAST makes of it, in the representation of SortedValues, or null if not
 * sure. The text was validated already (filters.ts valueProblem); years before 1000 and fractions of a second finer
 * than a microsecond are left to DuckDB.
 */
export function exactBound(type: FieldSpec['type'], text: string): Bound | null {
  switch (type) {
    case 'integer':
      return /^[+-]?\d+$/.test(text) ? BigInt(text) : null;
    case 'number': {
      const n = Number(text);
      return Number.isFinite(n) && text.trim() !== '' ? n : null;
    }
    case 'date': {
      const m = DATE.exec(text);
      return m ? dayNumber(m) : null;
    }
    case 'datetime': {
      const m = DATETIME.exec(text);
      if (!m) return null;
      const days = dayNumber(m);
      if (days === null) return null;
      const [hour = '0', minute = '0', second = '0', fraction = ''] = m.slice(4);
      const micros = ((Number(hour) * 60 + Number(minute)) * 60 + Number(second)) * 1_000_000 + Number(fraction.padEnd(6, '0') || '0');
      return BigInt(days) * DAY_MICROS + BigInt(micros);
    }
    default:
      return null;
  }
}

function dayNumber(m: RegExpExecArray): number | null {
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1000) return null;
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2024-02-30 over into March; DuckDB refuses it (and filters.ts before it).
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms / 86_400_000;
}

/** The positions [from, to) of the sorted values inside every bound of the shape. */
export function rangeWindow(values: SortedValues, bounds: RangeShape['bounds']): { from: number; to: number } {
  let from = 0;
  let to = values.length;
  for (const { op, bound } of bounds) {
    if (op === 'gte') from = Math.max(from, firstAtLeast(values, bound, false));
    else if (op === 'gt') from = Math.max(from, firstAtLeast(values, bound, true));
    else if (op === 'lt') to = Math.min(to, firstAtLeast(values, bound, false));
    else to = Math.min(to, firstAtLeast(values, bound, true));
  }
  return { from, to: Math.max(from, to) };
}

/** Index of the first value >= bound (or > bound when `strictly`); values.length if none. NaN counts as largest. */
function firstAtLeast(values: SortedValues, bound: Bound, strictly: boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = values[mid]!;
    // `v < bound` is false for NaN, so NaN (sorted last by DuckDB) is never "below": DuckDB's NaN > every number.
    const below = strictly ? v <= bound : v < bound;
    if (below) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The storage type each range column type must have, and the typed array its values are copied into. */
const STORED: Partial<Record<FieldSpec['type'], { typeId: DuckDBTypeId; array: new (size: number) => SortedValues }>> = {
  integer: { typeId: DuckDBTypeId.BIGINT, array: BigInt64Array },
  number: { typeId: DuckDBTypeId.DOUBLE, array: Float64Array },
  date: { typeId: DuckDBTypeId.DATE, array: Int32Array },
  datetime: { typeId: DuckDBTypeId.TIMESTAMP, array: BigInt64Array },
};

/**
 * Copies a column of non-null values out of DuckDB's vectors (their own typed arrays, the binding's `items`, not in
 * its typings: copied whole, not value by value). Null when the column is not stored as expected.
 */
export function copyValues(type: FieldSpec['type'], typeId: DuckDBTypeId, vectors: DuckDBVector[], size: number): SortedValues | null {
  const stored = STORED[type];
  if (!stored || typeId !== stored.typeId) return null;
  const values = new stored.array(size);
  let at = 0;
  for (const vector of vectors) {
    const items = (vector as unknown as { items?: unknown }).items;
    if (!(items instanceof stored.array)) return null;
    (values as BigInt64Array).set(items as BigInt64Array, at);
    at += items.length;
  }
  return at === size ? values : null;
}

interface Kept {
  bytes: number;
}

/** Subsets read or being read (null: too large, or not stored as expected), most recently used last. */
const subsets = new Map<string, Promise<Kept | null>>();
/** Bytes of each subset read and kept, counted against the budget. */
const keptBytes = new Map<string, number>();
const seen = new Set<string>();
let usedBytes = 0;

/**
 * The subset `query` chooses for `purpose` (a count, a set of facet columns: part of the key), read with `read` and
 * kept, with the shape it answers by; null when nothing is kept or read for it: its first ask (the caller asks
 * DuckDB), no range shape, the subsets turned off. With several shapes (ranges on several columns), the first whose
 * subset is kept answers; else the first asked before is read now; else each is remembered as asked. Concurrent
 * askers share one read.
 */
export async function rangeSubset<T extends Kept>(
  source: RowSource,
  query: Pick<RowQuery, 'filters' | 'q'>,
  purpose: unknown,
  read: (shape: RangeShape) => Promise<T | null>,
): Promise<{ shape: RangeShape; subset: T } | null> {
  if (env().KOTA_RANGE_SUBSETS === 'off') return null;
  const ways = rangeShapes(source.fields, query).map((shape) => ({
    shape,
    key: JSON.stringify([purpose, source.dataset, source.version, shape.column.name, shape.rest, shape.q]),
  }));
  const kept = ways.find((way) => subsets.has(way.key));
  if (kept) {
    const subset = subsets.get(kept.key)!;
    subsets.delete(kept.key);
    subsets.set(kept.key, subset);
    return answer(kept.shape, (await subset) as T | null);
  }
  const again = ways.find((way) => seen.has(way.key));
  if (!again) {
    for (const { key } of ways) {
      if (seen.size >= SEEN_MAX) seen.delete(seen.values().next().value!);
      seen.add(key);
    }
    return null;
  }
  return answer(again.shape, (await readAndKeep(again.key, () => read(again.shape))) as T | null);
}

const answer = <T>(shape: RangeShape, subset: T | null) => (subset ? { shape, subset } : null);

/**
 * The statement that reads a shape's subset: the range column's non-null values sorted by DuckDB, `columns` beside
 * them, at most `limit` rows (one more comes back when the subset is larger), within the facet time limit.
 */
export function readSortedSubset(source: RowSource, shape: RangeShape, columns: string[], limit: number): Promise<DuckDBMaterializedResult> {
  const relation = versionRelation(source, false);
  const where = whereClause({ filters: shape.rest, q: shape.q, sort: null, fields: null }, source.fields, relation.values.length + 1);
  const c = quoteIdent(shape.column.name);
  const selected = [c, ...columns.map(quoteIdent)].join(', ');
  const sql = `SELECT ${selected} FROM ${relation.sql} WHERE (${where.sql}) AND ${c} IS NOT NULL ORDER BY ${c} LIMIT ${limit + 1}`;
  return readMaterialized(sql, [...relation.values, ...where.values], (result) => result, { timeoutMs: env().KOTA_FACET_TIME_LIMIT_MS });
}

/** One column of a materialised result, as its vectors (one a chunk). */
export function vectorsOf(result: DuckDBMaterializedResult, column: number): DuckDBVector[] {
  return Array.from({ length: result.chunkCount }, (_, i) => result.getChunk(i).getColumnVector(column));
}

function readAndKeep(key: string, read: () => Promise<Kept | null>): Promise<Kept | null> {
  seen.delete(key);
  // A read that fails (its time limit, an interrupted connection) leaves the subset to DuckDB, for good: kept as null.
  const reading = read().catch((error: unknown) => {
    console.warn(`[range-subsets] a subset was not read, DuckDB answers it: ${(error as Error).message.split('\n')[0]}`);
    return null;
  });
  subsets.set(key, reading);
  void reading.then((kept) => subsets.get(key) === reading && admit(key, kept?.bytes ?? 0));
  return reading;
}

/** Counts a subset against the budget, dropping the least recently used others to make room. */
function admit(key: string, bytes: number): void {
  keptBytes.set(key, bytes);
  usedBytes += bytes;
  for (const other of subsets.keys()) {
    if (usedBytes <= BUDGET_BYTES && subsets.size <= SUBSETS_MAX) break;
    if (other === key) continue;
    subsets.delete(other);
    usedBytes -= keptBytes.get(other) ?? 0;
    keptBytes.delete(other);
  }
}

/** For tests: forget every subset. */
export function clearRangeSubsets(): void {
  subsets.clear();
  keptBytes.clear();
  seen.clear();
  usedBytes = 0;
}
