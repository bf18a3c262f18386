import type { APIRoute } from 'astro';
import { organizationsJson } from '../../../lib/server/api/catalog.ts';
import { jsonResponse, preflight } from '../../../lib/server/api/response.ts';

/** The deployment's OPDs (perangkat daerah) with their number of public datasets. */
export const GET: APIRoute = async ({ request, locals }) => jsonResponse(await organizationsJson(locals.site.origin), { request, cors: true });

export const OPTIONS: APIRoute = () => preflight();
