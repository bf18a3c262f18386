import type { ColumnProfile } from '../lake/manifest.ts';
import type { FieldSpec } from '../lake/schema.ts';
import type { Filter } from './filters.ts';

/**
 * How a histogram facet cuts its column into bins: pure, so the rules are tested without a database.
 *
 * The bins span the column's range among the rows that pass the filters (the manifest's profile when there are
 * none), never wider than the reader's own range filters on that column; so brushing a range zooms the histogram
 * into it. Numbers get equal "nice" widths (1, 2, 2.5 or 5 × 10^k; whole numbers for integers); dates and
 * date-times calendar units (hour, day, month, year), so a bin is a month people can name rather than 36.5 days.
 */
export const MAX_BINS = 24;

export type Binning =
  | { kind: 'number'; start: number; step: number; count: number }
  | { kind: 'date'; unit: DateUnit; start: string; count: number };

export type DateUnit = 'hour' | 'day' | 'month' | 'year';

export function histogramBinning(field: FieldSpec, range: Pick<ColumnProfile, 'min' | 'max'> | undefined, filters: Filter[]): Binning | null {
  const profile = range;
  if (!profile || profile.min === null || profile.max === null) return null;
  const own = filters.filter((f) => f.column === field.name);
  if (field.type === 'integer' || field.type === 'number') {
    let [lo, hi] = narrowed(Number(profile.min), Number(profile.max), own, Number);
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) return null;
    const step = niceStep((hi - lo) / MAX_BINS, field.type === 'integer');
    const start = Math.floor(lo / step) * step;
    // A bin holds [start + i·step, start + (i+1)·step): the maximum needs a bin of its own when it sits on an edge.
    const count = Math.max(1, Math.floor((hi - start) / step) + 1);
    return { kind: 'number', start: tidy(start), step, count: Math.min(count, MAX_BINS + 1) };
  }
  if (field.type === 'date' || field.type === 'datetime') {
    const [lo, hi] = narrowed(toMillis(String(profile.min)), toMillis(String(profile.max)), own, (v) => toMillis(v));
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) return null;
    const unit = dateUnit(hi - lo, field.type === 'datetime');
    const first = truncate(new Date(lo), unit);
    let count = 0;
    for (let at = first; at.getTime() <= hi && count <= MAX_BINS * 31; at = addUnit(at, unit)) count++;
    return { kind: 'date', unit, start: isoOf(first, field.type), count: Math.max(1, count) };
  }
  return null;
}

/** The range filters on the column itself move the bounds in (eq pins both). */
function narrowed(lo: number, hi: number, own: Filter[], parse: (v: string) => number): [number, number] {
  for (const f of own) {
    const v = parse(f.values[0] ?? '');
    if (!Number.isFinite(v)) continue;
    if ((f.op === 'gte' || f.op === 'gt' || f.op === 'eq') && v > lo) lo = v;
    if ((f.op === 'lte' || f.op === 'lt' || f.op === 'eq') && v < hi) hi = v;
  }
  return [lo, hi];
}

/** The smallest of 1, 2, 2.5, 5 × 10^k at least `raw` (at least 1 for whole numbers). */
export function niceStep(raw: number, whole: boolean): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * power;
  return whole ? Math.max(1, Math.ceil(step)) : tidy(step);
}

function dateUnit(spanMs: number, withTime: boolean): DateUnit {
  const day = 86_400_000;
  if (withTime && spanMs <= 2 * day) return 'hour';
  if (spanMs <= 62 * day) return 'day';
  if (spanMs <= 6 * 366 * day) return 'month';
  return 'year';
}

/** Bin bounds in the column's own text form, for filters and labels: [from, to) per bin. */
export function binBounds(binning: Binning, type: FieldSpec['type']): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  if (binning.kind === 'number') {
    for (let i = 0; i < binning.count; i++) {
      out.push({ from: String(tidy(binning.start + i * binning.step)), to: String(tidy(binning.start + (i + 1) * binning.step)) });
    }
    return out;
  }
  let at = new Date(toMillis(binning.start));
  for (let i = 0; i < binning.count; i++) {
    const next = addUnit(at, binning.unit);
    out.push({ from: isoOf(at, type), to: isoOf(next, type) });
    at = next;
  }
  return out;
}

/** Dates are read as UTC everywhere here, so bins do not move with the server's time zone. */
export function toMillis(value: string): number {
  const text = value.includes('T') || value.includes(' ') ? value.replace(' ', 'T') : `${value}T00:00:00`;
  return Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
}

function truncate(date: Date, unit: DateUnit): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  if (unit === 'year') return new Date(Date.UTC(y, 0, 1));
  if (unit === 'month') return new Date(Date.UTC(y, m, 1));
  if (unit === 'day') return new Date(Date.UTC(y, m, date.getUTCDate()));
  return new Date(Date.UTC(y, m, date.getUTCDate(), date.getUTCHours()));
}

function addUnit(date: Date, unit: DateUnit): Date {
  const d = new Date(date.getTime());
  if (unit === 'year') d.setUTCFullYear(d.getUTCFullYear() + 1);
  else if (unit === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else if (unit === 'day') d.setUTCDate(d.getUTCDate() + 1);
  else d.setUTCHours(d.getUTCHours() + 1);
  return d;
}

function isoOf(date: Date, type: FieldSpec['type']): string {
  const iso = date.toISOString();
  return type === 'date' ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** Removes floating-point dust (0.30000000000000004 → 0.3). */
function tidy(n: number): number {
  return Number(n.toPrecision(12));
}
