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
  if (record.error) lines.push(...record.error.split('\n').map((l) => `  ${l}`));
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
          ? t(locale, 'run.issue.table', { expected: issue.expected ?? '', found: issue.found ?? '' })
          : t(locale, 'run.issue.row', { row: issue.row, expected: issue.expected ?? '', found: issue.found ?? '' }),
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
