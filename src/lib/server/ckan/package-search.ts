import { createCache } from '../cache.ts';
import type { DatasetDetail } from '../catalog/queries.ts';
import { publicDataset } from '../catalog/access.ts';
import { MAX_PER_PAGE, searchDatasets, type SearchHit } from '../catalog/search.ts';
import { DOWNLOAD_FORMATS, FORMAT_INFO } from '../opendata/formats.ts';
import { licenseByCkanId, licenseInfo, licenseMatches } from '../opendata/licenses.ts';
import type { Site } from '../opendata/site.ts';
import { invalid } from './envelope.ts';
import { topicSlug } from './package.ts';
import { measuredPackage } from './resource-files.ts';
import { packageId } from './resource-id.ts';
import { integer, list, text, type Params } from './params.ts';
import { DEFAULT_SORT, parseClauses, parseSort, type Clause, type SortKey } from './solr.ts';

/**
 * package_search in CKAN's shape. The catalog's own index (catalog/search.ts) decides which datasets the
 * text matches and how relevant each is; the Solr-style `fq` clauses, CKAN's sort keys, offset paging
 * (`start`/`rows`) and CKAN's facets (counted over the filtered result, as Solr does) are applied here.
 */
export const FACET_FIELDS = ['organization', 'groups', 'tags', 'res_format', 'license_id'] as const;
type FacetField = (typeof FACET_FIELDS)[number];
const FORMAT_LABELS = DOWNLOAD_FORMATS.map((f) => FORMAT_INFO[f].label);

export async function packageSearch(site: Site, p: Params): Promise<Record<string, unknown>> {
  const rows = integer(p, 'rows', 10, { min: 0, max: 1000 });
  const start = integer(p, 'start', 0, { min: 0 });
  const sortText = text(p, 'sort')?.trim() || DEFAULT_SORT;
  const sort = parseSort(sortText);
  const facetFields = facetFieldsParam(p);
  const facetLimit = integer(p, 'facet.limit', 50, { min: -1 });
  const q = parseClauses(text(p, 'q') ?? '', 'q');
  const fq = parseClauses(text(p, 'fq') ?? '', 'fq');
  const clauses = [...q.clauses, ...fq.clauses];

  const hits = (await matchText(q.text)).filter((hit) => clauses.every((c) => matches(hit, c, site.regionCode)));
  hits.sort(comparator(sort, site.regionCode));
  const page = hits.slice(start, start + rows);
  const found = await Promise.all(page.map(detailOf));
  const facets: Record<string, Record<string, number>> = {};
  const searchFacets: Record<string, unknown> = {};
  for (const field of facetFields) {
    const counts = countValues(hits, field, facetLimit);
    facets[field] = Object.fromEntries(counts);
    searchFacets[field] = { title: field, items: counts.map(([name, count]) => ({ name, display_name: displayName(site, field, name), count })) };
  }
  return {
    count: hits.length,
    sort: sortText,
    facets,
    search_facets: searchFacets,
    results: await Promise.all(found.filter((d) => d !== null).map(async (d) => pick(await measuredPackage(site, d), list(p, 'fl')))),
  };
}

/**
 * Package dicts need the manifest and version list; both only change with a new current version, which the
 * hit names, so they are kept per dataset until then (a search page then costs no database query).
 */
const details = createCache<DatasetDetail | null>({ max: 1000, keep: (d) => d !== null });

function detailOf(hit: SearchHit): Promise<DatasetDetail | null> {
  return details.get(`${hit.id}@${hit.version}`, () => publicDataset(hit.id));
}

/** Every public dataset the text matches, in relevance order (the index pages at 100; CKAN pages by offset). */
async function matchText(q: string): Promise<SearchHit[]> {
  const hits: SearchHit[] = [];
  for (let page = 1; ; page++) {
    const result = await searchDatasets({ q: q || undefined, sort: 'relevance', page, perPage: MAX_PER_PAGE, locale: 'id' });
    hits.push(...result.results);
    if (hits.length >= result.total || result.results.length === 0) return hits;
  }
}

