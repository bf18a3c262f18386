import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { baseOptions, prepareRows, tooltip, type BuildContext, type ChartRow } from '../common.ts';
import type { Chart } from '../spec.ts';

/** A heat map: x and y are groups, the fill is the row count or the aggregate of the colour column per cell. */
export function cellOptions(rows: ChartRow[], chart: Chart, context: BuildContext): PlotOptions {
  const data = prepareRows(rows, chart, false, context);
  const base = baseOptions(rows, data, chart, context, true);
  // Each y category needs a readable row: the height grows with them (and with the panels).
  const rowsPerPanel = new Set(data.map((d) => String(d.y))).size;
  const panels = chart.facet ? new Set(data.map((d) => d.facet)).size : 1;
  return {
    ...base,
    height: Math.max(base.height ?? 0, panels * (rowsPerPanel * 18 + 30) + (base.marginBottom ?? 40) + 30),
    marginLeft: context.narrow ? 90 : 130,
    marks: [Plot.cell(data, { x: 'x', y: 'y', fill: 'color', inset: 0.5, ...(chart.facet ? { fy: 'facet' } : {}), title: tooltip(chart, context) })],
  };
}
