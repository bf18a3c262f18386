import type { CheckResult } from '../lake/manifest.ts';
import type { Problem } from './source-problem.ts';

/** A problem found in a run, structured so it can be shown in Indonesian or English. */
export interface Issue {
  /** Which rule found it: a schema constraint (`type`, `required`, `unique`, `minimum`…) or a check name. */
  rule: string;
  column?: string;
  /** 1-based data row (after the header and skipped rows) of the result table. */
  row?: number;
  expected?: string;
  found?: string;
  message: string;
}

export interface RuleReport {
  rule: string;
  column?: string;
  severity: 'error' | 'warn';
  /** Total offending rows. */
  count: number;
  /** The first 100 of them. */
  examples: Issue[];
}

/** `valid` only for dry runs (validate): every check passed and nothing was published. */
export type RunStatus = 'published' | 'unchanged' | 'valid' | 'failed' | 'error';

/** One run of one pipeline: `data/runs/<id>/<run_id>.json`, written when the run ends. */
export interface RunRecord {
  run_id: string;
  dataset: string;
  trigger: 'cli' | 'schedule' | 'api' | 'start';
  status: RunStatus;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  rows: number | null;
  version: string | null;
  previous_version: string | null;
  source: { location: string; sha256: string | null; bytes: number | null };
  /** Schema and check failures, grouped by rule. */
  report: RuleReport[];
  checks: CheckResult[];
  /** For status "error": what stopped the run (bad spec, unreadable source, crash). */
  error: string | null;
  /** The same as a message key and parameters, when it can be shown in the reader's language. */
  problem?: Problem;
  /** What the reader handled automatically in the source (title rows, notes, encoding…), as message keys. */
  notices?: Problem[];
}
