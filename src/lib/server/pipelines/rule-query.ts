import type { DuckDBConnection } from '@duckdb/node-api';
import type { Issue, RuleReport } from './run-record.ts';
import { rowsJson } from './staging.ts';

export const MAX_EXAMPLES = 100;
/** The schema-typed relation every constraint and check reads; "__row" holds the source row index (0-based). */
export const TYPED = 'typed';
export const TYPED_ROW = '"__row"';
const MAX_FOUND_CHARS = 200;

export interface RowRule {
  rule: string;
  column?: string;
  severity: 'error' | 'warn';
  table: string;
  /**
   * SQL predicate that is true for an offending row. A rule without a precheck whose `column` names one column
   * reads no other column of the row (grouped-values.ts counts such rules on groups of equal values).
   */
  where: string;
  /** SQL expression of the offending value, shown as "found". */
  found: string;
  expected: string;
  message: string;
  /**
   * An aggregate over `table` that is 0 when the rule surely passes, for rules whose `where` is costly
   * (duplicates). Default: `count(*) FILTER (WHERE <where>)`.
   */
  precheck?: string;
  /**
   * What the Parquet footer can answer for this rule (rule-stats.ts): missing values of one column, bounds of a
   * numeric column, or uniqueness of a column the file is sorted by. When it can, the rule leaves the scan.
   * `key` marks a one-column uniqueness rule (`required`: empty values break it too, as in a primary key).
   */
  stat?: { column: string; nulls?: true; min?: number; max?: number; key?: true; required?: true };
}

/**
 * Evaluates many rules with one aggregate scan per table; only rules that fail get a second query for their
 * first 100 rows. `alsoOnTyped` adds other aggregates (the column profile) to the scan of `typed`, so a
 * million-row table is read once for every rule and statistic instead of once per rule.
 */
export async function evaluateRowRules(
  conn: DuckDBConnection,
  allRules: RowRule[],
  alsoOnTyped: string[] = [],
  known: (rule: RowRule) => number | undefined = () => undefined,
): Promise<{ reports: RuleReport[]; typedAggregates: Record<string, unknown> }> {
  const counts = new Map<RowRule, number>();
  for (const rule of allRules) {
    const count = known(rule);
    if (count !== undefined) counts.set(rule, count);
  }
  const rules = allRules.filter((r) => !counts.has(r));
  let typedAggregates: Record<string, unknown> = {};
  const tables = new Set(rules.map((r) => r.table));
  if (alsoOnTyped.length > 0) tables.add(TYPED);
  for (const table of tables) {
    const group = rules.filter((r) => r.table === table);
    const aggregates = group.map((r, i) => `${r.precheck ?? `count(*) FILTER (WHERE ${r.where})`} AS "r${i}"`);
    if (table === TYPED) aggregates.push(...alsoOnTyped);
    const [row] = await rowsJson(conn, `SELECT ${aggregates.join(', ')} FROM ${table}`);
    group.forEach((r, i) => counts.set(r, Number(row![`r${i}`] ?? 0)));
    if (table === TYPED) typedAggregates = row!;
  }
  const reports: RuleReport[] = [];
  for (const rule of allRules) {
    reports.push(counts.get(rule) ? await evaluateRowRule(conn, rule) : { rule: rule.rule, column: rule.column, severity: rule.severity, count: 0, examples: [] });
  }
  return { reports, typedAggregates };
}

/**
 * Counts the rows breaking a rule and keeps the first 100 with their 1-based row number, in one scan:
 * the window count is taken over every offending row before LIMIT applies.
 */
export async function evaluateRowRule(conn: DuckDBConnection, rule: RowRule): Promise<RuleReport> {
  const rows = await rowsJson(
    conn,
    `SELECT ${rule.table === TYPED ? TYPED_ROW : 'rowid'} + 1 AS "row", CAST(${rule.found} AS VARCHAR) AS found, count(*) OVER () AS total
     FROM ${rule.table} WHERE ${rule.where} ORDER BY "row" LIMIT ${MAX_EXAMPLES}`,
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
