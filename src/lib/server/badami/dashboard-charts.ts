import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { PALETTE, WIDTH } from '../../charts/common.ts';
import { renderSvg } from '../../charts/render.ts';
import { formatNumber, t, type Locale } from '../../i18n/index.ts';
import { createCache } from '../cache.ts';
import { now } from '../clock.ts';
import { deployment, opdNames } from '../config/deployment.ts';
import { dashboardData, KPI_BUCKETS, type DashboardData, type HealthBucket } from './dashboard.ts';
import { wibDate } from './health.ts';
import { currentRevision } from './revision.ts';
import { HEALTH, STAGES } from './vocabulary.ts';

/**
 * The dashboards as server-rendered Observable Plot SVG, each chart with the rows it draws (the page shows them as a
 * table for readers who cannot use the picture). A dashboard changes only with a Badami write (the store revision),
 * the day (health and "overdue" count calendar days), the thresholds and the language, so the figures and the SVG
 * are kept under that key: under load a request costs one read of the revision counter.
 */
export interface DashboardChart {
  id: string;
  title: string;
  description: string;
  svg: string | null;
  /** The table fallback: its column headers and rows (numbers formatted for the reader). */
  headers: string[];
  rows: string[][];
}

export interface Dashboard {
  data: DashboardData;
  charts: DashboardChart[];
}

const dashboards = createCache<Dashboard>({ max: 200 });

export async function dashboard(opd: string | null, locale: Locale): Promise<Dashboard> {
  const revision = await currentRevision();
  const at = now();
  const limits = deployment().badami.health;
  const key = `${revision}|${wibDate(at)}|${JSON.stringify(limits)}|${opd ?? ''}|${locale}`;
  return dashboards.get(key, async () => {
    const data = await dashboardData(opd, at, limits);
    return { data, charts: dashboardCharts(data, locale, opd === null) };
  });
}

const HEALTH_COLOURS: Record<HealthBucket, string> = { on_track: '#2e7d32', at_risk: '#c77700', stalled: '#c62828', stopped: '#8a8a8a' };

