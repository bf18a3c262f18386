import type { z } from 'zod';
import { facetColumnsOrSuggested } from '../query/facet-request.ts';
import { computeFacets, suggestedFacets } from '../query/facets.ts';
import { parseRowQuery } from '../query/filters.ts';
import { countRows } from '../query/rows.ts';
import { resolveVersion } from './datasets.ts';
import { apiOptions, type ApiContext } from './context.ts';
import { badRequest, jsonResponse, privateIfRestricted } from './response.ts';
import { notFoundVersion } from './rows.ts';
import type { Facets } from './schemas.ts';

/**
 * `GET /api/v1/datasets/<id>/facets?_facet=a&_facet=b&<filters>`: for each column, the most frequent values with
 * their counts (text, booleans) or a histogram (numbers, dates) over the rows that pass the filters, with the exact
 * total. Without `_facet`, the suggested facets (low-cardinality columns). Same filters as the rows API.
 */
export async function facetsResponse(ctx: ApiContext, id: string): Promise<Response> {
  const params = ctx.url.searchParams;
  const version = params.get('version');
  const resolved = await resolveVersion(id, version, ctx.locals.user);
  if (!resolved) return notFoundVersion(ctx, id, version);
  const { fields } = resolved.manifest.schema;
  const profile = resolved.manifest.profile ?? [];
  const filterParams = new URLSearchParams(params);
  filterParams.delete('version');
  const { query, problems } = parseRowQuery(filterParams, fields);
  const asked = facetColumnsOrSuggested(params, fields, profile);
  const all = [...problems, ...asked.problems];
  if (all.length > 0) return badRequest(all, apiOptions(ctx));
  const source = { dataset: id, version: resolved.version, fields };
  // Facets first: a histogram's range scan also counts the rows, and countRows then answers from memory.
  const facets = await computeFacets(source, profile, query, asked.columns);
  const total = await countRows(source, query);
  const body: z.input<typeof Facets> = { dataset: id, version: resolved.version, total, facets, suggested: suggestedFacets(fields, profile) };
  // A facet given up at its time limit (a loaded server) is no answer to keep: not by HTTP caches, nor by the kept
  // API answers (http/reader-pages.ts keeps nothing marked no-store), as the facet cache itself never keeps one.
  const cache = facets.some((f) => f.timed_out) ? 'none' : resolved.current && !version ? 'current' : 'version';
  const response = jsonResponse(body, { ...apiOptions(ctx), cache });
  return privateIfRestricted(resolved.detail, response);
}
