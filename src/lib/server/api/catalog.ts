import type { Locale } from '../../i18n/index.ts';
import { listPublicDatasets, type DatasetSummary } from '../catalog/queries.ts';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE, SORTS, type SearchSort } from '../catalog/search.ts';
import { deployment } from '../config/deployment.ts';
import { problem, type Problem } from '../validation/problem.ts';
import { organizationJson, summaryJson } from './datasets.ts';
import { absoluteUrl, intParam } from './response.ts';
import type { z } from 'zod';
import type { DatasetList, OrganizationList, TopicList } from './schemas.ts';
import { runSearch } from './search.ts';

/** Facet filters a client may pass, each repeatable (`topic=a&topic=b` matches either). */
export const SEARCH_FILTERS = ['organization', 'topic', 'tag', 'format', 'license', 'update_frequency'] as const;

export interface CatalogQuery {
  q: string | null;
  filters: Partial<Record<(typeof SEARCH_FILTERS)[number], string[]>>;
  sort: SearchSort;
  page: number;
  perPage: number;
}

export function parseCatalogQuery(params: URLSearchParams): { query: CatalogQuery; problems: Problem[] } {
  const problems: Problem[] = [];
  const filters: CatalogQuery['filters'] = {};
  for (const name of SEARCH_FILTERS) {
    const values = params.getAll(name).map((v) => v.trim()).filter(Boolean);
    if (values.length > 0) filters[name] = values;
  }
  const q = params.get('q')?.trim() || null;
  const sortParam = params.get('sort')?.trim() || (q ? 'relevance' : 'name');
  let sort: SearchSort = q ? 'relevance' : 'name';
  if ((SORTS as readonly string[]).includes(sortParam)) sort = sortParam as SearchSort;
  else problems.push(problem('sort', 'problem.param.one_of', { name: 'sort', allowed: SORTS.join(', '), value: sortParam }));
  const page = intParam(params, 'page', { fallback: 1, min: 1, max: 100_000 }, problems);
  const perPage = intParam(params, 'per_page', { fallback: DEFAULT_PER_PAGE, min: 1, max: MAX_PER_PAGE }, problems);
  const known = new Set<string>(['q', 'sort', 'page', 'per_page', 'lang', ...SEARCH_FILTERS]);
  for (const key of new Set(params.keys())) {
    if (!known.has(key)) problems.push(problem(key, 'problem.param.unknown', { name: key, known: [...known].filter((k) => k !== 'lang').join(', ') }));
  }
  return { query: { q, filters, sort, page, perPage }, problems };
}

/** `GET /api/v1/datasets`: a page of search results with facet counts and links to the neighbouring pages. */
export async function catalogPage(url: URL, origin: string, query: CatalogQuery, locale: Locale): Promise<z.input<typeof DatasetList>> {
  const found = await runSearch(query, locale);
  const byId = new Map((await listPublicDatasets()).map((d) => [d.id, d]));
  // The catalog row gives both languages of title and description; the search adds quality and downloads.
  const results = found.hits.flatMap((hit) => {
    const d = byId.get(hit.id);
    return d ? [{ ...summaryJson(origin, d), quality: hit.quality, downloads: hit.downloads, ...(query.q ? { score: hit.score } : {}) }] : [];
  });
  const pages = Math.max(1, Math.ceil(found.total / query.perPage));
  const pageUrl = (page: number) => {
    const params = new URLSearchParams(url.searchParams);
    params.delete('lang');
    params.set('page', String(page));
    return absoluteUrl(origin, url.pathname, params);
  };
  return {
    total: found.total,
    page: query.page,
    per_page: query.perPage,
    results,
    facets: found.facets,
    next: query.page < pages ? pageUrl(query.page + 1) : null,
    prev: query.page > 1 ? pageUrl(Math.min(query.page - 1, pages)) : null,
  };
}

/** Every OPD of the deployment (also those with no public dataset yet), with its public dataset count. */
export async function organizationsJson(origin: string): Promise<z.input<typeof OrganizationList>> {
  const counts = countBy(await listPublicDatasets(), (d) => [d.organization]);
  const codes = new Set([...deployment().opds.map((o) => o.code), ...counts.keys()]);
  return {
    organizations: [...codes].map((code) => ({
      ...organizationJson(code),
      datasets: counts.get(code) ?? 0,
      links: { datasets: absoluteUrl(origin, '/api/v1/datasets', new URLSearchParams({ organization: code })) },
    })),
  };
}

/** Topics in use by public datasets, most used first. */
export async function topicsJson(origin: string): Promise<z.input<typeof TopicList>> {
  const counts = countBy(await listPublicDatasets(), (d) => d.topics);
  return {
    topics: [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([topic, datasets]) => ({ topic, datasets, links: { datasets: absoluteUrl(origin, '/api/v1/datasets', new URLSearchParams({ topic })) } })),
  };
}

function countBy(datasets: DatasetSummary[], keys: (d: DatasetSummary) => string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of datasets) for (const key of new Set(keys(d))) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
