import type { APIRoute } from 'astro';
import { preflight } from '../../../../../lib/server/api/response.ts';
import { rowsResponse } from '../../../../../lib/server/api/rows.ts';

/** Rows of the current version (or `?version=`): filters, sort, fields, keyset paging with `next`. */
export const GET: APIRoute = ({ request, url, params, locals }) => rowsResponse(request, url, params.id ?? '', null, locals.user);

export const OPTIONS: APIRoute = () => preflight();
