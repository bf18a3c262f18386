import type { ColumnProfile } from '../lake/manifest.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { MAX_FACETS, suggestedFacets } from './facets.ts';
import { problem } from '../validation/problem.ts';
import type { QueryProblem } from './filters.ts';

/**
 * Which facets a request asks for: `_facet=column`, repeated (Datasette's parameter; names starting with `_` are
 * never read as filters). Unknown or unfacetable columns are problems for the reader, listed all at once.
 */
export const FACET_PARAM = '_facet';

export function facetColumns(params: URLSearchParams, fields: FieldSpec[]): { columns: string[]; problems: QueryProblem[] } {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const problems: QueryProblem[] = [];
  const columns: string[] = [];
  for (const name of params.getAll(FACET_PARAM)) {
    if (name === '' || columns.includes(name)) continue;
    const field = byName.get(name);
    if (!field || field.type === 'geometry') {
      const names = fields.filter((f) => f.type !== 'geometry').map((f) => f.name).join(', ');
      problems.push(problem(FACET_PARAM, 'problem.facet.unknown', { name, columns: names }));
      continue;
    }
    columns.push(name);
  }
  if (columns.length > MAX_FACETS) problems.push(problem(FACET_PARAM, 'problem.facet.too_many', { max: MAX_FACETS, found: columns.length }));
  return { columns, problems };
}

/** The requested facets, or (when none were asked for) the first few suggested ones. */
export function facetColumnsOrSuggested(params: URLSearchParams, fields: FieldSpec[], profile: ColumnProfile[], fallback = 3) {
  const asked = facetColumns(params, fields);
  if (params.getAll(FACET_PARAM).some((v) => v !== '')) return asked;
  return { columns: suggestedFacets(fields, profile).slice(0, fallback), problems: [] };
}
