import type { APIRoute } from 'astro';
import { openApiDocument } from '../../../lib/server/api/openapi.ts';
import { jsonResponse, preflight } from '../../../lib/server/api/response.ts';

/** The OpenAPI 3.1 description of this API, with this site's public server URL. */
export const GET: APIRoute = ({ request, locals }) => jsonResponse(openApiDocument(locals.site.origin), { request, cors: true });

export const OPTIONS: APIRoute = () => preflight();
