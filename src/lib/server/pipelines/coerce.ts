import type { DuckDBConnection } from '@duckdb/node-api';
import { dateText, missingText, numberText, timestampText } from './text-values.ts';
import { quoteIdent, quoteLiteral } from '../db/sql.ts';
import { evaluateRowRules, tableRuleReport, TYPED, TYPED_ROW, type RowRule } from './rule-query.ts';
import type { RuleReport } from './run-record.ts';
import type { FieldSpec, FieldType } from '../lake/schema.ts';
import { describeTable } from './staging.ts';

/** How each schema type is stored in Parquet. Geometry is GeoJSON text: no spatial extension here. */
export const STORAGE_TYPE: Record<FieldType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  datetime: 'TIMESTAMP',
  geometry: 'VARCHAR',
};

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;
const INTEGRAL = /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/;
const GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'];
const TRUE_WORDS = ['true', 't', '1', 'ya', 'y', 'yes', 'benar'];
const FALSE_WORDS = ['false', 'f', '0', 'tidak', 'n', 'no', 'salah'];

/**
 * The SQL that turns a source column into its schema type; NULL where the value does not fit. `nulls`, when
 * given, are the spellings of "missing" this column still needs turned into NULL (DuckDB did not apply them).
 */
export function castExpression(column: string, sourceType: string, field: FieldSpec, decimal: '.' | ',', nulls: readonly string[] | null = null): string {
  const cast = castValue(column, sourceType, field, decimal);
  return nulls ? `CASE WHEN ${missingText(`CAST(${quoteIdent(column)} AS VARCHAR)`, nulls)} THEN NULL ELSE ${cast} END` : cast;
}

function castValue(column: string, sourceType: string, field: FieldSpec, decimal: '.' | ','): string {
  const c = quoteIdent(column);
  const target = STORAGE_TYPE[field.type];
  if (sourceType === target && field.type !== 'geometry') return c;
  if (NUMERIC.test(sourceType)) {
    if (field.type === 'number') return `TRY_CAST(${c} AS DOUBLE)`;
    if (field.type === 'integer') return INTEGRAL.test(sourceType) ? `TRY_CAST(${c} AS BIGINT)` : `CASE WHEN ${c} = trunc(${c}) THEN TRY_CAST(${c} AS BIGINT) END`;
  }
  if (sourceType === 'TIMESTAMP' && field.type === 'date') return `CAST(${c} AS DATE)`;
  if (sourceType === 'DATE' && field.type === 'datetime') return `CAST(${c} AS TIMESTAMP)`;
  const text = sourceType.startsWith('STRUCT') || sourceType === 'JSON' ? `CAST(to_json(${c}) AS VARCHAR)` : `trim(CAST(${c} AS VARCHAR))`;
  switch (field.type) {
    case 'string':
      return sourceType === 'VARCHAR' ? c : `CAST(${c} AS VARCHAR)`;
    case 'integer':
      // TRY_CAST('1.5' AS BIGINT) rounds and '95.000' would become 95: only whole numbers pass.
      return `CASE WHEN regexp_full_match(${numberText(text, decimal)}, '[+-]?[0-9]+') THEN TRY_CAST(${numberText(text, decimal)} AS BIGINT) END`;
    case 'number':
      return `TRY_CAST(${numberText(text, decimal)} AS DOUBLE)`;
    case 'boolean':
      return `CASE WHEN lower(${text}) IN (${TRUE_WORDS.map(quoteLiteral).join(', ')}) THEN true WHEN lower(${text}) IN (${FALSE_WORDS.map(quoteLiteral).join(', ')}) THEN false END`;
    case 'date':
      return field.format ? `CAST(TRY_STRPTIME(${text}, ${quoteLiteral(field.format)}) AS DATE)` : dateText(text);
    case 'datetime':
      return field.format ? `TRY_STRPTIME(${text}, ${quoteLiteral(field.format)})` : timestampText(text);
    case 'geometry':
      return `CASE WHEN json_valid(${text}) AND json_extract_string(${text}, '$.type') IN (${GEOMETRY_TYPES.map(quoteLiteral).join(', ')}) THEN ${text} END`;
  }
}

function expectedType(field: FieldSpec): string {
  return field.format ? `${field.type} (${field.format})` : field.type;
}

/**
 * Builds table `typed` (the schema's columns, in schema order, in their storage types) from `input`
 * and reports every value that does not fit its type, by row and column.
 */
export async function coerceToSchema(
  conn: DuckDBConnection,
  input: string,
  fields: FieldSpec[],
  decimal: '.' | ',',
  nullsFor: (field: FieldSpec) => readonly string[] | null = () => null,
): Promise<{ reports: RuleReport[] }> {
  const columns = await describeTable(conn, input);
  const byName = new Map(columns.map((c) => [c.name, c.type]));
  const reports: RuleReport[] = [];
  const selects: string[] = [];
  const checks: { field: FieldSpec; column: string; cast: string; missing: string }[] = [];
  for (const field of fields) {
    const column = field.source ?? field.name;
    const sourceType = byName.get(column);
    if (sourceType === undefined) {
      reports.push(
        tableRuleReport('missing_column', 'error', true, {
          column: field.name,
          expected: `a column "${column}"`,
          found: columns.map((c) => c.name).join(', '),
          message: 'column not found in the source',
        }),
      );
      selects.push(`CAST(NULL AS ${STORAGE_TYPE[field.type]}) AS ${quoteIdent(field.name)}`);
      continue;
    }
    const nulls = nullsFor(field);
    const cast = castExpression(column, sourceType, field, decimal, nulls);
    selects.push(`${cast} AS ${quoteIdent(field.name)}`);
    const missing = nulls ? missingText(`CAST(${quoteIdent(column)} AS VARCHAR)`, nulls) : 'false';
    if (cast !== quoteIdent(column)) checks.push({ field, column, cast, missing });
  }
  const rules = checks.map(
    ({ field, column, cast, missing }): RowRule => ({
      rule: 'type',
      column: field.name,
      severity: 'error',
      table: input,
      where: `${quoteIdent(column)} IS NOT NULL AND NOT ${missing} AND (${cast}) IS NULL`,
      found: quoteIdent(column),
      expected: expectedType(field),
      message: 'value does not fit the field type',
    }),
  );
  reports.push(...(await evaluateRowRules(conn, rules)).reports);
  // Nothing to convert (the usual case for a typed source): a view costs nothing, a copy costs a full pass.
  const kind = checks.length === 0 ? 'VIEW' : 'TABLE';
  await conn.run(`CREATE OR REPLACE ${kind} ${TYPED} AS SELECT ${input}.rowid AS ${TYPED_ROW}, ${selects.join(', ')} FROM ${input}`);
  return { reports };
}
