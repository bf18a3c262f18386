import { governmentLine } from '../../design/identity.ts';
import { palette } from '../../design/palette.ts';
import { formatDate, formatNumber, t, type Locale } from '../../i18n/index.ts';
import { publicDataset } from '../catalog/access.ts';
import { catalogGeneration } from '../catalog/generation.ts';
import { localized, opdName } from '../catalog/present.ts';
import { catalogStats } from '../catalog/stats.ts';
import { deployment } from '../config/deployment.ts';
import type { Manifest } from '../lake/manifest.ts';
import { queryRows } from '../query/rows.ts';
import { datasetCardSvg, homeCardSvg } from './cards.ts';
import { logoSvg, renderPng } from './render.ts';

/**
 * The Open Graph images: the portal's card and one per public dataset, as PNG. A card depends only on the catalog
 * (generation, dataset version) and the language, so each is rendered once and kept (a bounded number of them).
 */
const MAX_CACHED = 200;
const cache = new Map<string, Promise<Buffer>>();

function remembered(key: string, render: () => Promise<Buffer>): Promise<Buffer> {
  const hit = cache.get(key);
  if (hit) return hit;
  const value = render();
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  value.catch(() => cache.delete(key));
  return value;
}

function brand(locale: Locale) {
  const { city } = deployment();
  return { portal: city.portal_name, government: governmentLine(locale), palette: palette(city.colors), logoSvg: logoSvg(city.logo) };
}

export function homeImage(locale: Locale): Promise<Buffer> {
  return remembered(`home:${catalogGeneration()}:${locale}`, async () => {
    const stats = await catalogStats(1);
    const city = deployment().city.name;
    const n = (value: number) => formatNumber(locale, value);
    return renderPng(
      homeCardSvg({
        ...brand(locale),
        headline: t(locale, 'home.title', { city }),
        lead: t(locale, 'home.lead', { city }),
        figures: [
          [n(stats.datasets), t(locale, 'home.figure_datasets')],
          [n(stats.organizations), t(locale, 'home.figure_opds')],
          [n(stats.rows), t(locale, 'home.figure_rows')],
        ],
      }),
    );
  });
}

/** The dataset's card, or null when it is not a public dataset (restricted ones have no public preview). */
export async function datasetImage(id: string, locale: Locale): Promise<Buffer | null> {
  const dataset = await publicDataset(id);
  if (!dataset) return null;
  const m = dataset.manifest;
  return remembered(`dataset:${id}:${m.version}:${locale}`, async () =>
    renderPng(
      datasetCardSvg({
        ...brand(locale),
        title: localized(locale, m.metadata.title, m.metadata.title_en),
        opd: opdName(m.metadata.organization, locale),
        facts: [t(locale, 'og.rows', { n: formatNumber(locale, m.data.rows) }), t(locale, 'card.updated', { date: formatDate(locale, m.published_at) })].join(' · '),
        flag: m.metadata.synthetic ? t(locale, 'catalog.synthetic') : null,
        series: await sparklineSeries(m),
      }),
    ),
  );
}

const SPARK_POINTS = 120;

/**
 * The values a dataset's sparkline draws: the y column of its first chart when it is a number, otherwise its first
 * numeric column; in the order of its first date column when it has one, else in file order.
 */
export async function sparklineSeries(m: Manifest): Promise<number[]> {
  const fields = m.schema.fields;
  const numeric = (name: string | undefined) => fields.find((f) => f.name === name && (f.type === 'integer' || f.type === 'number'));
  const y = numeric(m.charts[0]?.y) ?? fields.find((f) => (f.type === 'integer' || f.type === 'number') && !m.schema.primary_key.includes(f.name));
  if (!y) return [];
  const time = fields.find((f) => f.type === 'date' || f.type === 'datetime');
  const page = await queryRows(
    { dataset: m.dataset, version: m.version, fields },
    { filters: [], sort: time ? { column: time.name, desc: false } : null, q: null, fields: [y.name] },
    { limit: SPARK_POINTS },
  );
  return page.rows.map((row) => Number(row[y.name])).filter((v) => Number.isFinite(v));
}

export function pngResponse(body: Buffer): Response {
  return new Response(new Uint8Array(body), {
    headers: { 'content-type': 'image/png', 'content-length': String(body.length), 'cache-control': 'public, max-age=3600' },
  });
}
