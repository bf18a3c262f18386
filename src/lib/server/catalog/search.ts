import { withConnection } from './index-db.ts';
import type { Manifest } from '../lake/manifest.ts';
import { findOpd } from '../config/deployment.ts';
import { downloadCounts } from './downloads.ts';
import { createCache } from '../cache.ts';
import { catalogGeneration } from './generation.ts';
import { buildSearchIndex, type CatalogSearchIndex, type SearchParams, type SearchResult } from './search-index.ts';

export { FACET_NAMES, type FacetCount, type FacetFilters, type FacetName } from './search-facets.ts';
export { DEFAULT_PER_PAGE, MAX_PER_PAGE, SORTS, type SearchHit, type SearchParams, type SearchResult, type SearchSort } from './search-index.ts';

/**
 * Catalog search for the site, the native API and the CKAN API: one in-memory MiniSearch index over
 * every public dataset, rebuilt when the catalog generation changes (sync.ts bumps it), so a search
 * costs no database query except the cached download counts.
 */
const cache = createCache<CatalogSearchIndex>({ max: 1, generation: catalogGeneration });

export async function searchDatasets(params: SearchParams): Promise<SearchResult> {
  const [index, downloads] = await Promise.all([currentIndex(), downloadCounts()]);
  return index.search(params, { downloads, now: new Date() });
}

function currentIndex(): Promise<CatalogSearchIndex> {
  return cache.get('public', async () => buildSearchIndex(await loadPublicManifests(), organizationNames));
}

/** Only `terbuka` datasets are ever indexed: search must not reveal what exists behind a classification. */
async function loadPublicManifests(): Promise<Manifest[]> {
  return withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(`SELECT manifest FROM catalog_datasets WHERE classification = 'terbuka' ORDER BY id`);
    return reader.getRowObjectsJson().map((r) => JSON.parse(String(r.manifest)) as Manifest);
  });
}

function organizationNames(code: string): string[] {
  const opd = findOpd(code);
  return opd ? [opd.name, opd.name_en ?? ''] : [];
}
