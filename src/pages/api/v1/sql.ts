import type { APIRoute } from 'astro';
import { preflight } from '../../../lib/server/api/response.ts';
import { sqlResponse } from '../../../lib/server/api/sql.ts';

/**
 * Read-only SQL. POST is a read too (long queries do not fit a URL); scripts send JSON, which Astro's
 * origin check and the CSRF step let through without an Origin header (src/lib/server/auth/csrf.ts).
 */
export const GET: APIRoute = (ctx) => sqlResponse(ctx);
export const POST: APIRoute = (ctx) => sqlResponse(ctx);
export const OPTIONS: APIRoute = () => preflight();