/** The charts of a dashboard's figures, without I/O: Plot options rendered to SVG, and each chart's table. */
export function dashboardCharts(data: DashboardData, locale: Locale, city: boolean): DashboardChart[] {
  const tr = (key: string, params?: Record<string, string | number>) => t(locale, key, params);
  const n = (value: number) => formatNumber(locale, value);
  const stageLabel = (s: string) => tr(`badami.stage.${s}`);
  const healthLabel = (h: HealthBucket) => (h === 'stopped' ? tr('badami.dashboard.health.stopped') : tr(`badami.health.${h}`));
  const opdLabel = (code: string) => {
    const names = opdNames(code);
    return locale === 'en' && names.name_en ? names.name_en : names.name;
  };
  const count = tr('badami.dashboard.count');
  const chart = (id: string, titleKey: string, options: PlotOptions | null, headers: string[], rows: string[][]): DashboardChart => {
    const title = tr(`badami.dashboard.${titleKey}`);
    const description = tr(`badami.dashboard.${titleKey}_desc`);
    return { id, title, description, svg: options ? renderSvg(options, { title, description }) : null, headers, rows };
  };

  // Every stage, in order, zero included: the funnel's shape is the point.
  const funnel = STAGES.map((stage) => ({ label: stageLabel(stage), n: data.funnel.find((f) => f.stage === stage)?.n ?? 0 }));
  const funnelChart = chart('funnel', 'funnel', data.total === 0 ? null : bars(funnel, count), [tr('badami.filter.stage'), count], funnel.map((f) => [f.label, n(f.n)]));

  const order = new Map<string, number>(STAGES.map((stage, i) => [stage, i]));
  const movementRows = [...data.movement]
    .sort((a, b) => a.month.localeCompare(b.month) || order.get(a.stage)! - order.get(b.stage)!)
    .map((m) => ({ month: m.month, stage: stageLabel(m.stage), n: m.n }));
  const movementChart = chart(
    'movement',
    'movement',
    movementRows.length === 0
      ? null
      : {
          width: WIDTH,
          marginBottom: 50,
          x: { type: 'band', label: tr('badami.dashboard.month'), tickRotate: -30 },
          y: { grid: true, label: count, tickFormat: wholeTicks },
          color: { type: 'ordinal', domain: STAGES.map(stageLabel), range: PALETTE.slice(0, STAGES.length) },
          marks: [
            Plot.barY(movementRows, { x: 'month', y: 'n', fill: 'stage', title: (r: (typeof movementRows)[number]) => `${r.month} · ${r.stage}: ${n(r.n)}` }),
            Plot.ruleY([0]),
          ],
        },
    [tr('badami.dashboard.month'), tr('badami.dashboard.to_stage'), count],
    movementRows.map((m) => [m.month, m.stage, n(m.n)]),
  );

  const healthRows = data.health.map((h) => ({ opd: opdLabel(h.opd), health: healthLabel(h.health), n: h.n }));
  const buckets: HealthBucket[] = [...HEALTH, 'stopped'];
  const healthChart = chart(
    'health',
    'health',
    healthRows.length === 0
      ? null
      : {
          width: WIDTH,
          marginLeft: 250,
          height: Math.max(120, 40 + 28 * new Set(healthRows.map((h) => h.opd)).size),
          x: { grid: true, label: count, tickFormat: wholeTicks },
          y: { label: null, tickFormat: shortLabel },
          color: { type: 'ordinal', domain: buckets.map(healthLabel), range: buckets.map((b) => HEALTH_COLOURS[b]) },
          marks: [
            Plot.barX(healthRows, { y: 'opd', x: 'n', fill: 'health', title: (r: (typeof healthRows)[number]) => `${r.opd} · ${r.health}: ${n(r.n)}` }),
            Plot.ruleX([0]),
          ],
        },
    [tr('badami.filter.opd'), tr('badami.filter.health'), count],
    healthRows.map((h) => [h.opd, h.health, n(h.n)]),
  );

  const kpiRows = KPI_BUCKETS.map((b) => ({ label: tr(`badami.dashboard.kpi.${b}`), n: data.kpis.find((k) => k.bucket === b)?.n ?? 0 }));
  const kpiChart = chart('kpi', 'kpi', kpiRows.every((k) => k.n === 0) ? null : bars(kpiRows, count), [tr('badami.dashboard.kpi_bucket'), count], kpiRows.map((k) => [k.label, n(k.n)]));
  if (data.kpiMean !== null) kpiChart.description += ` ${tr('badami.dashboard.kpi_mean', { pct: `${Math.round(data.kpiMean * 100)}%` })}`;

  const overdueRows = data.overdueByOpd.map((o) => ({ label: opdLabel(o.opd), n: o.n }));
  const overdueChart = chart(
    'overdue',
    'overdue',
    overdueRows.length === 0 ? null : bars(overdueRows, count),
    [tr('badami.filter.opd'), count],
    overdueRows.map((o) => [o.label, n(o.n)]),
  );
  // One OPD's dashboard has a single bar per chart by OPD: its table says it as well as a picture would.
  if (!city) overdueChart.svg = null;
  return [funnelChart, movementChart, healthChart, kpiChart, overdueChart];
}

/**
 * Agency names run to 70 characters; on the axis they are cut to what the left margin holds (the bar's title and the
 * table under the chart carry the whole name).
 */
const LABEL_CHARS = 34;
const shortLabel = (label: string) => (label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1).trimEnd()}…` : label);

/** Counts are whole: a tick between two whole numbers gets no label. */
const wholeTicks = (d: number) => (Number.isInteger(d) ? String(d) : '');

/** Horizontal bars in the given order, each labelled with its count. */
function bars(rows: { label: string; n: number }[], count: string): PlotOptions {
  return {
    width: WIDTH,
    marginLeft: 250,
    marginRight: 40,
    height: Math.max(120, 40 + 28 * rows.length),
    x: { grid: true, label: count, tickFormat: wholeTicks },
    y: { label: null, domain: rows.map((r) => r.label), tickFormat: shortLabel },
    marks: [
      Plot.barX(rows, { y: 'label', x: 'n', fill: PALETTE[0], title: (r: { label: string; n: number }) => `${r.label}: ${r.n}` }),
      Plot.text(rows, { y: 'label', x: 'n', text: (r: { n: number }) => String(r.n), dx: 6, textAnchor: 'start' }),
      Plot.ruleX([0]),
    ],
  };
}
