import type { APIRoute } from 'astro';
import { publicDataset } from '../../../lib/server/catalog/access.ts';
import { dataPackage } from '../../../lib/server/opendata/datapackage.ts';
import { siteFor } from '../../../lib/server/opendata/site.ts';
import { apiError } from '../../../lib/server/api/response.ts';

/** Frictionless Data Package v2 of one public dataset: `frictionless`/`datapackage` readers load it with types. */
export const GET: APIRoute = async ({ params, locals }) => {
  const id = params.id ?? '';
  const detail = await publicDataset(id);
  if (!detail) return apiError(404, 'apierror.not_found_dataset', { id }, { locale: locals.locale, cors: true });
  return new Response(JSON.stringify(dataPackage(siteFor(locals.site.origin), detail), null, 2), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*', 'cache-control': 'no-cache' },
  });
};
