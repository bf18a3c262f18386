import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../db/sql.ts';
import type { CheckResult } from '../lake/manifest.ts';
import { readCurrent, versionDataPath } from '../lake/read.ts';
import { duplicated } from './constraints.ts';
import { evaluateRowRule, tableRuleReport } from './rule-query.ts';
import type { RuleReport } from './run-record.ts';
import type { CheckSpec } from './spec.ts';
import { rowsJson } from './staging.ts';

/** Checks beyond the schema, on table `typed`. `now` is injectable so freshness is testable. */
export async function runChecks(
  conn: DuckDBConnection,
  checks: CheckSpec[],
  now: Date = new Date(),
): Promise<{ results: CheckResult[]; reports: RuleReport[]; references: Record<string, string> }> {
  const results: CheckResult[] = [];
  const reports: RuleReport[] = [];
  const references: Record<string, string> = {};
  for (const [i, check] of checks.entries()) {
    const name = check.name ?? defaultName(check, i);
    const report = await runCheck(conn, check, name, now, references);
    reports.push(report);
    results.push({ name, type: check.type, severity: check.severity, status: report.count > 0 ? 'fail' : 'pass', failures: report.count });
  }
  return { results, reports, references };
}

function defaultName(check: CheckSpec, i: number): string {
  const target = 'columns' in check ? check.columns.join('+') : 'column' in check ? check.column : 'table';
  return `${check.type}:${target}#${i + 1}`;
}

async function runCheck(conn: DuckDBConnection, check: CheckSpec, name: string, now: Date, references: Record<string, string>): Promise<RuleReport> {
  const table = 'typed';
  const base = { rule: name, severity: check.severity, table };
  switch (check.type) {
    case 'not_null': {
      const merged: RuleReport = { rule: name, severity: check.severity, count: 0, examples: [], column: check.columns.join(', ') };
      for (const column of check.columns) {
        const c = quoteIdent(column);
        const r = await evaluateRowRule(conn, { ...base, column, where: `${c} IS NULL`, found: c, expected: 'a value', message: 'value is empty' });
        merged.count += r.count;
        merged.examples.push(...r.examples.slice(0, 100 - merged.examples.length));
      }
      return merged;
    }
    case 'unique': {
      const cols = check.columns.map(quoteIdent);
      return evaluateRowRule(conn, {
        ...base,
        column: check.columns.join(', '),
        where: duplicated(table, check.columns),
        found: cols.length === 1 ? cols[0]! : `concat_ws(' | ', ${cols.join(', ')})`,
        expected: 'unique values',
        message: 'values appear in more than one row',
      });
    }
    case 'accepted_values': {
      const c = quoteIdent(check.column);
      const list = check.values.map((v) => (typeof v === 'number' ? String(v) : quoteLiteral(v))).join(', ');
      return evaluateRowRule(conn, { ...base, column: check.column, where: `${c} IS NOT NULL AND ${c} NOT IN (${list})`, found: c, expected: `one of: ${check.values.join(', ')}`, message: 'value not accepted' });
    }
    case 'range': {
      const c = quoteIdent(check.column);
      const parts = [check.min !== undefined ? `${c} < ${check.min}` : null, check.max !== undefined ? `${c} > ${check.max}` : null].filter(Boolean);
      const expected = [check.min !== undefined ? `>= ${check.min}` : null, check.max !== undefined ? `<= ${check.max}` : null].filter(Boolean).join(' and ');
      return evaluateRowRule(conn, { ...base, column: check.column, where: parts.join(' OR '), found: c, expected, message: 'value out of range' });
    }
    case 'row_count': {
      const [{ n }] = (await rowsJson(conn, `SELECT count(*) AS n FROM ${table}`)) as [{ n: string }];
      const rows = Number(n);
      const failed = (check.min !== undefined && rows < check.min) || (check.max !== undefined && rows > check.max);
      const expected = [check.min !== undefined ? `>= ${check.min}` : null, check.max !== undefined ? `<= ${check.max}` : null].filter(Boolean).join(' and ');
      return tableRuleReport(name, check.severity, failed, { expected: `${expected} rows`, found: `${rows} rows`, message: 'row count out of range' });
    }
    case 'freshness': {
      const c = quoteIdent(check.column);
      const [{ latest }] = (await rowsJson(conn, `SELECT CAST(max(${c}) AS VARCHAR) AS latest FROM ${table}`)) as [{ latest: string | null }];
      const ageDays = latest === null ? Infinity : (now.getTime() - Date.parse(latest.length === 10 ? `${latest}T00:00:00Z` : `${latest.replace(' ', 'T')}Z`)) / 86_400_000;
      return tableRuleReport(name, check.severity, !(ageDays <= check.max_age_days), {
        column: check.column,
        expected: `newest value at most ${check.max_age_days} days old`,
        found: latest === null ? 'no values' : `${latest} (${Math.floor(ageDays)} days old)`,
        message: 'data is not fresh',
      });
    }
    case 'relationships': {
      const current = await readCurrent(check.to);
      if (!current) {
        return tableRuleReport(name, check.severity, true, { column: check.column, expected: `a published dataset "${check.to}"`, found: 'not published', message: 'referenced dataset is not published' });
      }
      references[check.to] = current.version;
      const c = quoteIdent(check.column);
      const ref = `read_parquet(${quoteLiteral(versionDataPath(check.to, current.version))})`;
      return evaluateRowRule(conn, {
        ...base,
        column: check.column,
        where: `${c} IS NOT NULL AND ${c} NOT IN (SELECT ${quoteIdent(check.field)} FROM ${ref} WHERE ${quoteIdent(check.field)} IS NOT NULL)`,
        found: c,
        expected: `a value of ${check.to}.${check.field}`,
        message: 'value not found in the referenced dataset',
      });
    }
  }
}
