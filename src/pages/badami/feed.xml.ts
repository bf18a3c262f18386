import type { APIRoute } from 'astro';
import { badamiFeed } from '../../lib/server/badami/feed.ts';

/** The board's Atom feed: latest progress updates and stage moves (feed.ts), in the reader's language. */
export const GET: APIRoute = async ({ locals }) =>
  new Response(await badamiFeed(locals.site.origin, locals.locale), {
    headers: { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Cache-Control': 'no-cache' },
  });
