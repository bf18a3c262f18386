import type { APIRoute } from 'astro';
import { savedQueryResponse } from '../../../../../../lib/server/api/queries.ts';
import { preflight } from '../../../../../../lib/server/api/response.ts';

/** Runs one of a public dataset's saved queries (defined in its pipeline.yaml). */
export const GET: APIRoute = (ctx) => savedQueryResponse(ctx, ctx.params.id ?? '', ctx.params.name ?? '');
export const POST: APIRoute = (ctx) => savedQueryResponse(ctx, ctx.params.id ?? '', ctx.params.name ?? '');
export const OPTIONS: APIRoute = () => preflight();
