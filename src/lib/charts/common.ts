import type { PlotOptions } from '@observablehq/plot';
import { isMeasure } from '../i18n/measure.ts';
import { formatCompact, formatNumber, periodLabel, plotInterval, timeStep, tooltipDate } from './locale-format.ts';
import type { Aggregate, Chart, ChartChannel } from './spec.ts';

/**
 * What every mark builder shares: the row shape coming out of the aggregation query, value conversion,
 * tooltip text, axes, palette and size. Builders stay pure so their SVG can be snapshot-tested from fixed rows.
 */
export interface ChartRow {
  x: unknown;
  y?: unknown;
  color?: unknown;
  facet?: unknown;
  /** The colour series stands for every series beyond the chart's top ones ("Lainnya"/"Other"). */
  other?: boolean;
  /** Rank of the colour series (1 = largest), for the legend's order. */
  series?: unknown;
}

/** The words a chart needs in the reader's language (the builders themselves hold no text). */
export interface ChartLabels {
  /** Axis label of a counted value, e.g. "Jumlah baris". */
  count: string;
  /** The series that groups every series beyond the top ones, e.g. "Lainnya". */
  other: string;
  /** An aggregated column's label, e.g. mean of "Harga" → "Rata-rata Harga". */
  aggregate: (aggregate: Aggregate, column: string) => string;
}

export interface BuildContext {
  locale: 'id' | 'en';
  labels: ChartLabels;
  /** The narrow (phone) rendering: smaller, fewer ticks. */
  narrow?: boolean;
}

/** Drawn at this width and scaled to the page's: the wide picture for screens, the narrow one for phones. */
export const WIDTH = 960;
export const NARROW_WIDTH = 420;
const PANEL_HEIGHT = 420;
const NARROW_PANEL_HEIGHT = 300;
const FACET_PANEL_HEIGHT = 220;
/** The deployment-neutral single colour for charts without a colour channel. */
export const SINGLE_COLOUR = '#1f6f8b';
/**
 * Ten colours that stay apart (Tableau 10 without its grey); the grouped "other" series is a neutral grey, so the
 * eye reads it as "the rest" rather than one more category.
 */
export const PALETTE = ['#4e79a7', '#f28e2c', '#e15759', '#76b7b2', '#59a14f', '#edc949', '#af7aa1', '#ff9da7', '#9c755f'];
export const OTHER_COLOUR = '#8c8c8c';
export const FONT_SIZE = 13;

const isDate = (channel: ChartChannel) => channel.type === 'date' || channel.type === 'datetime';

/** Dates and date-times become Date objects on continuous axes; numbers stay numbers; everything else text. */
export function channelValue(channel: ChartChannel, value: unknown, continuous: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (channel.type === 'integer' || channel.type === 'number') return typeof value === 'number' ? value : Number(value);
  if (continuous && isDate(channel)) return new Date(withZone(String(value)));
  return String(value);
}

/** DuckDB's JSON timestamps have no zone; read them as UTC so the picture does not depend on the server's TZ. */
function withZone(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) || /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
}

/** A value in a tooltip or legend: numbers as the page's language writes them, dates as ISO days. */
export function formatValue(value: unknown, locale: BuildContext['locale']): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return formatNumber(value, locale);
  if (value instanceof Date) return value.toISOString().replace('T00:00:00.000Z', '').replace('.000Z', 'Z');
  return String(value);
}

/** x as a tooltip says it: dates as precise as the chart's grouping, in the reader's language. */
export function formatX(chart: Chart, context: BuildContext): (value: unknown) => string {
  return (value) =>
    value instanceof Date ? tooltipDate(value, chart.bucket, chart.x.type === 'datetime', context.locale) : formatValue(value, context.locale);
}

/**
 * The y (or fill) label: "Jumlah baris" for counts; the column's title for sums (a stack of "Jumlah kasus" reads as
 * their total) and raw values; the aggregate and the title otherwise ("Rata-rata Harga").
 */
export function valueLabel(chart: Chart, context: BuildContext): string {
  const measured = chart.mark === 'cell' ? chart.color : chart.y;
  if (chart.aggregate === 'count' || !measured) return context.labels.count;
  return chart.aggregate === 'none' || chart.aggregate === 'sum' ? measured.label : context.labels.aggregate(chart.aggregate, measured.label);
}

