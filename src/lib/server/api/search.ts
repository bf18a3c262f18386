import type { Locale } from '../../i18n/index.ts';
import type { QualityScore } from '../catalog/quality.ts';
import { searchDatasets } from '../catalog/search.ts';
import type { CatalogQuery } from './catalog.ts';

export interface SearchOutcome {
  total: number;
  /** The requested page, in result order, with what the search knows beyond the catalog row. */
  hits: { id: string; quality: QualityScore; downloads: number; score: number }[];
  facets: Record<string, { value: string; count: number }[]>;
}

/** The site's catalog search (src/lib/server/catalog/search.ts), so the API finds what the site finds. */
export async function runSearch(query: CatalogQuery, locale: Locale): Promise<SearchOutcome> {
  const found = await searchDatasets({
    q: query.q ?? undefined,
    filters: query.filters,
    sort: query.sort,
    page: query.page,
    perPage: query.perPage,
    locale,
  });
  return {
    total: found.total,
    hits: found.results.map((h) => ({ id: h.id, quality: h.quality, downloads: h.downloads, score: h.score })),
    facets: found.facets,
  };
}
