import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../db/sql.ts';
import { STORAGE_TYPE } from './coerce.ts';
import { evaluateRowRule } from './rule-query.ts';
import type { RuleReport } from './run-record.ts';
import type { FieldSpec } from './spec.ts';

/** Field constraints of the schema (Frictionless-style) and the primary key, checked on table `typed`. */
export async function checkConstraints(conn: DuckDBConnection, fields: FieldSpec[], primaryKey: string[]): Promise<RuleReport[]> {
  const reports: RuleReport[] = [];
  const table = 'typed';
  for (const field of fields) {
    const c = quoteIdent(field.name);
    const k = field.constraints ?? {};
    const rule = (name: string, where: string, expected: string, message: string) =>
      evaluateRowRule(conn, { rule: name, column: field.name, severity: 'error', table, where, found: c, expected, message });
    if (k.required) reports.push(await rule('required', `${c} IS NULL`, 'a value', 'required value is missing'));
    if (k.unique) reports.push(await rule('unique', `${duplicated(table, [field.name])}`, 'a unique value', 'value appears more than once'));
    if (k.minimum !== undefined) reports.push(await rule('minimum', `${c} < ${bound(field, k.minimum)}`, `>= ${k.minimum}`, 'value below the minimum'));
    if (k.maximum !== undefined) reports.push(await rule('maximum', `${c} > ${bound(field, k.maximum)}`, `<= ${k.maximum}`, 'value above the maximum'));
    if (k.enum) {
      reports.push(await rule('enum', `${c} IS NOT NULL AND ${c} NOT IN (${k.enum.map((v) => bound(field, v)).join(', ')})`, `one of: ${k.enum.join(', ')}`, 'value not in the allowed list'));
    }
    if (k.pattern) {
      reports.push(await rule('pattern', `${c} IS NOT NULL AND NOT regexp_full_match(CAST(${c} AS VARCHAR), ${quoteLiteral(k.pattern)})`, `matches ${k.pattern}`, 'value does not match the pattern'));
    }
  }
  if (primaryKey.length > 0) {
    const cols = primaryKey.map(quoteIdent);
    const key = cols.length === 1 ? cols[0]! : `concat_ws(' | ', ${cols.join(', ')})`;
    reports.push(
      await evaluateRowRule(conn, {
        rule: 'primary_key',
        column: primaryKey.join(', '),
        severity: 'error',
        table,
        where: `(${cols.map((c) => `${c} IS NULL`).join(' OR ')}) OR ${duplicated(table, primaryKey)}`,
        found: key,
        expected: 'a unique, non-empty key',
        message: 'primary key is empty or repeated',
      }),
    );
  }
  return reports;
}

/** True for rows whose values in `columns` occur in more than one row. */
export function duplicated(table: string, columns: string[]): string {
  const cols = columns.map(quoteIdent).join(', ');
  return `(${cols}) IN (SELECT (${cols}) FROM ${table} GROUP BY ALL HAVING count(*) > 1)`;
}

function bound(field: FieldSpec, value: string | number | boolean): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `CAST(${quoteLiteral(value)} AS ${STORAGE_TYPE[field.type]})`;
}
