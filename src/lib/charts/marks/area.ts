import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { baseOptions, prepareRows, SINGLE_COLOUR, tooltip, type BuildContext, type ChartRow } from '../common.ts';
import type { Chart } from '../spec.ts';

/** Areas stacked by colour over an ordered x; the title channel names each series. */
export function areaOptions(rows: ChartRow[], chart: Chart, context: BuildContext): PlotOptions {
  const data = prepareRows(rows, chart, true);
  return {
    ...baseOptions(data, chart, context, false),
    marks: [
      Plot.areaY(data, {
        x: 'x',
        y: 'y',
        fill: chart.color ? 'color' : SINGLE_COLOUR,
        ...(chart.color ? { z: 'color', title: (d: Record<string, unknown>) => `${chart.color!.label}: ${String(d.color)}` } : {}),
        ...(chart.facet ? { fy: 'facet' } : {}),
        fillOpacity: 0.85,
      }),
      Plot.ruleY([0]),
      // Invisible points carry the per-row tooltips without cluttering the picture.
      // stackY2 puts each point on the top of its band, where the reader points at it.
      Plot.dot(
        data.length <= 400 ? data : [],
        Plot.stackY2({
          x: 'x',
          y: 'y',
          ...(chart.color ? { z: 'color' } : {}),
          r: 3,
          fill: 'transparent',
          ...(chart.facet ? { fy: 'facet' } : {}),
          title: tooltip(chart, context),
        }),
      ),
    ],
  };
}
