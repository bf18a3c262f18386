import { createCache } from '../cache.ts';
import { quoteIdent } from '../db/sql.ts';
import { versionDataPath } from '../lake/read.ts';
import { STORAGE_TYPE } from '../pipelines/coerce.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { decodeCursor, encodeCursor, type Cursor } from './cursor.ts';
import { rangeCount } from './range-count.ts';
import { readMaterialized, readObjects } from './read-pool.ts';
import { rowsAsJson } from './row-json.ts';
import { cachedTable } from './table-cache.ts';
import { valueProblem, whereClause, type RowQuery } from './filters.ts';

export const MAX_PAGE_SIZE = 1000;

export interface RowSource {
  dataset: string;
  version: string;
  fields: FieldSpec[];
}

export interface RowPage {
  columns: string[];
  /** The page's rows (parsed from `rowsJson` when first asked for). */
  readonly rows: Record<string, unknown>[];
  /** The same rows as JSON text, written from DuckDB's result vectors (row-json.ts): the API sends it on as it is. */
  rowsJson: string;
  /** Rows matching the filters, exact. */
  total: number;
  /** Keyset cursor of the next page, null on the last page. */
  next: string | null;
}

/** A cursor this API did not issue, or one made for another sort order. */
export class RowQueryError extends Error {
  readonly code: 'problem.cursor.invalid' | 'problem.cursor.other_sort';
  constructor(code: RowQueryError['code']) {
    super(code === 'problem.cursor.invalid' ? 'cursor: not a cursor this API issued; start again without it' : 'cursor: it was made for another sort order; start again without it');
    this.code = code;
  }
}

/**
 * The relation of one published version: its native copy when the table cache has one, else its Parquet file.
 * With `rowNumbers`, `file_row_number` is the row's position in the file, the stable tie-breaker for paging (the
 * native copy stores it as a column); without, DuckDB scans the Parquet in parallel freely (whole-file exports).
 */
export function versionRelation(source: RowSource, rowNumbers = true): { sql: string; values: string[] } {
  const table = cachedTable(source.dataset, source.version);
  if (table) return { sql: table, values: [] };
  const path = versionDataPath(source.dataset, source.version);
  return { sql: rowNumbers ? `read_parquet($1, file_row_number = true)` : `read_parquet($1)`, values: [path] };
}

/**
 * One page of rows, filtered and sorted, with the exact total. Paging is by keyset (`cursor`) — constant cost
 * per page — or by `offset` for clients that need it (CKAN's datastore_search).
 */
export async function queryRows(
  source: RowSource,
  query: RowQuery,
  page: { limit: number; offset?: number; cursor?: string | null },
): Promise<RowPage> {
  // A version never changes, so neither does a page of it: the same request is answered from memory.
  const key = JSON.stringify([source.dataset, source.version, query, page.limit, page.offset ?? 0, page.cursor ?? null]);
  return pageCache.get(key, () => computePage(source, query, page));
}

const pageCache = createCache<RowPage>({ max: 500 });
/** Totals per filter: paging through a filtered table counts its rows once, not once per page. */
const totalCache = createCache<number>({ max: 500 });

