import type { APIRoute } from 'astro';
import { topicsJson } from '../../../lib/server/api/catalog.ts';
import { jsonResponse, preflight } from '../../../lib/server/api/response.ts';

/** Topics used by public datasets, with their number of datasets. */
export const GET: APIRoute = async ({ request, locals }) => jsonResponse(await topicsJson(locals.site.origin), { request, cors: true });

export const OPTIONS: APIRoute = () => preflight();
