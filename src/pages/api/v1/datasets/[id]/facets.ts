import type { APIRoute } from 'astro';
import { facetsResponse } from '../../../../../lib/server/api/facets.ts';
import { preflight } from '../../../../../lib/server/api/response.ts';

/** Column facets of the current version (or `?version=`) under the same filters as the rows API. */
export const GET: APIRoute = (ctx) => facetsResponse(ctx, ctx.params.id ?? '');

export const OPTIONS: APIRoute = () => preflight();
