import { quoteIdent, quoteLiteral } from '../db/sql.ts';
import { STORAGE_TYPE } from './coerce.ts';
import type { RowRule } from './rule-query.ts';
import type { FieldSpec } from '../lake/schema.ts';

/** Field constraints of the schema (Frictionless-style) and the primary key, as rules over table `typed`. */
export function constraintRules(fields: FieldSpec[], primaryKey: string[]): RowRule[] {
  const rules: RowRule[] = [];
  const table = 'typed';
  for (const field of fields) {
    const c = quoteIdent(field.name);
    const k = field.constraints ?? {};
    const rule = (name: string, where: string, expected: string, message: string, precheck?: string, stat?: RowRule['stat']): RowRule => ({
      rule: name,
      column: field.name,
      severity: 'error',
      table,
      where,
      found: c,
      expected,
      message,
      precheck,
      stat,
    });
    const numeric = field.type === 'integer' || field.type === 'number';
    const numberBound = (v: unknown) => (numeric && typeof v === 'number' ? v : undefined);
    if (k.required) rules.push(rule('required', `${c} IS NULL`, 'a value', 'required value is missing', undefined, { column: field.name, nulls: true }));
    if (k.unique) {
      rules.push(rule('unique', duplicated(table, [field.name]), 'a unique value', 'value appears more than once', duplicatesPrecheck([field.name]), { column: field.name, key: true }));
    }
    if (k.minimum !== undefined) {
      const min = numberBound(k.minimum);
      rules.push(rule('minimum', `${c} < ${bound(field, k.minimum)}`, `>= ${k.minimum}`, 'value below the minimum', undefined, min === undefined ? undefined : { column: field.name, min }));
    }
    if (k.maximum !== undefined) {
      const max = numberBound(k.maximum);
      rules.push(rule('maximum', `${c} > ${bound(field, k.maximum)}`, `<= ${k.maximum}`, 'value above the maximum', undefined, max === undefined ? undefined : { column: field.name, max }));
    }
    if (k.enum) {
      const list = k.enum.map((v) => bound(field, v)).join(', ');
      rules.push(rule('enum', `${c} IS NOT NULL AND ${c} NOT IN (${list})`, `one of: ${k.enum.join(', ')}`, 'value not in the allowed list'));
    }
    if (k.pattern) {
      rules.push(rule('pattern', `${c} IS NOT NULL AND NOT regexp_full_match(CAST(${c} AS VARCHAR), ${quoteLiteral(k.pattern)})`, `matches ${k.pattern}`, 'value does not match the pattern'));
    }
  }
  if (primaryKey.length > 0) {
    const cols = primaryKey.map(quoteIdent);
    const anyNull = cols.map((c) => `${c} IS NULL`).join(' OR ');
    rules.push({
      rule: 'primary_key',
      column: primaryKey.join(', '),
      severity: 'error',
      table,
      where: `(${anyNull}) OR ${duplicated(table, primaryKey)}`,
      found: keyText(primaryKey),
      expected: 'a unique, non-empty key',
      message: 'primary key is empty or repeated',
      precheck: `count(*) FILTER (WHERE ${anyNull}) + ${duplicatesPrecheck(primaryKey)}`,
      stat: primaryKey.length === 1 ? { column: primaryKey[0]!, key: true, required: true } : undefined,
    });
  }
  return rules;
}

/** Columns whose values must be unique on their own: a `unique` constraint or a one-column primary key. */
export function keyedColumns(fields: FieldSpec[], primaryKey: string[]): Set<string> {
  const keyed = new Set(fields.filter((f) => f.constraints?.unique).map((f) => f.name));
  if (primaryKey.length === 1) keyed.add(primaryKey[0]!);
  return keyed;
}

/** True for rows whose values in `columns` occur in more than one row. */
export function duplicated(table: string, columns: string[]): string {
  const cols = columns.map(quoteIdent).join(', ');
  return `(${cols}) IN (SELECT (${cols}) FROM ${table} GROUP BY ALL HAVING count(*) > 1)`;
}

/** 0 when no two rows (with all key columns present) share their values: a distinct count, no GROUP BY. */
export function duplicatesPrecheck(columns: string[]): string {
  const cols = columns.map(quoteIdent);
  const key = cols.length === 1 ? cols[0]! : `row(${cols.join(', ')})`;
  const present = cols.map((c) => `${c} IS NOT NULL`).join(' AND ');
  return `(count(*) FILTER (WHERE ${present}) - count(DISTINCT ${key}) FILTER (WHERE ${present}))`;
}

export function keyText(columns: string[]): string {
  const cols = columns.map(quoteIdent);
  return cols.length === 1 ? cols[0]! : `concat_ws(' | ', ${cols.join(', ')})`;
}

function bound(field: FieldSpec, value: string | number | boolean): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `CAST(${quoteLiteral(value)} AS ${STORAGE_TYPE[field.type]})`;
}