/** A one-line description of what a chart shows, e.g. "Jumlah kasus · Periode · Kecamatan". */
export function chartCaption(chart: Chart, context: BuildContext): string {
  const parts = [valueLabel(chart, context), chart.x.label];
  if (chart.mark === 'cell' && chart.y) parts.push(chart.y.label);
  else if (chart.color) parts.push(chart.color.label);
  if (chart.facet) parts.push(chart.facet.label);
  return parts.join(' · ');
}

/** A tooltip (the SVG `title`, turned into an interactive one by the page's script): one "label: value" line per channel. */
export function tooltip(chart: Chart, context: BuildContext): (d: Record<string, unknown>) => string {
  const value = valueLabel(chart, context);
  const x = formatX(chart, context);
  return (d) => {
    const lines = [`${chart.x.label}: ${x(d.x)}`];
    if (chart.mark === 'cell') {
      if (chart.y) lines.push(`${chart.y.label}: ${formatValue(d.y, context.locale)}`);
      lines.push(`${value}: ${formatValue(d.color, context.locale)}`);
    } else {
      if (chart.color) lines.push(`${chart.color.label}: ${formatValue(d.color, context.locale)}`);
      lines.push(`${value}: ${formatValue(d.y, context.locale)}`);
    }
    if (chart.facet) lines.push(`${chart.facet.label}: ${formatValue(d.facet, context.locale)}`);
    return lines.join('\n');
  };
}

/** Sums and counts add up across series (stacks show totals); means, medians, extremes and distinct counts do not. */
export function additive(chart: Chart): boolean {
  return chart.aggregate === 'sum' || chart.aggregate === 'count';
}

/** Rows with each channel converted for its scale; the grouped series gets its label in the reader's language. */
export function prepareRows(rows: ChartRow[], chart: Chart, continuousX: boolean, context: BuildContext): Record<string, unknown>[] {
  return rows.map((r) => ({
    x: channelValue(chart.x, r.x, continuousX),
    y: chart.mark === 'cell' ? channelValue(chart.y!, r.y, false) : r.y === null || r.y === undefined ? null : Number(r.y),
    color: chart.mark === 'cell' ? Number(r.color ?? 0) : chart.color ? (r.other ? context.labels.other : formatValue(r.color ?? null, 'en')) : undefined,
    facet: chart.facet ? formatValue(r.facet ?? null, 'en') : undefined,
  }));
}

/** Series in the legend's order: largest first, the grouped rest last. */
function seriesDomain(rows: ChartRow[], context: BuildContext): string[] {
  const ranked = new Map<string, number>();
  let other = false;
  for (const r of rows) {
    if (r.other) other = true;
    else if (r.color !== null && r.color !== undefined) ranked.set(String(r.color), Math.min(ranked.get(String(r.color)) ?? Infinity, Number(r.series ?? Infinity)));
  }
  const names = [...ranked].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([name]) => name);
  return other ? [...names, context.labels.other] : names;
}

/** Monthly or yearly data (every date the first of a month, or of a year) gets no ticks between its periods. */
function dataPeriod(times: number[]): 'month' | 'year' | null {
  if (times.length < 2) return null;
  const dates = times.map((t) => new Date(t));
  if (!dates.every((d) => d.getUTCDate() === 1 && d.getUTCHours() === 0 && d.getUTCMinutes() === 0)) return null;
  return dates.every((d) => d.getUTCMonth() === 0) ? 'year' : 'month';
}

/** The largest absolute value the y axis must show: per x (and panel), the sum of the series when they stack. */
function stackedExtent(data: Record<string, unknown>[], chart: Chart): number[] {
  if (chart.mark === 'cell') return [];
  if (!additive(chart) || !chart.color) return data.map((d) => Math.abs(Number(d.y) || 0));
  const totals = new Map<string, number>();
  for (const d of data) {
    const key = `${String(d.x)}\u0000${String(d.facet)}`;
    totals.set(key, (totals.get(key) ?? 0) + Math.abs(Number(d.y) || 0));
  }
  return [...totals.values()];
}

