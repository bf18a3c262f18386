import type { APIRoute } from 'astro';
import { preflight } from '../../../../../../../lib/server/api/response.ts';
import { rowsResponse } from '../../../../../../../lib/server/api/rows.ts';

/** Rows of one published version; same parameters as /datasets/<id>/rows. */
export const GET: APIRoute = (ctx) => rowsResponse(ctx, ctx.params.id ?? '', ctx.params.version ?? '');

export const OPTIONS: APIRoute = () => preflight();
