import { t, type Locale } from '../i18n/index.ts';
import { describeProblem } from '../server/community/export-read.ts';
import { headerText } from '../server/community/exports.ts';
import type { ImportIssue } from '../server/badami/import-issues.ts';
import { importColumns, type ImportKind } from '../server/badami/import.ts';
import { problemText } from './problem-text.ts';

/**
 * An import's refusal in the reader's words, one sentence per issue: "Baris 4, kolom Tenggat: diharapkan tanggal
 * (TTTT-BB-HH), ditemukan "besok"." Columns are named by the header the export wrote in the reader's language.
 */
/** What was found, as much of it as a person needs to recognise it (a cell may hold a whole design text). */
const short = (text: string) => (text.length > 120 ? `${text.slice(0, 120)}…` : text);

export function importIssueText(locale: Locale, kind: ImportKind, given: ImportIssue): string {
  const issue = given.found === undefined ? given : { ...given, found: short(given.found) };
  if (issue.read) {
    // readExport names columns by their Bahasa Indonesia header; the reader gets the header of their language.
    const named = importColumns(kind).find((c) => headerText(c, 'id') === issue.read!.column);
    return describeProblem(locale, named ? { ...issue.read, column: headerText(named, locale) } : issue.read);
  }
  const column = importColumns(kind).find((c) => c.key === issue.column);
  const header = column ? headerText(column, locale) : (issue.column ?? '');
  const where = issue.line === undefined ? '' : column ? t(locale, 'badami.import.where', { line: issue.line, column: header }) : t(locale, 'badami.import.where_line', { line: issue.line });
  if (issue.problem) {
    const found = issue.found !== undefined ? t(locale, 'badami.import.found', { found: issue.found }) : '';
    return `${t(locale, 'badami.import.where_line', { line: issue.line ?? 0 })}${problemText(locale, issue.form ?? 'field', issue.problem)}${found}`;
  }
  const expected = issue.expected ? issue.expected[locale] : issue.expectedKeys ? issue.expectedKeys.map((k) => t(locale, k)).join(', ') : String(issue.params?.expected ?? '');
  return `${where}${t(locale, `badami.import.${issue.code}`, { ...issue.params, found: issue.found ?? '', expected, column: header })}`;
}

/** The headline and every issue, one per line (the page lists them). */
export function importRefusalLines(locale: Locale, kind: ImportKind, outcome: { code: string; issues: ImportIssue[] }): string[] {
  return [t(locale, outcome.code === 'forbidden' ? 'badami.import.forbidden_head' : 'badami.error.import_rejected'), ...outcome.issues.map((i) => importIssueText(locale, kind, i))];
}
