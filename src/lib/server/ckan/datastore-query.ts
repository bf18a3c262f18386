import { parseRowQuery, type Filter, type RowQuery } from '../query/filters.ts';
import { jsonValue } from '../query/rows.ts';
import { quoteIdent } from '../db/sql.ts';
import type { FieldSpec, FieldType } from '../lake/schema.ts';
import { invalid } from './envelope.ts';
import { json, list, type Params } from './params.ts';

/**
 * The pure half of datastore_search: CKAN's `fields`, `sort`, `filters` and `q` checked against the
 * dataset's schema and turned into our RowQuery and ORDER BY terms; values out as CKAN sends them.
 */
export const CKAN_TYPE: Record<FieldType, string> = {
  string: 'text',
  integer: 'int',
  number: 'numeric',
  boolean: 'bool',
  date: 'date',
  datetime: 'timestamp',
  geometry: 'text',
};

export function selectFields(p: Params, schema: FieldSpec[]): string[] {
  const names = list(p, 'fields');
  if (!names) return ['_id', ...schema.map((f) => f.name)];
  const unknown = names.filter((n) => n !== '_id' && !schema.some((f) => f.name === n));
  if (unknown.length > 0) throw invalid('fields', `unknown field(s): ${unknown.join(', ')}; fields are _id, ${schema.map((f) => f.name).join(', ')}`);
  return names;
}

/** `"col desc, other"` (or a list of those) to ORDER BY terms; nulls last, as CKAN's Postgres sorts ascending. */
export function sortClause(p: Params, schema: FieldSpec[]): string {
  const raw = p.sort;
  if (raw === undefined || raw === null || raw === '') return '';
  const parts = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  return parts
    .map((part) => {
      const m = /^\s*"?([^"\s]+)"?(?:\s+(asc|desc))?\s*$/i.exec(part);
      const name = m?.[1];
      if (!m || !name || (name !== '_id' && !schema.some((f) => f.name === name))) throw invalid('sort', `cannot sort by "${part.trim()}"; use "<field> [asc|desc]"`);
      const dir = (m[2] ?? 'asc').toUpperCase();
      return `${name === '_id' ? 'file_row_number' : quoteIdent(name)} ${dir} NULLS LAST, `;
    })
    .join('');
}

/** CKAN's filters and q as our RowQuery (plus `_id` filters, which are row positions). */
export function rowQuery(p: Params, schema: FieldSpec[]): { query: RowQuery; idFilter: number[] } {
  const filters: Filter[] = [];
  const idFilter: number[] = [];
  const raw = json(p, 'filters');
  if (raw !== undefined && raw !== null && raw !== '') {
    if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('filters', 'must be a JSON object such as {"kecamatan": "Andir"}');
    for (const [column, value] of Object.entries(raw as Record<string, unknown>)) {
      const values = (Array.isArray(value) ? value : [value]).map((v) => (v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v)));
      if (column === '_id') {
        for (const v of values) {
          if (v === null || !/^\d+$/.test(v)) throw invalid('filters', `_id must be a row number, found ${v}`);
          idFilter.push(Number(v));
        }
        continue;
      }
      if (!schema.some((f) => f.name === column)) throw invalid('filters', `unknown field "${column}"; fields are ${schema.map((f) => f.name).join(', ')}`);
      if (values.includes(null)) {
        filters.push({ column, op: 'isnull', values: ['1'] });
        continue;
      }
      // parseRowQuery type-checks each value against the column ("found "x", expected a whole number").
      for (const v of values as string[]) {
        if (v === '') continue;
        const problem = parseRowQuery(new URLSearchParams([[`${column}__eq`, v]]), schema).problems[0];
        if (problem) throw invalid('filters', problem.message);
      }
      filters.push(values.length === 1 ? { column, op: 'eq', values: values as string[] } : { column, op: 'in', values: values as string[] });
    }
  }
  let q: string | null = null;
  const rawQ = p.q;
  const qValue = typeof rawQ === 'string' && rawQ.trim().startsWith('{') ? json(p, 'q') : rawQ;
  if (qValue && typeof qValue === 'object' && !Array.isArray(qValue)) {
    for (const [column, value] of Object.entries(qValue as Record<string, unknown>)) {
      if (!schema.some((f) => f.name === column)) throw invalid('q', `unknown field "${column}"`);
      filters.push({ column, op: 'contains', values: [String(value)] });
    }
  } else if (qValue !== undefined && qValue !== null && qValue !== '') {
    q = String(qValue).trim() || null;
  }
  return { query: { filters, sort: null, q, fields: null }, idFilter };
}

export function cell(value: unknown, type: FieldType | 'integer' | undefined): unknown {
  const v = jsonValue(value, type === undefined ? undefined : (type as FieldType));
  // Timestamps in ISO 8601, as CKAN's datastore returns them.
  if (type === 'datetime' && typeof v === 'string') return v.replace(' ', 'T');
  return v;
}

export function delimited(rows: unknown[][], delimiter: string): string {
  const quote = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /["\n\r]/.test(s) || s.includes(delimiter) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return rows.map((r) => r.map(quote).join(delimiter) + '\n').join('');
}
