import type { APIRoute } from 'astro';
import { publicDataset } from '../../lib/server/catalog/access.ts';
import { dcatDatasetDocument } from '../../lib/server/opendata/dcat.ts';
import { siteFor } from '../../lib/server/opendata/site.ts';
import { apiError } from '../../lib/server/api/response.ts';

/** One public dataset as DCAT-AP JSON-LD. */
export const GET: APIRoute = async ({ params, locals }) => {
  const id = params.id ?? '';
  const detail = await publicDataset(id);
  if (!detail) return apiError(404, 'apierror.not_found_dataset', { id }, { locale: locals.locale, cors: true });
  return new Response(JSON.stringify(dcatDatasetDocument(siteFor(locals.site.origin), detail)), {
    headers: { 'content-type': 'application/ld+json; charset=utf-8', 'access-control-allow-origin': '*', 'cache-control': 'no-cache' },
  });
};
