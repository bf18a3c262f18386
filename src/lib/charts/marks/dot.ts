import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { baseOptions, prepareRows, SINGLE_COLOUR, tooltip, type BuildContext, type ChartRow } from '../common.ts';
import type { Chart } from '../spec.ts';

/** A scatter plot of rows as they are (or of an aggregate per x). */
export function dotOptions(rows: ChartRow[], chart: Chart, context: BuildContext): PlotOptions {
  const data = prepareRows(rows, chart, true, context);
  return {
    ...baseOptions(rows, data, chart, context, false),
    marks: [
      Plot.dot(data, {
        x: 'x',
        y: 'y',
        stroke: chart.color ? 'color' : SINGLE_COLOUR,
        r: 3.5,
        ...(chart.facet ? { fy: 'facet' } : {}),
        title: tooltip(chart, context),
      }),
    ],
  };
}
