import type { APIRoute } from 'astro';
import { preflight } from '../../../../../lib/server/api/response.ts';
import { downloadResponse } from '../../../../../lib/server/api/download.ts';

/** The current version as a file: csv, json, ndjson, parquet, arrow or xlsx; row filters apply. */
export const GET: APIRoute = (ctx) => downloadResponse(ctx, ctx.params.id ?? '', ctx.params.format ?? '', null);

export const OPTIONS: APIRoute = () => preflight();
