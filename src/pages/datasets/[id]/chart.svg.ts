import type { APIRoute } from 'astro';
import { chartFromParams, renderChart } from '../../../lib/charts/chart.server.ts';
import { t } from '../../../lib/i18n/index.ts';
import { localized } from '../../../lib/server/catalog/present.ts';
import { datasetForReader } from '../../../lib/server/catalog/access.ts';

/** The chart builder's picture as a standalone SVG file; the same parameters as /datasets/<id>/chart. */
export const GET: APIRoute = async ({ params, url, locals, request }) => {
  const locale = locals.locale;
  const id = params.id ?? '';
  const dataset = await datasetForReader(id, locals.user);
  if (!dataset) return text(404, `dataset "${id}" not found or not public`);
  const m = dataset.manifest;
  const state = chartFromParams(m, url.searchParams, locale);
  if (!state.chart) {
    return text(400, `${t(locale, 'table.problems')}\n${state.problems.map((p) => `- ${p.parameter}: ${p.message}`).join('\n')}\n`);
  }
  // The picture depends only on the version, the language and the URL (which the cache keys on already).
  const etag = `"${m.version}-${locale}"`;
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
  const title = localized(locale, m.metadata.title, m.metadata.title_en);
  const rendered = await renderChart({ dataset: id, version: m.version, fields: m.schema.fields }, state.chart, locale, { title }, state.query);
  if (!rendered.svg) return text(404, `${t(locale, 'chart.empty')}\n`);
  const name = `${id}-${state.chart.mark}-${state.chart.x.name}`.replace(/[^a-z0-9_-]+/gi, '-');
  return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n${rendered.svg}\n`, {
    headers: {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}.svg"`,
      ETag: etag,
      // A terbatas dataset's picture is for the signed-in reader only.
      'Cache-Control': dataset.manifest.metadata.classification === 'terbuka' ? 'public, max-age=300' : 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
};

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
