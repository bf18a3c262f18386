import type { Locale } from '../../i18n/index.ts';
import { FACET_NAMES, type FacetFilters } from './search-facets.ts';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE, SORTS, type SearchParams, type SearchSort } from './search-index.ts';

/**
 * The catalog's state in the URL: `?q=…&organization=a&organization=b&topic=…&sort=…&page=…`.
 * Repeated keys (what a GET form with checkboxes sends) and comma lists both select several values.
 * Unknown or bad values fall back to defaults: a hand-edited URL still shows a catalog page.
 */
const MAX_QUERY_CHARS = 200;

export function parseSearchParams(url: URLSearchParams, locale: Locale): SearchParams {
  const filters: FacetFilters = {};
  for (const name of FACET_NAMES) {
    const values = url
      .getAll(name)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length > 0) filters[name] = [...new Set(values)];
  }
  const sort = url.get('sort');
  return {
    q: (url.get('q') ?? '').trim().slice(0, MAX_QUERY_CHARS),
    filters,
    sort: (SORTS as readonly string[]).includes(sort ?? '') ? (sort as SearchSort) : 'relevance',
    page: positiveInt(url.get('page'), 1),
    perPage: Math.min(MAX_PER_PAGE, positiveInt(url.get('per_page'), DEFAULT_PER_PAGE)),
    locale,
  };
}

/** The URL of a catalog state; defaults are left out so links stay short and canonical. */
export function searchUrl(params: Omit<SearchParams, 'locale'>, base = '/datasets'): string {
  const out = new URLSearchParams();
  if (params.q) out.set('q', params.q);
  for (const name of FACET_NAMES) for (const value of params.filters?.[name] ?? []) out.append(name, value);
  if (params.sort && params.sort !== 'relevance') out.set('sort', params.sort);
  if (params.perPage && params.perPage !== DEFAULT_PER_PAGE) out.set('per_page', String(params.perPage));
  if (params.page && params.page > 1) out.set('page', String(params.page));
  const query = out.toString();
  return query ? `${base}?${query}` : base;
}

/** The same state with one facet value ticked or unticked, back on page 1. */
export function toggleFilter(params: SearchParams, name: keyof FacetFilters, value: string): Omit<SearchParams, 'locale'> {
  const current = params.filters?.[name] ?? [];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  return { ...params, filters: { ...params.filters, [name]: next }, page: 1 };
}

function positiveInt(raw: string | null, fallback: number): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}
