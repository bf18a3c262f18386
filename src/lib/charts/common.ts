import type { PlotOptions } from '@observablehq/plot';
import type { Chart, ChartChannel } from './spec.ts';

/**
 * What every mark builder shares: the row shape coming out of the aggregation query, value conversion,
 * tooltip text, axes and size. Builders stay pure so their SVG can be snapshot-tested from fixed rows.
 */
export interface ChartRow {
  x: unknown;
  y?: unknown;
  color?: unknown;
  facet?: unknown;
}

export interface BuildContext {
  locale: 'id' | 'en';
  /** Axis label of a counted value, e.g. "Jumlah baris". */
  countLabel: string;
  width?: number;
}

export const WIDTH = 640;
const PANEL_HEIGHT = 360;
const FACET_PANEL_HEIGHT = 200;
/** The deployment-neutral single colour for charts without a colour channel. */
export const SINGLE_COLOUR = '#1f6f8b';

/** Dates and date-times become Date objects on continuous axes; numbers stay numbers; everything else text. */
export function channelValue(channel: ChartChannel, value: unknown, continuous: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (channel.type === 'integer' || channel.type === 'number') return typeof value === 'number' ? value : Number(value);
  if (continuous && (channel.type === 'date' || channel.type === 'datetime')) return new Date(withZone(String(value)));
  return String(value);
}

/** DuckDB's JSON timestamps have no zone; read them as UTC so the picture does not depend on the server's TZ. */
function withZone(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) || /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
}

// One formatter per language: a chart formats a value per point, up to thousands of them.
const valueFormats = {
  id: new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }),
};

export function formatValue(value: unknown, locale: BuildContext['locale']): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return valueFormats[locale].format(value);
  if (value instanceof Date) return value.toISOString().replace('T00:00:00.000Z', '').replace('.000Z', 'Z');
  return String(value);
}

/** The y (or fill) label: the column's title, or "count" when rows are counted. */
export function valueLabel(chart: Chart, context: BuildContext): string {
  if (chart.mark === 'cell') return chart.color?.label ?? context.countLabel;
  return chart.y && chart.aggregate !== 'count' ? chart.y.label : context.countLabel;
}

/** A one-line description of what a chart shows, e.g. "Jumlah kasus · Periode · Kecamatan". */
export function chartCaption(chart: Chart, context: BuildContext): string {
  const parts = [valueLabel(chart, context), chart.x.label];
  if (chart.mark === 'cell' && chart.y) parts.push(chart.y.label);
  else if (chart.color) parts.push(chart.color.label);
  if (chart.facet) parts.push(chart.facet.label);
  return parts.join(' · ');
}

/** A native SVG tooltip (the `title` channel): one "label: value" line per channel. */
export function tooltip(chart: Chart, context: BuildContext): (d: Record<string, unknown>) => string {
  const value = valueLabel(chart, context);
  return (d) => {
    const lines = [`${chart.x.label}: ${formatValue(d.x, context.locale)}`];
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

/** Rows with each channel converted for its scale. */
export function prepareRows(rows: ChartRow[], chart: Chart, continuousX: boolean): Record<string, unknown>[] {
  return rows.map((r) => ({
    x: channelValue(chart.x, r.x, continuousX),
    y: chart.mark === 'cell' ? channelValue(chart.y!, r.y, false) : r.y === null || r.y === undefined ? null : Number(r.y),
    color: chart.mark === 'cell' ? Number(r.color ?? 0) : chart.color ? formatValue(r.color ?? null, 'en') : undefined,
    facet: chart.facet ? formatValue(r.facet ?? null, 'en') : undefined,
  }));
}

/** Size, axes, facets and the colour scale every mark starts from. */
export function baseOptions(rows: Record<string, unknown>[], chart: Chart, context: BuildContext, bandX: boolean): PlotOptions {
  const facets = chart.facet ? new Set(rows.map((r) => r.facet)).size : 1;
  const xCount = bandX ? new Set(rows.map((r) => String(r.x))).size : 0;
  // Many categories on a band axis: turn the labels so they do not overlap.
  const rotate = bandX && xCount > 8;
  return {
    width: context.width ?? WIDTH,
    height: chart.facet ? Math.max(PANEL_HEIGHT, facets * FACET_PANEL_HEIGHT) : PANEL_HEIGHT,
    marginLeft: 64,
    marginRight: chart.facet ? 90 : 20,
    marginBottom: rotate ? 90 : 40,
    x: { label: chart.x.label, ...(rotate ? { tickRotate: -45 } : {}) },
    y: { label: chart.mark === 'cell' ? chart.y!.label : valueLabel(chart, context), grid: chart.mark !== 'cell' },
    ...(chart.facet ? { fy: { label: chart.facet.label } } : {}),
    ...(chart.color && chart.mark !== 'cell' ? { color: { type: 'ordinal', scheme: 'tableau10' } } : {}),
    ...(chart.mark === 'cell' ? { color: { type: 'quantize', n: 5, scheme: 'blues', label: valueLabel(chart, context) } } : {}),
  } as PlotOptions;
}
