import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { baseOptions, formatValue, prepareRows, SINGLE_COLOUR, tooltip, type BuildContext, type ChartRow } from '../common.ts';
import type { Chart } from '../spec.ts';

/** Bars per x category, stacked by colour: y is summed (or rows counted) per group beforehand. */
export function barOptions(rows: ChartRow[], chart: Chart, context: BuildContext): PlotOptions {
  // Dates stay Date objects even on a band axis: Plot formats them and does not warn about date-like strings.
  const data = prepareRows(rows, chart, true);
  const base = baseOptions(data, chart, context, true);
  const dated = chart.x.type === 'date' || chart.x.type === 'datetime';
  return {
    ...base,
    // A band axis of dates, said explicitly (Plot warns otherwise), labelled as ISO dates like the table.
    ...(dated ? { x: { ...base.x, type: 'band', tickFormat: (d: Date) => formatValue(d, context.locale) } } : {}),
    marks: [
      Plot.barY(data, {
        x: 'x',
        y: 'y',
        fill: chart.color ? 'color' : SINGLE_COLOUR,
        ...(chart.facet ? { fy: 'facet' } : {}),
        title: tooltip(chart, context),
      }),
      Plot.ruleY([0]),
    ],
  };
}
