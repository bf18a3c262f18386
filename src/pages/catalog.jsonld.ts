import type { APIRoute } from 'astro';
import { listPublicDatasets } from '../lib/server/catalog/queries.ts';
import { publicDataset } from '../lib/server/catalog/access.ts';
import { CATALOG_PAGE_SIZE, dcatCatalog, lastPage } from '../lib/server/opendata/dcat.ts';
import { siteFor } from '../lib/server/opendata/site.ts';
import { apiError } from '../lib/server/api/response.ts';

/** DCAT-AP JSON-LD of the public catalog, 100 datasets a page (`?page=2`), linked as a hydra:PagedCollection. */
export const GET: APIRoute = async ({ url, locals }) => {
  const raw = url.searchParams.get('page') ?? '1';
  const page = /^\d+$/.test(raw) ? Number(raw) : NaN;
  const all = await listPublicDatasets();
  const last = lastPage(all.length, CATALOG_PAGE_SIZE);
  if (!Number.isInteger(page) || page < 1 || page > last) {
    const status = raw !== '' && Number(raw) > last ? 404 : 400;
    return apiError(status, 'problem.param.not_integer', { name: 'page', min: 1, max: last, value: raw }, { locale: locals.locale, cors: true });
  }
  const slice = all.sort((a, b) => a.id.localeCompare(b.id)).slice((page - 1) * CATALOG_PAGE_SIZE, page * CATALOG_PAGE_SIZE);
  const details = (await Promise.all(slice.map((d) => publicDataset(d.id)))).filter((d) => d !== null);
  const body = dcatCatalog(siteFor(locals.site.origin), details, { page, perPage: CATALOG_PAGE_SIZE, total: all.length });
  return new Response(JSON.stringify(body), {
    headers: { 'content-type': 'application/ld+json; charset=utf-8', 'access-control-allow-origin': '*', 'cache-control': 'no-cache' },
  });
};