/** Axis options of a continuous time x: a calendar tick interval and labels that name each tick's period. */
function timeAxis(data: Record<string, unknown>[], chart: Chart, context: BuildContext, width: number) {
  const times = data.map((d) => (d.x as Date).getTime()).filter(Number.isFinite);
  const span = times.length > 0 ? Math.max(...times) - Math.min(...times) : 0;
  const step = timeStep(span, Math.max(2, Math.floor(width / (context.narrow ? 90 : 110))), chart.bucket ?? dataPeriod(times), chart.x.type === 'datetime');
  const years = new Set(times.map((t) => new Date(t).getUTCFullYear()));
  return {
    ticks: plotInterval(step),
    tickFormat: (d: Date) => periodLabel(d, step.unit, context.locale, years.size > 1 || step.unit === 'month'),
  };
}

/** Size, axes, number and date formats, facets and the colour scale every mark starts from. */
export function baseOptions(rows: ChartRow[], data: Record<string, unknown>[], chart: Chart, context: BuildContext, bandX: boolean): PlotOptions {
  const width = context.narrow ? NARROW_WIDTH : WIDTH;
  const facets = chart.facet ? new Set(data.map((r) => r.facet)).size : 1;
  const xCount = bandX ? new Set(data.map((r) => String(r.x))).size : 0;
  // Many categories on a band axis: turn the labels so they do not overlap.
  const rotate = bandX && xCount > (context.narrow ? 4 : 10);
  const numeric = (channel: ChartChannel | null) => channel !== null && (channel.type === 'integer' || channel.type === 'number');
  const localNumber = (d: number) => formatNumber(d, context.locale);
  // Years and codes on an axis are written as they are ("2025", never "2.025").
  const numberTicks = (channel: ChartChannel) => (isMeasure(channel) ? localNumber : (d: number) => String(d));
  // Millions and more on the value axis in the short form ("1,3 T"); the left margin fits the longest label.
  const largest = Math.max(0, ...stackedExtent(data, chart));
  const valueTicks = largest >= 1e6 ? (d: number) => formatCompact(d, context.locale) : localNumber;
  const tickChars = Math.max(3, valueTicks(largest).length + 1);
  const marginLeft = Math.max(context.narrow ? 44 : 56, Math.round(tickChars * FONT_SIZE * 0.62) + 14);
  const continuousTime = !bandX && isDate(chart.x) && data.length > 0;
  const domain = chart.color && chart.mark !== 'cell' ? seriesDomain(rows, context) : [];
  const panel = context.narrow ? NARROW_PANEL_HEIGHT : PANEL_HEIGHT;
  return {
    width,
    height: chart.facet ? Math.max(panel, facets * FACET_PANEL_HEIGHT) : panel,
    marginLeft,
    // A time axis labels its last tick at the right edge: room for "Des 2025".
    marginRight: chart.facet ? (context.narrow ? 70 : 110) : continuousTime ? 40 : 24,
    marginBottom: rotate ? (context.narrow ? 80 : 110) : 44,
    x: {
      label: chart.x.label,
      ...(rotate ? { tickRotate: -45 } : {}),
      ...(continuousTime ? timeAxis(data, chart, context, width) : numeric(chart.x) ? { tickFormat: numberTicks(chart.x) } : {}),
    },
    y: {
      label: chart.mark === 'cell' ? chart.y!.label : valueLabel(chart, context),
      grid: chart.mark !== 'cell',
      ...(chart.mark === 'cell' ? {} : { nice: true }),
      // Aggregated values are quantities; raw values keep their column's own writing.
      ...(chart.mark === 'cell'
        ? numeric(chart.y) ? { tickFormat: numberTicks(chart.y!) } : {}
        : { tickFormat: chart.aggregate === 'none' && chart.y ? numberTicks(chart.y) : valueTicks }),
    },
    ...(chart.facet ? { fy: { label: chart.facet.label } } : {}),
    ...(domain.length > 0
      ? { color: { type: 'ordinal', domain, range: domain.map((name, i) => (name === context.labels.other && i === domain.length - 1 ? OTHER_COLOUR : PALETTE[i % PALETTE.length]!)) } }
      : {}),
    ...(chart.mark === 'cell' ? { color: { type: 'quantize', n: 5, scheme: 'blues', label: valueLabel(chart, context), tickFormat: localNumber } } : {}),
  } as PlotOptions;
}
