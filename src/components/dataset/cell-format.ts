import type { Locale } from '../../lib/i18n/index.ts';
import { isMeasure } from '../../lib/i18n/measure.ts';
import type { FieldSpec } from '../../lib/server/lake/schema.ts';

/**
 * How a value reads in the data table and in facets: measures get their digits grouped the way the page's
 * language writes numbers (1.600,5 in Indonesian, 1,600.5 in English); identifiers and years never do ("2025", not
 * "2.025"; a kode wilayah stays as written). Dates stay ISO, as in the downloads.
 */

const formats: Record<Locale, Intl.NumberFormat> = {
  id: new Intl.NumberFormat('id-ID', { maximumFractionDigits: 6 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 6 }),
};

export { isMeasure };

export function formatCell(value: unknown, field: FieldSpec | undefined, locale: Locale, primaryKey: readonly string[] = []): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  if (isMeasure(field, primaryKey)) {
    const n = typeof value === 'number' ? value : Number(value);
    // Integers beyond 2^53 arrive as strings; grouping them through a double would change their digits.
    if (Number.isFinite(n) && (typeof value === 'number' || Number.isSafeInteger(n) || field!.type === 'number')) return formats[locale].format(n);
  }
  return String(value);
}

/** A column header's unit, e.g. "jiwa" → " (jiwa)". */
export function unitSuffix(field: FieldSpec | undefined): string {
  return field?.unit ? ` (${field.unit})` : '';
}
