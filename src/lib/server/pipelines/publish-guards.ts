import type { Manifest } from '../lake/manifest.ts';
import { tableRuleReport } from './rule-query.ts';
import type { RuleReport } from './run-record.ts';
import type { PipelineSpec } from './spec.ts';

/**
 * Rules about the result as a whole that keep a broken export from replacing good data (issue 8 finding 8):
 * - `empty`: a result without rows is refused unless the spec says `publish.allow_empty: true` (a header-only
 *   CSV once published 0 rows over 64);
 * - `row_drop`: a result with more than `max_row_drop` (default 50%) fewer rows than the current version is held
 *   until someone who knows it is right runs it with --force.
 * Both are error-severity reports, so the run fails its checks (exit 1) and publishes nothing.
 */
export function publishGuards(
  spec: Pick<PipelineSpec, 'publish'>,
  rows: number,
  previous: { version: string; manifest: Pick<Manifest, 'data'> } | null,
  options: { force: boolean; defaultMaxDrop: number },
): RuleReport[] {
  const reports: RuleReport[] = [];
  if (rows === 0 && !spec.publish.allow_empty) {
    reports.push(
      tableRuleReport('empty', 'error', true, {
        expected: 'at least 1 row (publish.allow_empty: true in pipeline.yaml publishes an empty result)',
        found: '0 rows',
        message: 'the result has no rows',
      }),
    );
  }
  const maxDrop = spec.publish.max_row_drop ?? options.defaultMaxDrop;
  const before = previous?.manifest.data.rows ?? 0;
  const drop = before > 0 ? (before - rows) / before : 0;
  if (!options.force && drop > maxDrop && !(rows === 0 && reports.length > 0)) {
    reports.push(
      tableRuleReport('row_drop', 'error', true, {
        expected: `at most ${percent(maxDrop)} fewer rows than the current version ${previous!.version} (${before} rows); run again with --force to publish anyway`,
        found: `${rows} rows (${percent(drop)} fewer)`,
        message: 'the row count dropped sharply; the version is held',
      }),
    );
  }
  return reports;
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}
