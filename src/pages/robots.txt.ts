import type { APIRoute } from 'astro';

/** Crawlers may read every public page; the sitemap (absolute URL, as robots.txt requires) lists the datasets. */
export const GET: APIRoute = ({ locals }) =>
  new Response(['User-agent: *', 'Allow: /', '', `Sitemap: ${locals.site.origin}/sitemap.xml`, ''].join('\n'), {
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
  });
