import type { APIRoute } from 'astro';
import { savedQueryResponse } from '../../../../lib/server/api/queries.ts';
import { preflight } from '../../../../lib/server/api/response.ts';

/** Runs one of the portal's saved queries; its parameters come from the query string (or a POST body). */
export const GET: APIRoute = (ctx) => savedQueryResponse(ctx, null, ctx.params.name ?? '');
export const POST: APIRoute = (ctx) => savedQueryResponse(ctx, null, ctx.params.name ?? '');
export const OPTIONS: APIRoute = () => preflight();
