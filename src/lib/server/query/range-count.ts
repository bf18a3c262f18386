import type { RowQuery } from './filters.ts';
import { copyValues, rangeSubset, rangeWindow, readSortedSubset, vectorsOf, type RangeShape, type SortedValues } from './range-subset.ts';
import type { RowSource } from './rows.ts';

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
  const found = await rangeSubset(source, query, 'count', (shape) => readSortedColumn(source, shape));
  if (!found) return null;
  const { from, to } = rangeWindow(found.subset.values, found.shape.bounds);
  return to - from;
}

/** The column's non-null values among the rows the other filters pass, sorted by DuckDB; null if too many. */
async function readSortedColumn(source: RowSource, shape: RangeShape): Promise<{ values: SortedValues; bytes: number } | null> {
  const result = await readSortedSubset(source, shape, [], MAX_SUBSET_VALUES);
  if (result.rowCount > MAX_SUBSET_VALUES) return null;
  const values = copyValues(shape.column.type, result.columnTypeId(0), vectorsOf(result, 0), result.rowCount);
  return values ? { values, bytes: values.byteLength } : null;
}
