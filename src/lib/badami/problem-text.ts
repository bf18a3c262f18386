import { t, type Locale } from '../i18n/index.ts';
import type { Failure, Problem } from '../server/badami/results.ts';

/**
 * A Badami refusal in the reader's words: the failure's sentence, then one sentence per wrong field naming the field
 * as its form labels it (`<form>.<field>` messages, e.g. `badami.kpi.target`, else the profile's `badami.field.*`).
 */
const FIELD_ALIASES: Record<string, string> = { to: 'badami.move.label', note: 'badami.move.note', reason: 'badami.move.reason', images: 'badami.update.images' };

function fieldLabel(locale: Locale, form: string, field: string): string {
  const contact = /^contacts\.\d+\.(name|role|email)$/.exec(field);
  if (contact) return t(locale, `badami.field.contact_${contact[1]}`);
  if (field.startsWith('evidence_')) return t(locale, field === 'evidence_indicator' ? 'badami.evidence.indicator' : 'badami.evidence.files');
  const candidates = [`badami.${form}.${field}`, FIELD_ALIASES[field], `badami.field.${field}`];
  for (const key of candidates) if (key && t(locale, key) !== key) return t(locale, key);
  return field;
}

export function problemText(locale: Locale, form: string, problem: Problem): string {
  const field = fieldLabel(locale, form, problem.field);
  if (problem.code.startsWith('upload.')) return `${field}: ${t(locale, `community.error.${problem.code.slice(7)}`, problem.params ?? {})}`;
  if (problem.code.startsWith('binding.')) return `${field}: ${t(locale, `badami.${problem.code}`, problem.params ?? {})}`;
  const key = `badami.problem.${problem.code}`;
  return t(locale, t(locale, key) === key ? 'badami.problem.other' : key, { ...problem.params, field });
}

export function failureText(locale: Locale, form: string, failure: Failure): string {
  const head = t(locale, `badami.error.${failure.code}`, failure.params ?? {});
  return [head, ...(failure.problems ?? []).map((p) => problemText(locale, form, p))].join(' ');
}
