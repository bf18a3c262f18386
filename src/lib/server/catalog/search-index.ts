import MiniSearch, { type Query, type SearchResult as MiniResult } from 'minisearch';
import type { Locale } from '../../i18n/index.ts';
import type { Manifest } from '../lake/manifest.ts';
import { qualityScore, type QualityScore } from './quality.ts';
import { countFacets, facetValues, passes, type FacetCount, type FacetFilters, type FacetName } from './search-facets.ts';
import { FIELD_BOOSTS, fuzziness, processTerm, queryWords, SEARCH_FIELDS, searchDocument, transpositions } from './search-text.ts';

/**
 * The catalog's full-text index, built in memory from the public manifests (a few hundred datasets at
 * most per city, so a rebuild is milliseconds). Pure: no database, no clock; search.ts feeds it.
 */
export const SORTS = ['relevance', 'updated', 'name', 'downloads'] as const;
export type SearchSort = (typeof SORTS)[number];
export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 20;

export interface SearchParams {
  q?: string;
  filters?: FacetFilters;
  sort?: SearchSort;
  page?: number;
  perPage?: number;
  locale: Locale;
}

export interface SearchHit {
  id: string;
  version: string;
  /** Title and description in the reader's language when the dataset has one. */
  title: string;
  description: string;
  organization: string;
  topics: string[];
  tags: string[];
  license: string;
  update_frequency: string | null;
  classification: string;
  formats: string[];
  rows: number;
  bytes: number;
  published_at: string;
  synthetic: boolean;
  quality: QualityScore;
  downloads: number;
  /** Relevance to the query (0 without one). */
  score: number;
}

export interface SearchResult {
  total: number;
  page: number;
  perPage: number;
  results: SearchHit[];
  facets: Record<FacetName, FacetCount[]>;
}

export interface SearchContext {
  downloads: ReadonlyMap<string, number>;
  now: Date;
}

interface Entry {
  manifest: Manifest;
  facets: Record<FacetName, string[]>;
}

export interface CatalogSearchIndex {
  size: number;
  search(params: SearchParams, context: SearchContext): SearchResult;
}

export function buildSearchIndex(manifests: Manifest[], organizationNames: (code: string) => string[] = () => []): CatalogSearchIndex {
  const entries = new Map<string, Entry>(manifests.map((m) => [m.dataset, { manifest: m, facets: facetValues(m) }]));
  const mini = new MiniSearch({
    fields: [...SEARCH_FIELDS],
    processTerm,
    searchOptions: { boost: FIELD_BOOSTS, prefix: true, fuzzy: fuzziness },
  });
  mini.addAll(manifests.map((m) => searchDocument(m, organizationNames(m.metadata.organization))));

  function match(q: string): { id: string; score: number }[] {
    if (!q) return [...entries.keys()].map((id) => ({ id, score: 0 }));
    // Every word must match; if that finds nothing, any word may (a long query with one stray word).
    let found: MiniResult[] = mini.search(wordQuery(q, 'AND'));
    if (found.length === 0) found = mini.search(wordQuery(q, 'OR'));
    return found.map((r) => ({ id: String(r.id), score: r.score }));
  }

  return {
    size: entries.size,
    search(params, context) {
      const filters = params.filters ?? {};
      const matched = match((params.q ?? '').trim()).filter((m) => entries.has(m.id));
      const facets = countFacets(matched.map((m) => entries.get(m.id)!.facets), filters);
      // Sort cheap rows first; only the page's hits pay for a quality score.
      const rows = matched
        .filter((m) => passes(entries.get(m.id)!.facets, filters))
        .map((m) => sortRow(entries.get(m.id)!, m.score, params.locale, context));
      rows.sort(comparator(params.sort ?? 'relevance', params.locale));
      const perPage = clamp(params.perPage ?? DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
      const page = clamp(params.page ?? 1, 1, Number.MAX_SAFE_INTEGER);
      const results = rows.slice((page - 1) * perPage, page * perPage).map((row) => toHit(row, context));
      return { total: rows.length, page, perPage, results, facets };
    },
  };
}

/**
 * Each word as typed (prefix and fuzzy, the index defaults) or with one swapped pair of neighbouring letters, which
 * then must match as it is (prefix only): a swap is the one typo allowed, and it weighs like a fuzzy match.
 */
const SWAP_WEIGHT = 0.45;

function wordQuery(q: string, combineWith: 'AND' | 'OR'): Query {
  const words = queryWords(q);
  if (words.length === 0) return { queries: [q], combineWith };
  return {
    combineWith,
    queries: words.map((word) => ({
      combineWith: 'OR',
      queries: [word, ...transpositions(word).map((variant) => ({ queries: [variant], fuzzy: false, boostTerm: () => SWAP_WEIGHT }))],
    })),
  };
}

interface SortRow {
  entry: Entry;
  id: string;
  title: string;
  published: number;
  downloads: number;
  score: number;
  locale: Locale;
}

function sortRow(entry: Entry, score: number, locale: Locale, context: SearchContext): SortRow {
  const m = entry.manifest;
  return {
    entry,
    id: m.dataset,
    title: locale === 'en' && m.metadata.title_en ? m.metadata.title_en : m.metadata.title,
    published: Date.parse(m.published_at),
    downloads: context.downloads.get(m.dataset) ?? 0,
    score,
    locale,
  };
}

function toHit(row: SortRow, context: SearchContext): SearchHit {
  const { manifest, facets } = row.entry;
  const m = manifest.metadata;
  return {
    id: manifest.dataset,
    version: manifest.version,
    title: row.title,
    description: row.locale === 'en' && m.description_en ? m.description_en : m.description,
    organization: m.organization,
    topics: m.topics ?? [],
    tags: m.tags ?? [],
    license: m.license,
    update_frequency: m.update_frequency ?? null,
    classification: m.classification,
    formats: facets.format,
    rows: manifest.data.rows,
    bytes: manifest.data.bytes,
    published_at: manifest.published_at,
    synthetic: m.synthetic === true,
    quality: qualityScore(manifest, context.now),
    downloads: row.downloads,
    score: row.score,
  };
}

/** Built once per locale: an Intl.Collator costs more to make than sorting a catalog page. */
const collators = new Map<Locale, Intl.Collator>();

function comparator(sort: SearchSort, locale: Locale): (a: SortRow, b: SortRow) => number {
  let collator = collators.get(locale);
  if (!collator) {
    collator = new Intl.Collator(locale === 'id' ? 'id-ID' : 'en-GB', { sensitivity: 'base', numeric: true });
    collators.set(locale, collator);
  }
  const byName = (a: SortRow, b: SortRow) => collator.compare(a.title, b.title) || a.id.localeCompare(b.id);
  const byUpdated = (a: SortRow, b: SortRow) => b.published - a.published || byName(a, b);
  switch (sort) {
    case 'name':
      return byName;
    case 'updated':
      return byUpdated;
    case 'downloads':
      return (a, b) => b.downloads - a.downloads || byUpdated(a, b);
    default:
      // Without a query every score is 0, so relevance falls back to the most recently updated first.
      return (a, b) => b.score - a.score || byUpdated(a, b);
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(Number.isFinite(n) ? n : min)));
}
