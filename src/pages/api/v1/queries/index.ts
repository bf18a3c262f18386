import type { APIRoute } from 'astro';
import { savedQueryListResponse } from '../../../../lib/server/api/queries.ts';
import { preflight } from '../../../../lib/server/api/response.ts';

/** Every saved query (the portal's and each public dataset's), with its parameters and links. */
export const GET: APIRoute = (ctx) => savedQueryListResponse(ctx);
export const OPTIONS: APIRoute = () => preflight();
