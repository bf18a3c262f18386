import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { additive, baseOptions, prepareRows, SINGLE_COLOUR, tooltip, type BuildContext, type ChartRow } from '../common.ts';
import { periodLabel } from '../locale-format.ts';
import type { Chart } from '../spec.ts';

/**
 * Bars per x category. Sums and counts stack by colour (the stack's height is the total); means, medians,
 * minima, maxima and distinct counts do not add up, so their series stand side by side within each x.
 */
export function barOptions(rows: ChartRow[], chart: Chart, context: BuildContext): PlotOptions {
  // Dates stay Date objects even on a band axis: labelled by the period they start, in the reader's language.
  const data = prepareRows(rows, chart, true, context);
  const base = baseOptions(rows, data, chart, context, true);
  const dated = chart.x.type === 'date' || chart.x.type === 'datetime';
  const dodge = chart.color !== null && !additive(chart);
  const fill = chart.color ? 'color' : SINGLE_COLOUR;
  const tickFormat = dated ? (d: Date) => periodLabel(d, chart.bucket ?? 'day', context.locale) : undefined;
  const facet = chart.facet ? { fy: 'facet' } : {};
  if (dodge) {
    return {
      ...base,
      // Each x is a group (fx) of one bar per series; the series axis inside a group carries no labels.
      fx: { label: chart.x.label, ...(tickFormat ? { tickFormat } : {}), ...(base.x as object) },
      x: { axis: null, domain: (base.color as { domain?: unknown[] } | undefined)?.domain },
      marks: [Plot.barY(data, { fx: 'x', x: 'color', y: 'y', fill, ...facet, title: tooltip(chart, context) }), Plot.ruleY([0])],
    } as PlotOptions;
  }
  return {
    ...base,
    // A band axis of dates, said explicitly (Plot warns otherwise).
    ...(dated ? { x: { ...base.x, type: 'band', tickFormat } } : {}),
    marks: [Plot.barY(data, { x: 'x', y: 'y', fill, ...facet, title: tooltip(chart, context) }), Plot.ruleY([0])],
  };
}
