import type { APIRoute } from 'astro';
import { t } from '../../../../lib/i18n/index.ts';
import { badamiFeed } from '../../../../lib/server/badami/feed.ts';
import { getInnovation } from '../../../../lib/server/badami/innovations.ts';

/** One innovation's Atom feed: its progress updates and stage moves (feed.ts); 404 for an innovation that is not there. */
export const GET: APIRoute = async ({ locals, params }) => {
  const innovation = params.id ? await getInnovation(params.id) : null;
  if (!innovation) return new Response(t(locals.locale, 'badami.error.not_found'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return new Response(await badamiFeed(locals.site.origin, locals.locale, { kind: 'innovation', id: innovation.id, title: innovation.title }), {
    headers: { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Cache-Control': 'no-cache' },
  });
};
