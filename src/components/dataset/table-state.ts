import type { ColumnProfile } from '../../lib/server/lake/manifest.ts';
import type { FieldSpec } from '../../lib/server/lake/schema.ts';
import type { Filter, RowQuery } from '../../lib/server/query/filters.ts';

/**
 * The data table keeps its whole state in the URL (filters, `_sort`, `q`, the keyset cursor `next` and `_start`,
 * the position of the page's first row, which only labels the range shown). These helpers build its links.
 */
export const PAGE_SIZE = 50;
export const PAGING_PARAMS = ['next', '_start'];

/** The page's query string without empty values (what a GET form sends for blank inputs). */
export function nonEmptyParams(params: URLSearchParams): URLSearchParams {
  return new URLSearchParams([...params].filter(([, value]) => value !== ''));
}

/** A link to the table with some parameters set or removed; paging restarts unless it is set explicitly. */
export function tableHref(path: string, params: URLSearchParams, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(params);
  for (const key of PAGING_PARAMS) if (!(key in changes)) next.delete(key);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  const qs = next.toString();
  return `${path}${qs ? `?${qs}` : ''}#data`;
}

/** Clicking a header sorts ascending, clicking it again descending. */
export function sortValue(query: RowQuery, column: string): string {
  return query.sort?.column === column && !query.sort.desc ? `-${column}` : column;
}

export type FilterControl =
  | { kind: 'select'; param: string; options: string[] }
  | { kind: 'contains'; param: string }
  | { kind: 'range'; min: string; max: string; input: 'number' | 'date' | 'datetime-local'; step: string };

/** Which form control filters a column: a list of values for few distinct texts, a range for numbers and dates. */
export function filterControl(field: FieldSpec, profile: ColumnProfile | undefined): FilterControl | null {
  switch (field.type) {
    case 'integer':
    case 'number':
      return { kind: 'range', min: `${field.name}__gte`, max: `${field.name}__lte`, input: 'number', step: field.type === 'integer' ? '1' : 'any' };
    case 'date':
      return { kind: 'range', min: `${field.name}__gte`, max: `${field.name}__lte`, input: 'date', step: '1' };
    case 'datetime':
      return { kind: 'range', min: `${field.name}__gte`, max: `${field.name}__lte`, input: 'datetime-local', step: '1' };
    case 'boolean':
      return { kind: 'select', param: field.name, options: ['true', 'false'] };
    case 'string':
      // A list only when the profile's top values are all the values there are; otherwise some could not be picked.
      if (profile?.top && profile.top.length > 0 && profile.top.length >= profile.distinct && !profile.distinct_approximate) {
        return { kind: 'select', param: field.name, options: profile.top.map((t) => t.value).sort((a, b) => a.localeCompare(b, 'id')) };
      }
      return { kind: 'contains', param: `${field.name}__contains` };
    default:
      return null;
  }
}

export function paramOf(filter: Filter): string {
  return filter.op === 'eq' ? filter.column : `${filter.column}__${filter.op}`;
}

/** The parameters a control of this form covers; other filters travel as hidden inputs so a re-submit keeps them. */
export function controlParams(control: FilterControl | null): string[] {
  if (!control) return [];
  return control.kind === 'range' ? [control.min, control.max] : [control.param];
}

/** Cell text: null as an em dash, objects as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
