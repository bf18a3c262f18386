import type { APIRoute } from 'astro';
import { savedQueryResponse } from '../../../../../../../lib/server/api/queries.ts';
import { preflight } from '../../../../../../../lib/server/api/response.ts';

/** The whole result of one of a public dataset's saved queries as a CSV, JSON or Parquet file. */
export const GET: APIRoute = (ctx) => savedQueryResponse(ctx, ctx.params.id ?? '', ctx.params.name ?? '', ctx.params.format ?? '');
export const POST: APIRoute = (ctx) => savedQueryResponse(ctx, ctx.params.id ?? '', ctx.params.name ?? '', ctx.params.format ?? '');
export const OPTIONS: APIRoute = () => preflight();
