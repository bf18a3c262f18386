import type { DuckDBConnection } from '@duckdb/node-api';
import type { Issue, RuleReport } from './run-record.ts';
import { rowsJson } from './staging.ts';

export const MAX_EXAMPLES = 100;
const MAX_FOUND_CHARS = 200;

export interface RowRule {
  rule: string;
  column?: string;
  severity: 'error' | 'warn';
  table: string;
  /** SQL predicate that is true for an offending row. */
  where: string;
  /** SQL expression of the offending value, shown as "found". */
  found: string;
  expected: string;
  message: string;
}

/**
 * Counts the rows breaking a rule and keeps the first 100 with their 1-based row number, in one scan:
 * the window count is taken over every offending row before LIMIT applies.
 */
export async function evaluateRowRule(conn: DuckDBConnection, rule: RowRule): Promise<RuleReport> {
  const rows = await rowsJson(
    conn,
    `SELECT rowid + 1 AS "row", CAST(${rule.found} AS VARCHAR) AS found, count(*) OVER () AS total
     FROM ${rule.table} WHERE ${rule.where} ORDER BY rowid LIMIT ${MAX_EXAMPLES}`,
  );
  const count = rows.length === 0 ? 0 : Number(rows[0]!.total);
  return {
    rule: rule.rule,
    column: rule.column,
    severity: rule.severity,
    count,
    examples: rows.map(
      (r): Issue => ({
        rule: rule.rule,
        column: rule.column,
        row: Number(r.row),
        expected: rule.expected,
        found: truncate(r.found === null ? null : String(r.found)),
        message: rule.message,
      }),
    ),
  };
}

/** A rule about the whole table (row count, freshness, a missing column): one example without a row number. */
export function tableRuleReport(rule: string, severity: 'error' | 'warn', failed: boolean, issue: Omit<Issue, 'rule'>): RuleReport {
  return { rule, column: issue.column, severity, count: failed ? 1 : 0, examples: failed ? [{ rule, ...issue }] : [] };
}

function truncate(value: string | null): string {
  if (value === null) return '(kosong/empty)';
  return value.length > MAX_FOUND_CHARS ? `${value.slice(0, MAX_FOUND_CHARS)}…` : value;
}
