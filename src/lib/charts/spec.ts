import type { ColumnProfile } from '../server/lake/manifest.ts';
import type { FieldSpec, FieldType } from '../server/lake/schema.ts';

/**
 * What a chart is, independent of where its rows come from: a mark and the columns on its channels. The chart
 * builder page and the pipeline spec's `charts:` both end up here, validated against the dataset's schema.
 */
export const MARKS = ['bar', 'line', 'dot', 'area', 'cell'] as const;
export type Mark = (typeof MARKS)[number];

export interface ChartChannel {
  name: string;
  /** Column title for axis labels and tooltips. */
  label: string;
  type: FieldType;
}

export interface Chart {
  mark: Mark;
  x: ChartChannel;
  y: ChartChannel | null;
  color: ChartChannel | null;
  facet: ChartChannel | null;
  /**
   * How the plotted value is computed: summed per group, counted per group, or taken as is (dot). The value is y
   * for bar, line, area and dot, and the fill (colour) for cell, whose x and y are both groups.
   */
  aggregate: 'sum' | 'count' | 'none';
}

/** A problem with one chart parameter, phrased for the person who picked it; `code` is a message key. */
export interface ChartProblem {
  parameter: 'mark' | 'x' | 'y' | 'color' | 'facet';
  code: string;
  params: Record<string, string | number>;
}

export interface ChartRequest {
  mark?: string | null;
  x?: string | null;
  y?: string | null;
  color?: string | null;
  facet?: string | null;
}

export const NUMERIC_TYPES: readonly FieldType[] = ['integer', 'number'];
/** Facets beyond this many panels stop being readable. */
export const MAX_FACETS = 12;

/**
 * Checks a requested chart against the schema and turns it into a `Chart`, or lists every problem at once.
 * `label` gives a column's title in the reader's language.
 */
export function resolveChart(
  request: ChartRequest,
  fields: FieldSpec[],
  profile: ColumnProfile[],
  label: (field: FieldSpec) => string,
): { chart: Chart | null; problems: ChartProblem[] } {
  const problems: ChartProblem[] = [];
  const byName = new Map(fields.map((f) => [f.name, f]));
  const columns = fields.filter((f) => f.type !== 'geometry').map((f) => f.name).join(', ');
  const mark = (request.mark || 'bar') as Mark;
  if (!MARKS.includes(mark)) problems.push({ parameter: 'mark', code: 'chart.problem.mark', params: { value: String(request.mark), marks: MARKS.join(', ') } });

  const channel = (parameter: ChartProblem['parameter'], name: string | null | undefined): ChartChannel | null => {
    if (!name) return null;
    const field = byName.get(name);
    if (!field || field.type === 'geometry') {
      problems.push({ parameter, code: 'chart.problem.column', params: { value: name, columns } });
      return null;
    }
    return { name: field.name, label: label(field), type: field.type };
  };
  const x = channel('x', request.x);
  const y = channel('y', request.y);
  const color = channel('color', request.color);
  const facet = channel('facet', request.facet);
  if (!request.x) problems.push({ parameter: 'x', code: 'chart.problem.x_required', params: {} });

  if (mark === 'cell' && !request.y) problems.push({ parameter: 'y', code: 'chart.problem.y_required', params: {} });
  // bar, line and area add y up per group, so y has to be a number; dot and cell plot it as it is.
  if (y && (mark === 'bar' || mark === 'line' || mark === 'area') && !NUMERIC_TYPES.includes(y.type)) {
    problems.push({ parameter: 'y', code: 'chart.problem.y_numeric', params: { value: y.name, type: y.type } });
  }
  if (color && mark === 'cell' && !NUMERIC_TYPES.includes(color.type)) {
    problems.push({ parameter: 'color', code: 'chart.problem.color_numeric', params: { value: color.name, type: color.type } });
  }
  if (facet) {
    const distinct = profile.find((p) => p.name === facet.name)?.distinct;
    if (distinct !== undefined && distinct > MAX_FACETS) {
      problems.push({ parameter: 'facet', code: 'chart.problem.facet_many', params: { value: facet.name, n: distinct, max: MAX_FACETS } });
    }
  }
  if (problems.length > 0 || !x) return { chart: null, problems };
  const aggregate = mark === 'cell' ? (color ? 'sum' : 'count') : mark === 'dot' && y ? 'none' : y ? 'sum' : 'count';
  return { chart: { mark, x, y, color, facet, aggregate }, problems };
}

/** The URL parameters of a chart, for links and downloads (empty channels left out). */
export function chartParams(request: ChartRequest): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['mark', 'x', 'y', 'color', 'facet'] as const) {
    const value = request[key];
    if (value) params.set(key, value);
  }
  return params;
}
