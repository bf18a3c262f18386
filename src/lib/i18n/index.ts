import { api } from './messages/api.ts';
import { auth } from './messages/auth.ts';
import { badami } from './messages/badami.ts';
import { badamiPromote } from './messages/badami-promote.ts';
import { badamiViews } from './messages/badami-views.ts';
import { badamiVocabulary } from './messages/badami-vocabulary.ts';
import { badamiImport } from './messages/badami-import.ts';
import { catalog } from './messages/catalog.ts';
import { common } from './messages/common.ts';
import { community } from './messages/community.ts';
import { dataset } from './messages/dataset.ts';
import { datathon } from './messages/datathon.ts';
import { explore } from './messages/explore.ts';
import { ingest } from './messages/ingest.ts';
import { map } from './messages/map.ts';
import { design } from './messages/design.ts';
import { pipeline } from './messages/pipeline.ts';
import { site } from './messages/site.ts';
import { problems } from './messages/problems.ts';
import { sql } from './messages/sql.ts';
import { sqlpage } from './messages/sqlpage.ts';

/**
 * Messages live in one file per domain under ./messages, each `{ id: {...}, en: {...} }` with the same
 * keys (a unit test checks that). Bahasa Indonesia is the default; English is the switch.
 */
export const LOCALES = ['id', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

type Dictionary = Record<string, string>;
const dictionaries: Record<string, { id: Dictionary; en: Dictionary }> = { common, pipeline, ingest, map, catalog, auth, site, dataset, explore, api, sqlpage, sql, problems, design, community, datathon, badami, badamiViews, badamiPromote, badamiImport, badamiVocabulary };

const merged: Record<Locale, Dictionary> = { id: {}, en: {} };
for (const dict of Object.values(dictionaries)) {
  Object.assign(merged.id, dict.id);
  Object.assign(merged.en, dict.en);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** `t('id', 'run.rows', { n: 3 })`: `{n}` placeholders are replaced; a missing key shows the key itself. */
export function t(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const template = merged[locale][key] ?? merged.id[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

export function translator(locale: Locale) {
  return (key: string, params?: Record<string, string | number>) => t(locale, key, params);
}

// Building an Intl formatter costs far more than using one: one per language, made once (it showed in profiles).
const numberFormats: Record<Locale, Intl.NumberFormat> = { id: new Intl.NumberFormat('id-ID'), en: new Intl.NumberFormat('en-GB') };
const dateFormats: Record<Locale, Intl.DateTimeFormat> = {
  id: new Intl.DateTimeFormat('id-ID', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jakarta' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jakarta' }),
};

export function formatNumber(locale: Locale, value: number): string {
  return numberFormats[locale].format(value);
}

export function formatDate(locale: Locale, iso: string): string {
  return dateFormats[locale].format(new Date(iso));
}

export const allDictionaries = dictionaries;
