import type { APIRoute } from 'astro';
import { listPublicDatasets } from '../lib/server/catalog/queries.ts';

/** sitemaps.org sitemap: home, catalog and every public dataset page, with its last publication as lastmod. */
export const GET: APIRoute = async ({ locals }) => {
  const origin = locals.site.origin;
  const datasets = await listPublicDatasets();
  const entries = [
    { loc: `${origin}/`, lastmod: latest(datasets.map((d) => d.published_at)) },
    { loc: `${origin}/datasets`, lastmod: latest(datasets.map((d) => d.published_at)) },
    ...datasets.map((d) => ({ loc: `${origin}/datasets/${encodeURIComponent(d.id)}`, lastmod: d.published_at })),
  ];
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...entries.map((e) => `  <url><loc>${xml(e.loc)}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ''}</url>`),
    '</urlset>',
    '',
  ].join('\n');
  return new Response(body, { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
};

function latest(dates: string[]): string | null {
  return dates.length === 0 ? null : dates.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
