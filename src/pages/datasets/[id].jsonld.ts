import type { APIRoute } from 'astro';
import { publicDataset } from '../../lib/server/catalog/access.ts';
import { dcatDatasetDocument } from '../../lib/server/opendata/dcat.ts';
import { siteFor } from '../../lib/server/opendata/site.ts';

/** One public dataset as DCAT-AP JSON-LD. */
export const GET: APIRoute = async ({ params, url }) => {
  const id = params.id ?? '';
  const detail = await publicDataset(id);
  if (!detail) return Response.json({ error: 'not_found', message: `no public dataset "${id}"; see /catalog.jsonld for the list` }, { status: 404 });
  return new Response(JSON.stringify(dcatDatasetDocument(siteFor(url.origin), detail)), {
    headers: { 'content-type': 'application/ld+json; charset=utf-8', 'access-control-allow-origin': '*', 'cache-control': 'no-cache' },
  });
};
