import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { baseOptions, prepareRows, SINGLE_COLOUR, tooltip, type BuildContext, type ChartRow } from '../common.ts';
import type { Chart } from '../spec.ts';

/** Points beyond which the line is drawn without a dot (and tooltip) per point: the SVG stays small. */
const MAX_DOTS = 400;

/** One line per colour, x in order (dates and numbers on a continuous axis). */
export function lineOptions(rows: ChartRow[], chart: Chart, context: BuildContext): PlotOptions {
  const data = prepareRows(rows, chart, true, context);
  const colour = chart.color ? 'color' : SINGLE_COLOUR;
  const fy = chart.facet ? { fy: 'facet' } : {};
  return {
    ...baseOptions(rows, data, chart, context, false),
    marks: [
      Plot.lineY(data, { x: 'x', y: 'y', stroke: colour, strokeWidth: 2, ...fy, ...(chart.color ? { z: 'color' } : {}) }),
      ...(data.length <= MAX_DOTS ? [Plot.dot(data, { x: 'x', y: 'y', fill: colour, r: 2.5, ...fy, title: tooltip(chart, context) })] : []),
    ],
  };
}
