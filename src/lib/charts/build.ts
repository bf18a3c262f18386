import type { PlotOptions } from '@observablehq/plot';
import type { BuildContext, ChartRow } from './common.ts';
import { areaOptions } from './marks/area.ts';
import { barOptions } from './marks/bar.ts';
import { cellOptions } from './marks/cell.ts';
import { dotOptions } from './marks/dot.ts';
import { lineOptions } from './marks/line.ts';
import type { Chart, Mark } from './spec.ts';

export type { BuildContext, ChartRow } from './common.ts';

const BUILDERS: Record<Mark, (rows: ChartRow[], chart: Chart, context: BuildContext) => PlotOptions> = {
  bar: barOptions,
  line: lineOptions,
  dot: dotOptions,
  area: areaOptions,
  cell: cellOptions,
};

/** Plot options for a resolved chart and its (already aggregated) rows. Pure: same rows, same picture. */
export function chartOptions(rows: ChartRow[], chart: Chart, context: BuildContext): PlotOptions {
  return BUILDERS[chart.mark](rows, chart, context);
}
