import type { APIRoute } from 'astro';
import { handleAction } from '../../../../lib/server/ckan/handle.ts';

/** CKAN Action API v3 (read-only): GET with query parameters or POST with a JSON body, as CKAN accepts both. */
export const GET: APIRoute = ({ params, request, url }) => handleAction(params.action ?? '', request, url);
export const POST: APIRoute = ({ params, request, url }) => handleAction(params.action ?? '', request, url);
