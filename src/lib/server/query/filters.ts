import { quoteIdent } from '../db/sql.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { STORAGE_TYPE } from '../pipelines/coerce.ts';
import { problem, type Problem } from '../validation/problem.ts';

/**
 * The row filter language shared by the data table, the rows API, downloads and CKAN's datastore_search:
 * `col=v`, `col__ne=v`, `col__gt|gte|lt|lte=v`, `col__in=a,b`, `col__contains=v`, `col__startswith=v`,
 * `col__isnull=1`, `col__notnull=1`; plus `q` (text search), `_sort=col` / `_sort=-col`, `fields=a,b`.
 * Values are validated against the column type here and always bound as parameters, never spliced into SQL.
 */
export const OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'startswith', 'isnull', 'notnull'] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Filter {
  column: string;
  op: Operator;
  values: string[];
}

export interface Sort {
  column: string;
  desc: boolean;
}

export interface RowQuery {
  filters: Filter[];
  sort: Sort | null;
  q: string | null;
  fields: string[] | null;
}

/** A problem with the request, phrased for the person who wrote the URL (in their language: see Problem). */
export type QueryProblem = Problem;

/** Query parameters that are not filters. */
const RESERVED = new Set(['q', '_sort', 'sort', 'fields', 'limit', 'offset', 'cursor', 'next', 'page', 'lang', 'format', '_size', 'per_page', 'mark', 'x', 'y', 'color', 'facet', 'view']);

export function parseRowQuery(params: URLSearchParams, fields: FieldSpec[]): { query: RowQuery; problems: QueryProblem[] } {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const problems: QueryProblem[] = [];
  const filters: Filter[] = [];
  for (const [key, raw] of params) {
    if (RESERVED.has(key) || key.startsWith('_')) continue;
    const [column, op = 'eq', ...rest] = key.split('__');
    if (raw === '' && op === 'eq') continue; // an empty form field means "no filter"
    const field = byName.get(column!);
    if (!field || rest.length > 0) {
      problems.push(problem(key, 'problem.filter.unknown_column', { column: column!, columns: fields.map((f) => f.name).join(', ') }));
      continue;
    }
    if (!(OPERATORS as readonly string[]).includes(op)) {
      problems.push(problem(key, 'problem.filter.unknown_operator', { op, operators: OPERATORS.join(', ') }));
      continue;
    }
    const values = op === 'in' ? raw.split(',').map((v) => v.trim()) : [raw];
    if (op !== 'isnull' && op !== 'notnull' && op !== 'contains' && op !== 'startswith') {
      for (const value of values) {
        const found = valueProblem(field, value);
        if (found) problems.push(problem(key, found.code, found.params));
      }
    }
    filters.push({ column: field.name, op: op as Operator, values });
  }
  let sort: Sort | null = null;
  const sortParam = params.get('_sort') ?? params.get('sort');
  if (sortParam) {
    const desc = sortParam.startsWith('-') || / desc$/i.test(sortParam);
    const column = sortParam.replace(/^-/, '').replace(/ (asc|desc)$/i, '').trim();
    if (byName.has(column)) sort = { column, desc };
    else problems.push(problem('_sort', 'problem.filter.unknown_sort', { column }));
  }
  let selected: string[] | null = null;
  const fieldsParam = params.get('fields');
  if (fieldsParam) {
    selected = fieldsParam.split(',').map((f) => f.trim()).filter(Boolean);
    const unknown = selected.filter((f) => !byName.has(f));
    // `fields=,` selected nothing, which DuckDB cannot answer (it was a 500).
    if (selected.length === 0) problems.push(problem('fields', 'problem.filter.no_fields'));
    if (unknown.length > 0) problems.push(problem('fields', 'problem.filter.unknown_fields', { columns: unknown.join(', ') }));
  }
  const q = params.get('q')?.trim() || null;
  return { query: { filters, sort, q, fields: selected }, problems };
}

const CHECKS: Partial<Record<FieldSpec['type'], RegExp>> = {
  integer: /^[+-]?\d+$/,
  number: /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/,
  boolean: /^(true|false)$/,
  date: /^(\d{4})-(\d{2})-(\d{2})$/,
  datetime: /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/,
};

const BIGINT_MAX = 2n ** 63n - 1n;