function facetFieldsParam(p: Params): FacetField[] {
  const fields = list(p, 'facet.field') ?? [];
  for (const f of fields) {
    if (!(FACET_FIELDS as readonly string[]).includes(f)) throw invalid('facet.field', `cannot facet on "${f}"; use any of ${FACET_FIELDS.join(', ')}`);
  }
  return fields as FacetField[];
}

export function facetValuesOf(hit: SearchHit, field: FacetField): string[] {
  switch (field) {
    case 'organization': return [hit.organization];
    case 'groups': return [...new Set(hit.topics.map(topicSlug))];
    case 'tags': return hit.tags;
    case 'res_format': return FORMAT_LABELS;
    case 'license_id': return [licenseInfo(hit.license).ckanId];
  }
}

function countValues(hits: SearchHit[], field: FacetField, limit: number): [string, number][] {
  const counts = new Map<string, number>();
  for (const hit of hits) for (const value of facetValuesOf(hit, field)) counts.set(value, (counts.get(value) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return limit < 0 ? sorted : sorted.slice(0, limit);
}

function displayName(site: Site, field: FacetField, name: string): string {
  if (field === 'organization') return site.opd(name).name;
  if (field === 'license_id') return licenseByCkanId(name).title;
  return name;
}

export function matches(hit: SearchHit, clause: Clause, regionCode: string): boolean {
  let ok: boolean;
  switch (clause.field) {
    case 'organization':
    case 'owner_org': ok = clause.values.some((w) => w === '*' || w === hit.organization); break;
    case 'tags': ok = clause.values.some((w) => w === '*' ? hit.tags.length > 0 : hit.tags.includes(w)); break;
    case 'groups': ok = clause.values.some((w) => hit.topics.some((t) => w === '*' || t === w || topicSlug(t) === topicSlug(w))); break;
    case 'res_format': ok = clause.values.some((w) => w === '*' || FORMAT_LABELS.some((l) => l.toLowerCase() === w.toLowerCase())); break;
    case 'license_id': ok = clause.values.some((w) => w === '*' || licenseMatches(hit.license, w)); break;
    case 'name': ok = clause.values.some((w) => w === '*' || w === hit.id); break;
    // CKAN's id is the package UUID; the name is accepted too, as everywhere.
    case 'id': ok = clause.values.some((w) => w === '*' || w === hit.id || w.toLowerCase() === packageId(regionCode, hit.id)); break;
    case 'dataset_type':
    case 'type': ok = clause.values.some((w) => w === '*' || w === 'dataset'); break;
    case 'capacity': ok = clause.values.some((w) => w === '*' || w === 'public'); break;
    case 'state': ok = clause.values.some((w) => w === '*' || w === 'active'); break;
    case 'metadata_modified': {
      const at = new Date(hit.published_at).toISOString();
      const r = clause.range;
      ok = r ? (r.from === null || at >= r.from) && (r.to === null || at <= r.to) : clause.values.some((w) => w === '*' || at.startsWith(w));
      break;
    }
  }
  return clause.negate ? !ok : ok;
}

function comparator(keys: SortKey[], regionCode: string): (a: SearchHit, b: SearchHit) => number {
  const collator = new Intl.Collator('id-ID', { sensitivity: 'base', numeric: true });
  return (a, b) => {
    for (const key of keys) {
      let d = 0;
      if (key.field === 'score') d = a.score - b.score;
      else if (key.field === 'metadata_modified') d = Date.parse(a.published_at) - Date.parse(b.published_at);
      else if (key.field === 'name') d = a.id.localeCompare(b.id);
      // `id asc` is how ckanext-harvest pages: by the package UUID, as in CKAN.
      else if (key.field === 'id') d = packageId(regionCode, a.id).localeCompare(packageId(regionCode, b.id));
      else d = collator.compare(a.title, b.title);
      if (d !== 0) return key.desc ? -d : d;
    }
    return a.id.localeCompare(b.id);
  };
}

/** CKAN's `fl`: only these keys of each result. */
function pick(dict: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (!fields || fields.length === 0) return dict;
  return Object.fromEntries(fields.filter((f) => f in dict).map((f) => [f, dict[f]]));
}

