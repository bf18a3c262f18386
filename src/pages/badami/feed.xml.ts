import type { APIRoute } from 'astro';
import { publicOrigin } from '../../lib/design/identity.ts';
import { badamiFeed } from '../../lib/server/badami/feed.ts';

/** The board's Atom feed: latest progress updates and stage moves (feed.ts), in the reader's language. */
export const GET: APIRoute = async ({ url, locals }) =>
  new Response(await badamiFeed(publicOrigin(url), locals.locale), {
    headers: { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Cache-Control': 'no-cache' },
  });
