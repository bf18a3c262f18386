import type { APIRoute } from 'astro';
import { preflight } from '../../../../../lib/server/api/response.ts';
import { rowsResponse } from '../../../../../lib/server/api/rows.ts';

/** Rows of the current version (or `?version=`): filters, sort, fields, keyset paging with `next`. */
export const GET: APIRoute = (ctx) => rowsResponse(ctx, ctx.params.id ?? '', null);

export const OPTIONS: APIRoute = () => preflight();
