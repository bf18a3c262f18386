import { createCache } from '../server/cache.ts';
import { t, type Locale } from '../i18n/index.ts';
import type { FieldSpec } from '../server/lake/schema.ts';
import { parseRowQuery, queryToParams, type RowQuery } from '../server/query/filters.ts';
import { problemText } from '../server/validation/problem.ts';
import { chartOptions } from './build.ts';
import { chartData } from './data.server.ts';
import { renderSvg } from './render.ts';
import type { Manifest } from '../server/lake/manifest.ts';
import { chartParams, resolveChart, type Chart, type ChartProblem, type ChartRequest } from './spec.ts';

export interface RenderedChart {
  svg: string | null;
  /** No rows to draw (after filters). */
  empty: boolean;
  truncated: boolean;
}

/** Aggregates in DuckDB, builds the Plot options and renders one standalone SVG. */
export async function renderChart(
  source: { dataset: string; version: string; fields: FieldSpec[] },
  chart: Chart,
  locale: Locale,
  meta: { title?: string; description?: string } = {},
  query?: RowQuery,
): Promise<RenderedChart> {
  const data = await chartData(source, chart, query);
  if (data.rows.length === 0) return { svg: null, empty: true, truncated: false };
  const options = chartOptions(data.rows, chart, { locale, countLabel: t(locale, 'chart.count') });
  return { svg: renderSvg(options, meta), empty: false, truncated: data.truncated };
}

/** Labels a column for axes and tooltips in the reader's language. */
export function columnLabel(locale: Locale): (field: FieldSpec) => string {
  return (field) => (locale === 'en' && field.title_en ? field.title_en : field.title);
}

export interface DefaultChart {
  title: string;
  params: URLSearchParams;
  rendered: RenderedChart | null;
  /** Set when the pipeline's chart no longer fits the schema (a column renamed, say). */
  problems: ChartProblem[];
}

/**
 * A version's default charts depend only on the version and the language, so the rendered SVGs are kept in
 * memory instead of aggregating the whole file on every page view. Bounded; oldest entries go first.
 */
const rendered = createCache<DefaultChart[]>({ max: 200 });

/** The charts named in the pipeline spec, rendered over the whole current version. */
export function defaultCharts(manifest: Manifest, locale: Locale): Promise<DefaultChart[]> {
  return rendered.get(`${manifest.dataset}\0${manifest.version}\0${locale}`, () => renderDefaultCharts(manifest, locale));
}

async function renderDefaultCharts(manifest: Manifest, locale: Locale): Promise<DefaultChart[]> {
  const source = { dataset: manifest.dataset, version: manifest.version, fields: manifest.schema.fields };
  return Promise.all(
    (manifest.charts ?? []).map(async (spec) => {
      const title = locale === 'en' && spec.title_en ? spec.title_en : spec.title;
      const params = chartParams(spec);
      const { chart, problems } = resolveChart(spec, manifest.schema.fields, manifest.profile ?? [], columnLabel(locale));
      if (!chart) return { title, params, rendered: null, problems };
      return { title, params, rendered: await renderChart(source, chart, locale, { title }), problems };
    }),
  );
}

export interface ChartPageState {
  request: ChartRequest;
  chart: Chart | null;
  /** Chart and filter problems, as messages in the reader's language. */
  problems: { parameter: string; message: string }[];
  query: RowQuery;
  /** The chart's shareable parameters: mark, x, y, colour, facet and any table filters. */
  params: URLSearchParams;
}

/** Reads a chart (and optional table filters) from a URL, validated against the dataset's schema. */
export function chartFromParams(manifest: Manifest, params: URLSearchParams, locale: Locale): ChartPageState {
  const request: ChartRequest = Object.fromEntries(['mark', 'x', 'y', 'color', 'facet'].map((k) => [k, params.get(k) || null]));
  const resolved = resolveChart(request, manifest.schema.fields, manifest.profile ?? [], columnLabel(locale));
  const filters = parseRowQuery(params, manifest.schema.fields);
  const problems = [
    ...resolved.problems.map((p) => ({ parameter: p.parameter, message: t(locale, p.code, p.params) })),
    ...filters.problems.map((p) => ({ parameter: p.parameter, message: problemText(p, locale) })),
  ];
  const shared = chartParams(request);
  for (const [key, value] of queryToParams({ ...filters.query, sort: null, fields: null })) shared.append(key, value);
  return { request, chart: problems.length === 0 ? resolved.chart : null, problems, query: filters.query, params: shared };
}
