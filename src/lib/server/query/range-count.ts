import { quoteIdent } from '../db/sql.ts';
import { whereClause, type RowQuery } from './filters.ts';
import { copyValues, rangeShapes, rangeSubsetOf, rangeWindow, subsetReadLimitMs, type RangeShape, type SortedValues } from './range-subset.ts';
import { readMaterialized } from './read-pool.ts';
import { versionRelation, type RowSource } from './rows.ts';

/**
 * Exact totals of "a subset + a range on one column" (range-subset.ts) by binary search over the subset's sorted
 * values of that column: 8 bytes a row at most, so subsets up to MAX_SUBSET_VALUES rows are kept.
 */
const MAX_SUBSET_VALUES = 2_000_000;

/**
 * The number of rows of `source` that pass `query`'s filters, or null when this module does not answer it (not a
 * range shape, a subset asked for the first time or too large): the caller asks DuckDB.
 */
export async function rangeCount(source: RowSource, query: Pick<RowQuery, 'filters' | 'q'>): Promise<number | null> {
  const ways = rangeShapes(source.fields, query).map((shape) => ({
    shape,
    key: JSON.stringify(['count', source.dataset, source.version, shape.column.name, shape.rest, shape.q]),
    read: () => readSortedColumn(source, shape),
  }));
  const found = await rangeSubsetOf(ways);
  if (!found?.subset) return null;
  const { from, to } = rangeWindow(found.subset.values, found.way.shape.bounds);
  return to - from;
}

/** The column's non-null values among the rows the other filters pass, sorted by DuckDB; null if too many. */
async function readSortedColumn(source: RowSource, { column, rest, q }: RangeShape): Promise<{ values: SortedValues; bytes: number } | null> {
  const relation = versionRelation(source, false);
  const where = whereClause({ filters: rest, q, sort: null, fields: null }, source.fields, relation.values.length + 1);
  const c = quoteIdent(column.name);
  const sql = `SELECT ${c} FROM ${relation.sql} WHERE (${where.sql}) AND ${c} IS NOT NULL ORDER BY ${c} LIMIT ${MAX_SUBSET_VALUES + 1}`;
  return readMaterialized(sql, [...relation.values, ...where.values], (result) => {
    if (result.rowCount > MAX_SUBSET_VALUES) return null;
    const vectors = Array.from({ length: result.chunkCount }, (_, i) => result.getChunk(i).getColumnVector(0));
    const values = copyValues(column.type, result.columnTypeId(0), vectors, result.rowCount);
    return values ? { values, bytes: values.byteLength } : null;
  }, { timeoutMs: subsetReadLimitMs() });
}
