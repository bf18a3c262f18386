import type { APIRoute } from 'astro';
import { preflight } from '../../../../../../../lib/server/api/response.ts';
import { downloadResponse } from '../../../../../../../lib/server/api/download.ts';

/** One published version as a file; the same formats and filters as the current-version download. */
export const GET: APIRoute = (ctx) => downloadResponse(ctx, ctx.params.id ?? '', ctx.params.format ?? '', ctx.params.version ?? '');

export const OPTIONS: APIRoute = () => preflight();
