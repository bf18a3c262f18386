import { FACET_PARAM } from '../../lib/server/query/facet-request.ts';
import { PAGING_PARAMS } from './table-state.ts';

/**
 * Links of the column facets: every click is a plain GET of the dataset page with one thing changed (a facet
 * opened or closed, a filter set or removed), so facets work without JavaScript and every state is a URL.
 */
const RANGE_OPS = ['gte', 'gt', 'lte', 'lt'];

function href(path: string, next: URLSearchParams): string {
  for (const key of PAGING_PARAMS) next.delete(key);
  const qs = next.toString();
  return `${path}${qs ? `?${qs}` : ''}#facets`;
}

/** Opens (or closes) the facet of a column, keeping every other facet and filter. */
export function facetToggleHref(path: string, params: URLSearchParams, column: string, open: boolean): string {
  const next = new URLSearchParams(params);
  const others = next.getAll(FACET_PARAM).filter((c) => c !== column);
  next.delete(FACET_PARAM);
  for (const c of open ? [...others, column] : others) next.append(FACET_PARAM, c);
  return href(path, next);
}

/** Filters the column to one value (a missing value: to rows where it is missing), replacing its other value filters. */
export function valueFilterHref(path: string, params: URLSearchParams, column: string, value: string | null): string {
  const next = withoutColumn(params, column, ['eq', 'in', 'ne', 'isnull', 'notnull']);
  if (value === null) next.set(`${column}__isnull`, '1');
  else next.set(column, value);
  return href(path, next);
}

export function removeValueFilterHref(path: string, params: URLSearchParams, column: string): string {
  return href(path, withoutColumn(params, column, ['eq', 'in', 'isnull']));
}

/** Filters the column to one histogram bin: from ≤ value < to. */
export function binHref(path: string, params: URLSearchParams, column: string, from: string, to: string): string {
  const next = withoutColumn(params, column, ['eq', ...RANGE_OPS]);
  next.set(`${column}__gte`, from);
  next.set(`${column}__lt`, to);
  return href(path, next);
}

export function removeRangeHref(path: string, params: URLSearchParams, column: string): string {
  return href(path, withoutColumn(params, column, RANGE_OPS));
}

/** The parameters a range form must carry as hidden inputs: everything but this column's range and the paging. */
export function rangeFormHidden(params: URLSearchParams, column: string): [string, string][] {
  return [...withoutColumn(params, column, RANGE_OPS)].filter(([key]) => !PAGING_PARAMS.includes(key));
}

/** The value of a filter parameter, if set (e.g. the current `jumlah__gte`). */
export function currentBound(params: URLSearchParams, column: string, ops: string[]): string {
  for (const op of ops) {
    const value = params.get(`${column}__${op}`);
    if (value) return value;
  }
  return '';
}

function withoutColumn(params: URLSearchParams, column: string, ops: string[]): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const op of ops) next.delete(op === 'eq' ? column : `${column}__${op}`);
  return next;
}
