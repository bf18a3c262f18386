import type { APIRoute } from 'astro';
import { openApiDocument } from '../../../lib/server/api/openapi.ts';
import { jsonResponse, preflight } from '../../../lib/server/api/response.ts';

/** The OpenAPI 3.1 description of this API, with the server URL the client used. */
export const GET: APIRoute = ({ request, url }) => jsonResponse(openApiDocument(url.origin), { request, cors: true });

export const OPTIONS: APIRoute = () => preflight();
