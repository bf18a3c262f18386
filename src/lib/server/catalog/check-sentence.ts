import { formatNumber, t, type Locale } from '../../i18n/index.ts';
import type { CheckParams, CheckResult } from '../lake/manifest.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { localized } from './present.ts';

/**
 * A check as a sentence in the reader's language, for the dataset page: the spec's own title when it gave one,
 * otherwise one made from the check's type and parameters ("Kolom kode dan nama wajib diisi"), never the
 * machine name ("not_null:kode+nama#1"). Columns are named by their titles from the schema.
 */
export function checkSentence(check: Pick<CheckResult, 'name' | 'type' | 'title' | 'title_en' | 'params'>, fields: FieldSpec[], locale: Locale): string {
  if (check.title) return localized(locale, check.title, check.title_en);
  const params = check.params ?? paramsFromName(check.name);
  const column = (name: string) => {
    const field = fields.find((f) => f.name === name);
    return field ? localized(locale, field.title ?? name, field.title_en) : name;
  };
  const columns = (names: string[]) => list(names.map(column), locale);
  const n = (value: number) => formatNumber(locale, value);
  switch (check.type) {
    case 'not_null':
      return params.columns ? t(locale, 'check.not_null', { columns: columns(params.columns) }) : t(locale, 'check.unknown', { type: check.type });
    case 'unique':
      if (!params.columns) return t(locale, 'check.unknown', { type: check.type });
      return t(locale, params.columns.length > 1 ? 'check.unique_many' : 'check.unique', { columns: columns(params.columns) });
    case 'accepted_values':
      if (!params.column) break;
      return params.values
        ? t(locale, 'check.accepted_values', { column: column(params.column), values: list(params.values.map((v) => `“${v}”`), locale, 'or') })
        : t(locale, 'check.accepted_values_any', { column: column(params.column) });
    case 'range': {
      if (!params.column) break;
      const c = column(params.column);
      if (params.min !== undefined && params.max !== undefined) return t(locale, 'check.range_both', { column: c, min: n(params.min), max: n(params.max) });
      if (params.min !== undefined) return t(locale, 'check.range_min', { column: c, min: n(params.min) });
      if (params.max !== undefined) return t(locale, 'check.range_max', { column: c, max: n(params.max) });
      return t(locale, 'check.range_any', { column: c });
    }
    case 'row_count': {
      const { min, max } = params;
      if (min !== undefined && min === max) return t(locale, 'check.row_count_exact', { min: n(min) });
      if (min !== undefined && max !== undefined) return t(locale, 'check.row_count_both', { min: n(min), max: n(max) });
      if (min !== undefined) return t(locale, 'check.row_count_min', { min: n(min) });
      if (max !== undefined) return t(locale, 'check.row_count_max', { max: n(max) });
      return t(locale, 'check.row_count_any');
    }
    case 'freshness':
      if (!params.column) break;
      return params.max_age_days !== undefined
        ? t(locale, 'check.freshness', { column: column(params.column), days: n(params.max_age_days) })
        : t(locale, 'check.freshness_any', { column: column(params.column) });
    case 'relationships':
      if (!params.column) break;
      return params.to && params.field
        ? t(locale, 'check.relationships', { column: column(params.column), to: params.to, field: params.field })
        : t(locale, 'check.relationships_any', { column: column(params.column) });
  }
  return t(locale, 'check.unknown', { type: check.type });
}

/**
 * Manifests published before checks carried their parameters only have the generated name, `type:a+b#n`: its
 * columns are enough for most sentences.
 */
export function paramsFromName(name: string): CheckParams {
  const match = /^[a-z_]+:([a-z0-9_+]+)#\d+$/.exec(name);
  if (!match || match[1] === 'table') return {};
  const columns = match[1]!.split('+');
  return { columns, column: columns[0] };
}

/** "a", "a dan b", "a, b dan c" (or "atau"/"or"). */
function list(items: string[], locale: Locale, joiner: 'and' | 'or' = 'and'): string {
  const word = joiner === 'and' ? (locale === 'en' ? ' and ' : ' dan ') : locale === 'en' ? ' or ' : ' atau ';
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')}${word}${items.at(-1)}`;
}
