import type { APIRoute } from 'astro';
import { preflight } from '../../../../../../../lib/server/api/response.ts';
import { rowsResponse } from '../../../../../../../lib/server/api/rows.ts';

/** Rows of one published version; same parameters as /datasets/<id>/rows. */
export const GET: APIRoute = ({ request, url, params, locals }) => rowsResponse(request, url, params.id ?? '', params.version ?? '', locals.user);

export const OPTIONS: APIRoute = () => preflight();
