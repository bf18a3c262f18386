import type { APIRoute } from 'astro';
import { catalogPage, parseCatalogQuery } from '../../../../lib/server/api/catalog.ts';
import { badRequest, jsonResponse, preflight } from '../../../../lib/server/api/response.ts';

/** Search the catalog: `q`, facet filters, `sort`, `page`, `per_page`. */
export const GET: APIRoute = async ({ request, url, locals }) => {
  const { query, problems } = parseCatalogQuery(url.searchParams);
  if (problems.length > 0) return badRequest(problems, { cors: true, locale: locals.locale });
  return jsonResponse(await catalogPage(url, locals.site.origin, query, locals.locale), { request, cors: true });
};

export const OPTIONS: APIRoute = () => preflight();
