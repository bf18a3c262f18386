import { t, type Locale } from '../../i18n/index.ts';

/**
 * One thing wrong with a request, named by the parameter at fault: a message key with its values, so that the same
 * problem can be told in the reader's language wherever it is shown (API error, page, CKAN). `message` holds the
 * English text for callers that only log it.
 */
export interface Problem {
  parameter: string;
  /** An i18n key, e.g. `problem.filter.not_a_date`. */
  code: string;
  params: Record<string, string | number>;
  message: string;
}

export function problem(parameter: string, code: string, params: Record<string, string | number> = {}): Problem {
  return { parameter, code, params, message: t('en', code, params) };
}

export function problemText(found: Pick<Problem, 'code' | 'params'>, locale: Locale): string {
  return t(locale, found.code, found.params);
}

/** The problems as an API shows them: parameter, code and the message in the reader's language. */
export function problemDetails(problems: readonly Problem[], locale: Locale): { parameter: string; code: string; message: string }[] {
  return problems.map((p) => ({ parameter: p.parameter, code: p.code, message: problemText(p, locale) }));
}
