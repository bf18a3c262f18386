import type { APIRoute } from 'astro';
import { preflight } from '../../../../lib/server/api/response.ts';
import { sqlDownloadResponse } from '../../../../lib/server/api/sql.ts';

/** The whole result of one read-only query as a CSV, JSON or Parquet file (beyond the row cap of /api/v1/sql). */
export const GET: APIRoute = (ctx) => sqlDownloadResponse(ctx, ctx.params.format ?? '');
export const POST: APIRoute = (ctx) => sqlDownloadResponse(ctx, ctx.params.format ?? '');
export const OPTIONS: APIRoute = () => preflight();