/**
 * Whether a filter value can be compared with the column: the shape for its type, and for dates a real day of
 * the calendar (2024-02-30 is refused here, with the column and value, instead of failing inside DuckDB's CAST
 * halfway through a download). Null when fine; otherwise a message key and its values.
 */
export function valueProblem(field: FieldSpec, value: string): { code: string; params: Record<string, string> } | null {
  const check = CHECKS[field.type];
  const params = { column: field.name, type: field.type, value };
  if (!check) return null;
  const m = check.exec(value);
  if (!m) return { code: `problem.filter.expected_${field.type}`, params };
  // A whole number DuckDB cannot hold would otherwise fail inside the query.
  if (field.type === 'integer' && (BigInt(value) > BIGINT_MAX || BigInt(value) < -BIGINT_MAX - 1n)) return { code: 'problem.filter.integer_range', params };
  if ((field.type === 'date' || field.type === 'datetime') && !realMoment(m)) return { code: `problem.filter.not_a_${field.type}`, params };
  return null;
}

/** Year, month, day (and hour, minute, second when present) of a matched date: a day that exists, a time of day. */
function realMoment(m: RegExpExecArray): boolean {
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  if (month! < 1 || month! > 12 || day! < 1) return false;
  const leap = (year! % 4 === 0 && year! % 100 !== 0) || year! % 400 === 0;
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month!) ? 30 : 31;
  return day! <= daysInMonth && hour! < 24 && minute! < 60 && second! < 60;
}

/** WHERE clause and its bound values. Parameters are numbered from `firstParam`. */
export function whereClause(query: RowQuery, fields: FieldSpec[], firstParam = 1): { sql: string; values: string[] } {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const parts: string[] = [];
  const values: string[] = [];
  const param = (value: string, type: string) => {
    values.push(value);
    return `CAST($${firstParam + values.length - 1} AS ${type})`;
  };
  for (const filter of query.filters) {
    const field = byName.get(filter.column)!;
    const c = quoteIdent(field.name);
    const type = STORAGE_TYPE[field.type];
    const v = filter.values[0] ?? '';
    switch (filter.op) {
      case 'eq': parts.push(`${c} = ${param(v, type)}`); break;
      case 'ne': parts.push(`${c} IS DISTINCT FROM ${param(v, type)}`); break;
      case 'gt': parts.push(`${c} > ${param(v, type)}`); break;
      case 'gte': parts.push(`${c} >= ${param(v, type)}`); break;
      case 'lt': parts.push(`${c} < ${param(v, type)}`); break;
      case 'lte': parts.push(`${c} <= ${param(v, type)}`); break;
      case 'in': parts.push(`${c} IN (${filter.values.map((x) => param(x, type)).join(', ')})`); break;
      case 'contains': parts.push(`CAST(${c} AS VARCHAR) ILIKE '%' || ${param(escapeLike(v), 'VARCHAR')} || '%' ESCAPE '\\'`); break;
      case 'startswith': parts.push(`CAST(${c} AS VARCHAR) ILIKE ${param(escapeLike(v), 'VARCHAR')} || '%' ESCAPE '\\'`); break;
      case 'isnull': parts.push(v === '0' || v === 'false' ? `${c} IS NOT NULL` : `${c} IS NULL`); break;
      case 'notnull': parts.push(v === '0' || v === 'false' ? `${c} IS NULL` : `${c} IS NOT NULL`); break;
    }
  }
  if (query.q) {
    const text = fields.filter((f) => f.type === 'string').map((f) => quoteIdent(f.name));
    if (text.length > 0) parts.push(`concat_ws(' ', ${text.join(', ')}) ILIKE '%' || ${param(escapeLike(query.q), 'VARCHAR')} || '%' ESCAPE '\\'`);
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : 'true', values };
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** The URL parameters that reproduce a query: what the data table links and the download links carry. */
export function queryToParams(query: RowQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const f of query.filters) params.append(f.op === 'eq' ? f.column : `${f.column}__${f.op}`, f.values.join(','));
  if (query.q) params.set('q', query.q);
  if (query.sort) params.set('_sort', `${query.sort.desc ? '-' : ''}${query.sort.column}`);
  if (query.fields) params.set('fields', query.fields.join(','));
  return params;
}
