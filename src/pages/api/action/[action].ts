import type { APIRoute } from 'astro';
import { handleAction } from '../../../lib/server/ckan/handle.ts';

/** CKAN serves its Action API at /api/action/ as well as /api/3/action/; ckanapi, the most used client, calls this one. */
export const GET: APIRoute = ({ params, request, url, locals }) => handleAction(params.action ?? '', request, url, locals.site.origin);
export const POST: APIRoute = ({ params, request, url, locals }) => handleAction(params.action ?? '', request, url, locals.site.origin);
