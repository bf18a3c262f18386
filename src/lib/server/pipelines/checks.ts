import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../db/sql.ts';
import type { CheckParams, CheckResult } from '../lake/manifest.ts';
import type { ReadableDataset } from './references.ts';
import { duplicated, duplicatesPrecheck, keyText } from './constraints.ts';
import { tableRuleReport, type RowRule } from './rule-query.ts';
import type { RuleReport } from './run-record.ts';
import type { CheckSpec } from './spec.ts';
import { rowsJson } from './staging.ts';

const TABLE = 'typed';

/**
 * Checks beyond the schema, on table `typed`, in two steps so that their row rules join the single batched scan:
 * `planChecks` evaluates table-level checks and returns the row rules; `checkResults` assembles the outcome.
 * `targets` are the published relationships targets the run resolved at its start (references.ts); `now` is
 * injectable so freshness is testable.
 */
export async function planChecks(
  conn: DuckDBConnection,
  checks: CheckSpec[],
  targets: ReadonlyMap<string, ReadableDataset>,
  now: Date = new Date(),
): Promise<PlannedChecks> {
  const references: Record<string, string> = {};
  const planned: Planned[] = [];
  for (const [i, check] of checks.entries()) planned.push(await planCheck(conn, check, check.name ?? defaultName(check, i), now, targets, references));
  return { checks, planned, references, rowRules: planned.flatMap((p) => ('rule' in p ? [p.rule] : [])) };
}

export interface PlannedChecks {
  checks: CheckSpec[];
  planned: Planned[];
  references: Record<string, string>;
  rowRules: RowRule[];
}

/** `rowReports` are the reports of `planned.rowRules`, in order. */
export function checkResults(plan: PlannedChecks, rowReports: RuleReport[]): { results: CheckResult[]; reports: RuleReport[] } {
  const reports = plan.planned.map((p) => ('report' in p ? p.report : rowReports[plan.rowRules.indexOf(p.rule)]!));
  const results = plan.checks.map(
    (check, i): CheckResult => ({
      name: reports[i]!.rule,
      type: check.type,
      severity: check.severity,
      status: reports[i]!.count > 0 ? 'fail' : 'pass',
      failures: reports[i]!.count,
      ...(check.title ? { title: check.title } : {}),
      ...(check.title_en ? { title_en: check.title_en } : {}),
      params: checkParams(check),
    }),
  );
  return { results, reports };
}

/** The check's parameters without its bookkeeping (type, name, severity, titles). */
function checkParams(check: CheckSpec): CheckParams {
  const { type: _type, name: _name, severity: _severity, title: _title, title_en: _titleEn, ...params } = check;
  return params;
}

function defaultName(check: CheckSpec, i: number): string {
  const target = 'columns' in check ? check.columns.join('+') : 'column' in check ? check.column : 'table';
  return `${check.type}:${target}#${i + 1}`;
}

function bounds(min?: number, max?: number): string {
  return [min !== undefined ? `>= ${min}` : null, max !== undefined ? `<= ${max}` : null].filter(Boolean).join(' and ');
}

/** A row rule (evaluated later, batched with the others) or a finished table-level report. */
type Planned = { rule: RowRule } | { report: RuleReport };

async function planCheck(
  conn: DuckDBConnection,
  check: CheckSpec,
  name: string,
  now: Date,
  targets: ReadonlyMap<string, ReadableDataset>,
  references: Record<string, string>,
): Promise<Planned> {
  const base = { rule: name, severity: check.severity, table: TABLE };
  switch (check.type) {
    case 'not_null': {
      const cols = check.columns.map(quoteIdent);
      // "found" names the empty columns of the row, so a multi-column check says which one is missing.
      const empty = check.columns.map((c) => `CASE WHEN ${quoteIdent(c)} IS NULL THEN ${quoteLiteral(c)} END`);
      return {
        rule: {
          ...base,
          column: check.columns.join(', '),
          where: cols.map((c) => `${c} IS NULL`).join(' OR '),
          found: `'∅ ' || concat_ws(', ', ${empty.join(', ')})`,
          expected: 'a value',
          message: 'value is empty',
          stat: check.columns.length === 1 ? { column: check.columns[0]!, nulls: true } : undefined,
        },
      };
    }
    case 'unique':
      return {
        rule: {
          ...base,
          column: check.columns.join(', '),
          where: duplicated(TABLE, check.columns),
          found: keyText(check.columns),
          expected: 'unique values',
          message: 'values appear in more than one row',
          precheck: duplicatesPrecheck(check.columns),
        },
      };
    case 'accepted_values': {
      const c = quoteIdent(check.column);
      const list = check.values.map((v) => (typeof v === 'number' ? String(v) : quoteLiteral(v))).join(', ');
      return {
        rule: {
          ...base,
          column: check.column,
          where: `${c} IS NOT NULL AND ${c} NOT IN (${list})`,
          found: c,
          expected: `one of: ${check.values.join(', ')}`,
          message: 'value not accepted',
        },
      };
    }
    case 'range': {
      const c = quoteIdent(check.column);
      const where = [check.min !== undefined ? `${c} < ${check.min}` : null, check.max !== undefined ? `${c} > ${check.max}` : null]
        .filter(Boolean)
        .join(' OR ');
      return {
        rule: { ...base, column: check.column, where, found: c, expected: bounds(check.min, check.max), message: 'value out of range', stat: { column: check.column, min: check.min, max: check.max } },
      };
    }
    case 'row_count': {
      const [{ n }] = (await rowsJson(conn, `SELECT count(*) AS n FROM ${TABLE}`)) as [{ n: string }];
      const rows = Number(n);
      const failed = (check.min !== undefined && rows < check.min) || (check.max !== undefined && rows > check.max);
      return {
        report: tableRuleReport(name, check.severity, failed, {
          expected: `${bounds(check.min, check.max)} rows`,
          found: `${rows} rows`,
          message: 'row count out of range',
        }),
      };
    }
    case 'freshness': {
      const c = quoteIdent(check.column);
      const [{ latest }] = (await rowsJson(conn, `SELECT CAST(max(${c}) AS VARCHAR) AS latest FROM ${TABLE}`)) as [
        { latest: string | null },
      ];
      const ageDays =
        latest === null
          ? Infinity
          : (now.getTime() - Date.parse(latest.length === 10 ? `${latest}T00:00:00Z` : `${latest.replace(' ', 'T')}Z`)) / 86_400_000;
      return {
        report: tableRuleReport(name, check.severity, !(ageDays <= check.max_age_days), {
          column: check.column,
          expected: `newest value at most ${check.max_age_days} days old`,
          found: latest === null ? 'no values' : `${latest} (${Math.floor(ageDays)} days old)`,
          message: 'data is not fresh',
        }),
      };
    }
    case 'relationships': {
      const current = targets.get(check.to);
      if (!current) {
        return {
          report: tableRuleReport(name, check.severity, true, {
            column: check.column,
            expected: `a published dataset "${check.to}"`,
            found: 'not published',
            message: 'referenced dataset is not published',
          }),
        };
      }
      references[check.to] = current.version;
      const c = quoteIdent(check.column);
      const f = quoteIdent(check.field);
      const ref = `read_parquet(${quoteLiteral(current.file)})`;
      return {
        rule: {
          ...base,
          column: check.column,
          where: `${c} IS NOT NULL AND ${c} NOT IN (SELECT ${f} FROM ${ref} WHERE ${f} IS NOT NULL)`,
          found: c,
          expected: `a value of ${check.to}.${check.field}`,
          message: 'value not found in the referenced dataset',
        },
      };
    }
  }
}
