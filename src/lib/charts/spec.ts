import type { ColumnProfile } from '../server/lake/manifest.ts';
import type { FieldSpec, FieldType } from '../server/lake/schema.ts';

/**
 * What a chart is, independent of where its rows come from: a mark and the columns on its channels. The chart
 * builder page and the pipeline spec's `charts:` both end up here, validated against the dataset's schema.
 */
export const MARKS = ['bar', 'line', 'dot', 'area', 'cell'] as const;
export type Mark = (typeof MARKS)[number];
/** How the plotted value is computed per group; `none` plots rows as they are. */
export const AGGREGATES = ['sum', 'mean', 'median', 'count', 'count_distinct', 'min', 'max', 'none'] as const;
export type Aggregate = (typeof AGGREGATES)[number];
/** Calendar units a date or date-time x axis can be grouped by. */
export const BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];
/** Series drawn in their own colour before the rest are grouped as "Lainnya"/"Other" (the palette has ten). */
export const DEFAULT_TOP = 9;
export const MAX_TOP = 9;
/** Every URL parameter a chart reads (the rest of a chart URL are table filters). */
export const CHART_PARAMS = ['mark', 'x', 'y', 'color', 'facet', 'aggregate', 'bucket', 'top'] as const;

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
   * How the plotted value is computed per group (or `none`: taken as is). The value is y for bar, line, area and
   * dot, and the fill (colour) for cell, whose x and y are both groups. `count` counts rows; `count_distinct`
   * counts the distinct values of y (of the colour column for cell).
   */
  aggregate: Aggregate;
  /** A date or date-time x grouped by this calendar unit (null: by its own values). */
  bucket: Bucket | null;
  /** Colour series drawn separately; the others are grouped as one. */
  top: number;
}

/** A problem with one chart parameter, phrased for the person who picked it; `code` is a message key. */
export interface ChartProblem {
  parameter: 'mark' | 'x' | 'y' | 'color' | 'facet' | 'aggregate' | 'bucket' | 'top';
  code: string;
  params: Record<string, string | number>;
}

export interface ChartRequest {
  mark?: string | null;
  x?: string | null;
  y?: string | null;
  color?: string | null;
  facet?: string | null;
  aggregate?: string | null;
  bucket?: string | null;
  top?: string | number | null;
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
  // The column whose values are aggregated: y, or the fill of a heat map.
  const measured = mark === 'cell' ? color : y;
  const measuredParameter = mark === 'cell' ? 'color' : 'y';
  const asked = request.aggregate || null;
  if (asked && !(AGGREGATES as readonly string[]).includes(asked)) {
    problems.push({ parameter: 'aggregate', code: 'chart.problem.aggregate', params: { value: asked, aggregates: AGGREGATES.join(', ') } });
  }
  const aggregate: Aggregate =
    asked && (AGGREGATES as readonly string[]).includes(asked)
      ? (asked as Aggregate)
      : mark === 'cell' ? (color ? 'sum' : 'count') : mark === 'dot' && y ? 'none' : y ? 'sum' : 'count';
  if (aggregate === 'none' && mark === 'cell') problems.push({ parameter: 'aggregate', code: 'chart.problem.aggregate_cell', params: {} });
  if (aggregate !== 'count' && !measured && !(mark === 'cell' && aggregate === 'none')) {
    problems.push({ parameter: measuredParameter, code: 'chart.problem.aggregate_column', params: { aggregate } });
  }
  // Sums, means, medians, minima and maxima are of numbers; a distinct count or raw values can be of anything
  // that an axis can show (raw values on the bar, line and area y axis must still be numbers).
  const numericNeeded = ['sum', 'mean', 'median', 'min', 'max'].includes(aggregate) || (aggregate === 'none' && mark !== 'dot');
  if (measured && numericNeeded && !NUMERIC_TYPES.includes(measured.type)) {
    problems.push(
      mark === 'cell'
        ? { parameter: 'color', code: 'chart.problem.color_numeric', params: { value: measured.name, type: measured.type } }
        : { parameter: 'y', code: 'chart.problem.y_numeric', params: { value: measured.name, type: measured.type, aggregate } },
    );
  }
  const bucketAsked = request.bucket || null;
  let bucket: Bucket | null = null;
  if (bucketAsked) {
    if (!(BUCKETS as readonly string[]).includes(bucketAsked)) {
      problems.push({ parameter: 'bucket', code: 'chart.problem.bucket', params: { value: bucketAsked, buckets: BUCKETS.join(', ') } });
    } else if (x && x.type !== 'date' && x.type !== 'datetime') {
      problems.push({ parameter: 'bucket', code: 'chart.problem.bucket_date', params: { value: x.name, type: x.type } });
    } else {
      bucket = bucketAsked as Bucket;
    }
  }
  let top = DEFAULT_TOP;
  if (request.top !== undefined && request.top !== null && request.top !== '') {
    const n = Number(request.top);
    if (!Number.isInteger(n) || n < 1 || n > MAX_TOP) problems.push({ parameter: 'top', code: 'chart.problem.top', params: { value: String(request.top), max: MAX_TOP } });
    else top = n;
  }
  if (facet) {
    const distinct = profile.find((p) => p.name === facet.name)?.distinct;
    if (distinct !== undefined && distinct > MAX_FACETS) {
      problems.push({ parameter: 'facet', code: 'chart.problem.facet_many', params: { value: facet.name, n: distinct, max: MAX_FACETS } });
    }
  }
  if (problems.length > 0 || !x) return { chart: null, problems };
  return { chart: { mark, x, y, color, facet, aggregate, bucket, top }, problems };
}

/** The URL parameters of a chart, for links and downloads (empty channels left out). */
export function chartParams(request: ChartRequest): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of CHART_PARAMS) {
    const value = request[key];
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  }
  return params;
}
