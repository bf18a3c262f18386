import { t, type Locale } from '../../i18n/index.ts';
import { findTopic, opdNames } from '../config/deployment.ts';
import type { FieldSpec } from '../lake/schema.ts';

/** Picks the English text when the reader chose English and one exists; Bahasa Indonesia otherwise. */
export function localized(locale: Locale, id: string, en: string | null | undefined): string {
  return locale === 'en' && en ? en : id;
}

/** The OPD's display name from the deployment config (or words saying the config does not list the code). */
export function opdName(code: string, locale: Locale): string {
  const opd = opdNames(code);
  return localized(locale, opd.name, opd.name_en);
}

/** A topic's display name from the deployment config (`topics:`), or the word as the spec wrote it. */
export function topicName(topic: string, locale: Locale): string {
  const found = findTopic(topic);
  return found ? localized(locale, found.name, found.name_en) : topic;
}

/** "1,2 MB" style sizes for people, not for machines. */
export function formatBytes(locale: Locale, bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${sizeFormats[locale][unit === 0 ? 0 : 1].format(value)} ${units[unit]}`;
}

// Made once: building an Intl formatter per call showed in page profiles.
const sizeFormat = (locale: string, digits: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
const sizeFormats: Record<Locale, [Intl.NumberFormat, Intl.NumberFormat]> = {
  id: [sizeFormat('id-ID', 0), sizeFormat('id-ID', 1)],
  en: [sizeFormat('en-GB', 0), sizeFormat('en-GB', 1)],
};

/** A field's constraints as short phrases for the data dictionary, e.g. ["wajib diisi", "minimum 0"]. */
export function constraintPhrases(constraints: FieldSpec['constraints'], locale: Locale): string[] {
  if (!constraints) return [];
  const phrases: string[] = [];
  if (constraints.required) phrases.push(t(locale, 'constraint.required'));
  if (constraints.unique) phrases.push(t(locale, 'constraint.unique'));
  if (constraints.minimum !== undefined) phrases.push(t(locale, 'constraint.minimum', { value: constraints.minimum }));
  if (constraints.maximum !== undefined) phrases.push(t(locale, 'constraint.maximum', { value: constraints.maximum }));
  if (constraints.enum) phrases.push(t(locale, 'constraint.enum', { values: constraints.enum.join(', ') }));
  if (constraints.pattern) phrases.push(t(locale, 'constraint.pattern', { value: constraints.pattern }));
  return phrases;
}
