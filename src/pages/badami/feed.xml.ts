import type { APIRoute } from 'astro';
import { t } from '../../lib/i18n/index.ts';
import { badamiFeed } from '../../lib/server/badami/feed.ts';
import { findOpd } from '../../lib/server/config/deployment.ts';

/**
 * The board's Atom feed: latest progress updates and stage moves (feed.ts), in the reader's language; `?opd=dinkes`
 * narrows it to one OPD's innovations (404 for an OPD the deployment does not have).
 */
export const GET: APIRoute = async ({ locals, url }) => {
  const code = url.searchParams.get('opd');
  const opd = code ? findOpd(code) : undefined;
  if (code && !opd) return new Response(t(locals.locale, 'badami.dashboard.unknown_opd', { opd: code }), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const scope = opd ? { kind: 'opd' as const, opd: opd.code, name: locals.locale === 'en' && opd.name_en ? opd.name_en : opd.name } : { kind: 'city' as const };
  return new Response(await badamiFeed(locals.site.origin, locals.locale, scope), {
    headers: { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Cache-Control': 'no-cache' },
  });
};
