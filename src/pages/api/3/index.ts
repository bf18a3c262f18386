import type { APIRoute } from 'astro';

/** CKAN answers its API root with the API version; some clients probe it before calling actions. */
export const GET: APIRoute = () =>
  new Response(JSON.stringify({ version: 3 }), { headers: { 'content-type': 'application/json;charset=utf-8', 'access-control-allow-origin': '*' } });