async function computePage(source: RowSource, query: RowQuery, page: { limit: number; offset?: number; cursor?: string | null }): Promise<RowPage> {
  const limit = Math.min(Math.max(1, Math.floor(page.limit)), MAX_PAGE_SIZE);
  // Each column once: a row is one JSON object (below), and `fields=a,a` names one key.
  const columns = [...new Set(query.fields ?? source.fields.map((f) => f.name))];
  const relation = versionRelation(source);
  const where = whereClause(query, source.fields, relation.values.length + 1);
  const sortSignature = query.sort ? `${query.sort.desc ? '-' : ''}${query.sort.column}` : '';
  let keyset = 'true';
  const keysetValues: unknown[] = [];
  if (page.cursor) {
    const cursor = decodeCursor(page.cursor);
    if (!cursor) throw new RowQueryError('problem.cursor.invalid');
    if (cursor.s !== sortSignature) throw new RowQueryError('problem.cursor.other_sort');
    keyset = afterCursor(query, source.fields, cursor, relation.values.length + where.values.length + 1, keysetValues);
  }
  // Without a sort, rows come in file order (DuckDB preserves insertion order), and LIMIT stops the scan early;
  // an ORDER BY file_row_number would make DuckDB look at every row for a top-N.
  const order = query.sort ? ` ORDER BY ${quoteIdent(query.sort.column)} ${query.sort.desc ? 'DESC' : 'ASC'} NULLS LAST, file_row_number` : '';
  const sortColumn = query.sort ? `, ${quoteIdent(query.sort.column)} AS "__sort"` : '';
  // The row's columns, then its row number and sort value; the row is written as JSON from the vectors (row-json.ts).
  const select = `SELECT ${columns.map(quoteIdent).join(', ')}, file_row_number AS "__rn"${sortColumn}
                    FROM ${relation.sql} WHERE (${where.sql}) AND (${keyset})
                    ${order} LIMIT ${limit + 1}${page.offset && !page.cursor ? ` OFFSET ${Math.max(0, Math.floor(page.offset))}` : ''}`;
  const [raw, total] = await Promise.all([
    readMaterialized(select, [...relation.values, ...where.values, ...keysetValues], (result) => rowsAsJson(result, columns)),
    countRows(source, query),
  ]);
  const hasMore = raw.rows.length > limit;
  const pageRows = raw.rows.slice(0, limit);
  const last = hasMore ? raw.extra[limit - 1] : undefined;
  const next = last ? encodeCursor({ s: sortSignature, r: Number(last[0]), ...(query.sort ? { v: (last[1] ?? null) as Cursor['v'] } : {}) }) : null;
  return pageOf(columns, `[${pageRows.join(',')}]`, total, next);
}

/** A page whose rows stay JSON text until someone asks for them as objects (the API never does). */
function pageOf(columns: string[], rowsJson: string, total: number, next: string | null): RowPage {
  let rows: Record<string, unknown>[] | undefined;
  return {
    columns,
    rowsJson,
    total,
    next,
    get rows() {
      return (rows ??= JSON.parse(rowsJson) as Record<string, unknown>[]);
    },
  };
}

/**
 * Exact count of matching rows; without filters DuckDB answers from the Parquet footer (or the table's size). A
 * range over rows counted before is counted in memory (range-count.ts).
 */
export function countRows(source: RowSource, query: RowQuery): Promise<number> {
  return totalCache.get(totalKey(source, query), async () => {
    const counted = await rangeCount(source, query);
    if (counted !== null) return counted;
    const relation = versionRelation(source, false);
    const where = whereClause(query, source.fields, relation.values.length + 1);
    const [row] = await readObjects<{ n: string }>(`SELECT count(*) AS n FROM ${relation.sql} WHERE ${where.sql}`, [...relation.values, ...where.values]);
    return Number(row!.n);
  });
}

/** A total counted by another query over the same filters (the facets' range scan counts rows too). */
export function rememberTotal(source: RowSource, query: RowQuery, total: number): void {
  void totalCache.get(totalKey(source, query), () => Promise.resolve(total));
}

function totalKey(source: RowSource, query: RowQuery): string {
  return JSON.stringify([source.dataset, source.version, query.filters, query.q]);
}

/**
 * Rows after the cursor in `ORDER BY x [DESC] NULLS LAST, file_row_number`. Spelled out per case because a
 * row-value comparison is unknown (NULL) as soon as x is NULL.
 */
function afterCursor(query: RowQuery, fields: FieldSpec[], cursor: Cursor, firstParam: number, values: unknown[]): string {
  const rn = `file_row_number > $${firstParam}`;
  values.push(cursor.r);
  if (!query.sort) return rn;
  const x = quoteIdent(query.sort.column);
  if (cursor.v === null || cursor.v === undefined) return `${x} IS NULL AND ${rn}`;
  const field = fields.find((f) => f.name === query.sort!.column)!;
  if (valueProblem(field, String(cursor.v))) throw new RowQueryError('problem.cursor.invalid');
  values.push(String(cursor.v));
  const v = `CAST($${firstParam + 1} AS ${STORAGE_TYPE[field.type]})`;
  const cmp = query.sort.desc ? '<' : '>';
  return `(${x} ${cmp} ${v} OR (${x} = ${v} AND ${rn}) OR ${x} IS NULL)`;
}

/** BIGINTs arrive as strings from DuckDB's JSON conversion; numbers that fit are numbers again. */
export function jsonValue(value: unknown, type: FieldSpec['type'] | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'integer' && typeof value === 'string') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  return value;
}
