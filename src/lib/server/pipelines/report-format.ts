import { formatNumber, t, type Locale } from '../../i18n/index.ts';
import type { Progress } from './runner.ts';
import type { RunRecord } from './run-record.ts';

/** A run as lines of text for the CLI and logs, in the reader's language. */
export function formatRun(record: RunRecord, locale: Locale, options: { valid?: boolean; dryRun?: boolean } = {}): string[] {
  const lines: string[] = [];
  lines.push(
    t(locale, 'run.summary', {
      id: record.dataset,
      status: t(locale, `run.status.${record.status}`),
      version: record.version ? t(locale, 'run.version', { version: record.version }) : '',
      rows: record.rows === null ? '–' : formatNumber(locale, record.rows),
      ms: formatNumber(locale, record.duration_ms),
    }),
  );
  const error = record.problem ? t(locale, record.problem.code, record.problem.params) : record.error;
  if (error) lines.push(...error.split('\n').map((l) => `  ${l}`));
  for (const notice of record.notices ?? []) lines.push(`  ${t(locale, 'run.notice')} ${t(locale, notice.code, notice.params)}`);
  for (const report of record.report) {
    lines.push(
      t(locale, 'run.rule', {
        rule: report.rule,
        column: report.column ? t(locale, 'run.rule.column', { column: report.column }) : '',
        count: formatNumber(locale, report.count),
        more: report.count > report.examples.length ? t(locale, 'run.rule.more', { shown: report.examples.length }) : '',
      }),
    );
    for (const issue of report.examples) {
      lines.push(
        issue.row === undefined
          ? t(locale, 'run.issue.table', { expected: localizeTerm(locale, issue.expected ?? ''), found: localizeTerm(locale, issue.found ?? '') })
          : t(locale, 'run.issue.row', { row: issue.row, expected: localizeTerm(locale, issue.expected ?? ''), found: localizeTerm(locale, issue.found ?? '') }),
      );
    }
  }
  if (options.dryRun && options.valid) lines.push(t(locale, 'run.valid'));
  return lines;
}

export function formatProgress(p: Progress, locale: Locale): string {
  const detail =
    p.rows !== undefined
      ? t(locale, 'run.progress.rows', { rows: formatNumber(locale, p.rows) })
      : p.bytes !== undefined
        ? t(locale, 'run.progress.bytes', { bytes: formatNumber(locale, p.bytes) })
        : '';
  return t(locale, 'run.progress', { id: p.dataset, phase: t(locale, `phase.${p.phase}`), detail });
}

/**
 * Run reports are stored with short English terms for "expected"/"found" (they are data, shown in either language);
 * this turns the known terms into Indonesian. Values from the data pass through untouched.
 */
const INDONESIAN_TERMS: [RegExp, string][] = [
  [/^a value$/, 'berisi nilai'],
  [/^(a unique value|unique values)$/, 'nilai unik'],
  [/^a unique, non-empty key$/, 'kunci unik dan tidak kosong'],
  [/^one of: (.*)$/s, 'salah satu dari: $1'],
  [/^matches (.*)$/s, 'cocok dengan pola $1'],
  [/^a value of (.*)$/, 'nilai yang ada di $1'],
  [/^a published dataset "(.*)"$/, 'dataset "$1" yang sudah diterbitkan'],
  [/^not published$/, 'belum diterbitkan'],
  [/^newest value at most (\S+) days old$/, 'nilai terbaru paling lama $1 hari'],
  [/^(.*) \((-?\d+) days old\)$/, '$1 ($2 hari)'],
  [/^no values$/, 'tidak ada nilai'],
  [/^a column "(.*)"$/, 'kolom "$1"'],
  [/^\(kosong\/empty\)$/, '(kosong)'],
  [/^∅ (.*)$/, 'kosong: $1'],
  [/^at least 1 row \(publish\.allow_empty: true in pipeline\.yaml publishes an empty result\)$/, 'paling sedikit 1 baris (publish.allow_empty: true di pipeline.yaml menerbitkan hasil kosong)'],
  [
    /^at most (\S+) fewer rows than the current version (\S+) \((\d+) rows\); run again with --force to publish anyway$/,
    'paling banyak $1 lebih sedikit dari versi saat ini $2 ($3 baris); jalankan lagi dengan --force untuk tetap menerbitkan',
  ],
  [/^(\d+) rows \((\S+) fewer\)$/, '$1 baris ($2 lebih sedikit)'],
  [/^(.*) rows$/, '$1 baris'],
];
const ENGLISH_TERMS: [RegExp, string][] = [
  [/^\(kosong\/empty\)$/, '(empty)'],
  [/^∅ (.*)$/, 'empty: $1'],
];

export function localizeTerm(locale: Locale, text: string): string {
  for (const [pattern, replacement] of locale === 'id' ? INDONESIAN_TERMS : ENGLISH_TERMS) {
    if (pattern.test(text)) return text.replace(pattern, replacement).replace(/ and /g, locale === 'id' ? ' dan ' : ' and ');
  }
  return text;
}
