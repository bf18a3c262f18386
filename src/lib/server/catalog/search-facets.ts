import type { Manifest } from '../lake/manifest.ts';
import { DOWNLOAD_FORMATS } from './quality.ts';

/**
 * Facets of the catalog: the values a dataset has for each, and counts over a matched set. Counting is
 * disjunctive (as on data.gouv.fr and CKAN with OR within a facet): a facet's counts apply every
 * selected filter except its own, so ticking a second OPD still shows how many the other OPDs have.
 */
export const FACET_NAMES = ['organization', 'topic', 'tag', 'format', 'license', 'update_frequency', 'classification'] as const;
export type FacetName = (typeof FACET_NAMES)[number];
export type FacetFilters = Partial<Record<FacetName, string[]>>;
export interface FacetCount {
  value: string;
  count: number;
}

export function facetValues(manifest: Manifest): Record<FacetName, string[]> {
  const m = manifest.metadata;
  const source = manifest.lineage?.source?.format;
  return {
    organization: [m.organization],
    topic: unique(m.topics ?? []),
    tag: unique(m.tags ?? []),
    // The format a dataset came in and every format it can be downloaded in.
    format: unique([...(source ? [source.toLowerCase()] : []), ...DOWNLOAD_FORMATS]),
    license: [m.license],
    update_frequency: m.update_frequency ? [m.update_frequency] : [],
    classification: [m.classification],
  };
}

/** Whether a dataset passes every selected filter except `skip` (OR within a facet, AND across facets). */
export function passes(values: Record<FacetName, string[]>, filters: FacetFilters, skip?: FacetName): boolean {
  for (const name of FACET_NAMES) {
    if (name === skip) continue;
    const wanted = filters[name];
    if (!wanted || wanted.length === 0) continue;
    if (!values[name].some((v) => wanted.includes(v))) return false;
  }
  return true;
}

/**
 * Counts per facet value over `matched` (the datasets the text query found). Selected values are always
 * listed, with 0 when nothing matches, so a reader can untick them.
 */
export function countFacets(matched: Record<FacetName, string[]>[], filters: FacetFilters): Record<FacetName, FacetCount[]> {
  const result = {} as Record<FacetName, FacetCount[]>;
  for (const name of FACET_NAMES) {
    const counts = new Map<string, number>();
    for (const values of matched) {
      if (!passes(values, filters, name)) continue;
      for (const value of values[name]) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    for (const selected of filters[name] ?? []) if (!counts.has(selected)) counts.set(selected, 0);
    result[name] = [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  }
  return result;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
