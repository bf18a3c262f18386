import type { Bucket } from './spec.ts';

/**
 * Numbers and dates on axes and in tooltips, written the way the page's language writes them: "1.600" and
 * "Agu 2024" in Indonesian, "1,600" and "Aug 2024" in English. Dates are read as UTC (the lake stores dates
 * without a zone), so the picture never depends on the server's time zone.
 *
 * Time axes get their tick interval from here too, so each label names exactly the period its tick starts
 * (a month label on a month tick, never "Agu" on the 17th).
 */
type Locale = 'id' | 'en';
const TAG: Record<Locale, string> = { id: 'id-ID', en: 'en-GB' };

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d${locale}${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) cache.set(key, (format = new Intl.DateTimeFormat(TAG[locale], { timeZone: 'UTC', ...options })));
  return format;
}

function numberFormat(locale: Locale, digits: number): Intl.NumberFormat {
  const key = `n${locale}${digits}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) cache.set(key, (format = new Intl.NumberFormat(TAG[locale], { maximumFractionDigits: digits })));
  return format;
}

export function formatNumber(value: number, locale: Locale, digits = 2): string {
  return numberFormat(locale, digits).format(value);
}

/** Axis ticks of large values in the language's short form: "1,3 T" and "500 jt" in Indonesian, "1.3tn" and "500m" in (British) English. */
export function formatCompact(value: number, locale: Locale): string {
  const key = `c${locale}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) cache.set(key, (format = new Intl.NumberFormat(TAG[locale], { notation: 'compact', maximumFractionDigits: 1 })));
  return format.format(value);
}

/** The calendar step of a time axis: a unit and how many of it between ticks. */
export interface TimeStep {
  unit: 'hour' | Bucket;
  every: number;
}

const DAY = 86_400_000;
const UNIT_MS: Record<TimeStep['unit'], number> = { hour: 3_600_000, day: DAY, week: 7 * DAY, month: 30.44 * DAY, quarter: 91.3 * DAY, year: 365.25 * DAY };
const LADDER: TimeStep[] = [
  { unit: 'hour', every: 1 }, { unit: 'hour', every: 3 }, { unit: 'hour', every: 6 }, { unit: 'hour', every: 12 },
  { unit: 'day', every: 1 }, { unit: 'day', every: 2 }, { unit: 'week', every: 1 }, { unit: 'week', every: 2 },
  { unit: 'month', every: 1 }, { unit: 'month', every: 3 }, { unit: 'quarter', every: 1 }, { unit: 'month', every: 6 }, { unit: 'quarter', every: 2 },
  { unit: 'year', every: 1 }, { unit: 'year', every: 2 }, { unit: 'year', every: 5 }, { unit: 'year', every: 10 },
];
const RANK: Record<TimeStep['unit'], number> = { hour: 0, day: 1, week: 2, month: 3, quarter: 4, year: 5 };

/**
 * The finest step that keeps about `maxTicks` labels across the span, in a unit no finer than the data's (the
 * bucket): monthly data is labelled by months ("Jan 2024", "Apr 2024"), quarterly data by quarters ("Tw2 2024").
 */
export function timeStep(spanMs: number, maxTicks: number, bucket: Bucket | null, withTime: boolean): TimeStep {
  const floor: TimeStep['unit'] = bucket ?? (withTime ? 'hour' : 'day');
  return (
    LADDER.find((s) => RANK[s.unit] >= RANK[floor] && spanMs / (UNIT_MS[s.unit] * s.every) <= maxTicks) ?? {
      unit: 'year',
      every: Math.max(1, Math.ceil(spanMs / UNIT_MS.year / maxTicks)),
    }
  );
}

/** Plot's name for a tick interval, e.g. "3 months". */
export function plotInterval(step: TimeStep): string {
  if (step.unit === 'quarter') return `${3 * step.every} months`;
  return step.every === 1 ? step.unit : `${step.every} ${step.unit}s`;
}

/** A label for the period a date starts: "2024", "Tw 3 2024", "Agu 2024", "5 Agu". */
export function periodLabel(date: Date, unit: TimeStep['unit'], locale: Locale, withYear = true): string {
  switch (unit) {
    case 'year':
      return String(date.getUTCFullYear());
    case 'quarter':
      return `${locale === 'id' ? 'Tw' : 'Q'}${Math.floor(date.getUTCMonth() / 3) + 1} ${date.getUTCFullYear()}`;
    case 'month':
      return dateFormat(locale, withYear ? { month: 'short', year: 'numeric' } : { month: 'short' }).format(date);
    case 'hour':
      return dateFormat(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
    default:
      return dateFormat(locale, withYear ? { day: 'numeric', month: 'short', year: 'numeric' } : { day: 'numeric', month: 'short' }).format(date);
  }
}

/** A date in a tooltip, as precise as the chart's grouping: "Agustus 2024", "5 Agustus 2024", "5 Agu 2024 14.30". */
export function tooltipDate(date: Date, bucket: Bucket | null, withTime: boolean, locale: Locale): string {
  if (bucket === 'year' || bucket === 'quarter') return periodLabel(date, bucket, locale);
  if (bucket === 'month') return dateFormat(locale, { month: 'long', year: 'numeric' }).format(date);
  if (bucket === 'week') return `${locale === 'id' ? 'Minggu' : 'Week of'} ${dateFormat(locale, { day: 'numeric', month: 'long', year: 'numeric' }).format(date)}`;
  if (withTime && !bucket) return dateFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  return dateFormat(locale, { day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}
