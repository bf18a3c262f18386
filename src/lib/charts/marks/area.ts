import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { additive, baseOptions, prepareRows, SINGLE_COLOUR, tooltip, type BuildContext, type ChartRow } from '../common.ts';
import type { Chart } from '../spec.ts';

/** Areas over an ordered x: stacked by colour for sums and counts; overlaid (translucent) for values that do not add up. */
export function areaOptions(rows: ChartRow[], chart: Chart, context: BuildContext): PlotOptions {
  const data = prepareRows(rows, chart, true, context);
  const stack = additive(chart) || !chart.color;
  const series = chart.color ? { z: 'color' } : {};
  const facet = chart.facet ? { fy: 'facet' } : {};
  return {
    ...baseOptions(rows, data, chart, context, false),
    marks: [
      stack
        ? Plot.areaY(data, { x: 'x', y: 'y', fill: chart.color ? 'color' : SINGLE_COLOUR, ...series, ...facet, fillOpacity: 0.85 })
        : Plot.areaY(data, { x: 'x', y1: 0, y2: 'y', fill: 'color', ...series, ...facet, fillOpacity: 0.25 }),
      ...(stack ? [] : [Plot.lineY(data, { x: 'x', y: 'y', stroke: 'color', ...series, ...facet })]),
      Plot.ruleY([0]),
      // Invisible points carry the per-row tooltips without cluttering the picture; stacked, each sits on the top
      // of its band, where the reader points at it.
      Plot.dot(
        data.length <= 400 ? data : [],
        stack
          ? Plot.stackY2({ x: 'x', y: 'y', ...series, r: 3, fill: 'transparent', ...facet, title: tooltip(chart, context) })
          : { x: 'x', y: 'y', r: 3, fill: 'transparent', ...facet, title: tooltip(chart, context) },
      ),
    ],
  };
}
