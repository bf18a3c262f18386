import type { APIRoute } from 'astro';
import { handleAction } from '../../../../lib/server/ckan/handle.ts';

/** CKAN Action API v3 (read-only): GET with query parameters or POST with a JSON body, as CKAN accepts both. */
export const GET: APIRoute = ({ params, request, url, locals }) => handleAction(params.action ?? '', request, url, locals.site.origin);
export const POST: APIRoute = ({ params, request, url, locals }) => handleAction(params.action ?? '', request, url, locals.site.origin);
