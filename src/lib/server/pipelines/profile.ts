import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../db/sql.ts';
import type { ColumnProfile } from '../lake/manifest.ts';
import { STORAGE_TYPE } from './coerce.ts';
import type { FieldSpec } from './spec.ts';
import { rowsJson } from './staging.ts';

const TOP_VALUES_MAX_DISTINCT = 50;
const TOP_VALUES = 10;

/** One pass for counts, distincts, min, max and mean of every column; a small GROUP BY for low-cardinality text. */
export async function profileTable(conn: DuckDBConnection, fields: FieldSpec[]): Promise<{ rows: number; profile: ColumnProfile[] }> {
  const parts = ['count(*) AS "__rows"'];
  fields.forEach((f, i) => {
    const c = quoteIdent(f.name);
    parts.push(`count(${c}) AS "n${i}"`, `count(DISTINCT ${c}) AS "d${i}"`);
    if (f.type !== 'geometry' && f.type !== 'boolean') {
      parts.push(`CAST(min(${c}) AS VARCHAR) AS "lo${i}"`, `CAST(max(${c}) AS VARCHAR) AS "hi${i}"`);
    }
    if (f.type === 'integer' || f.type === 'number') parts.push(`avg(${c}) AS "avg${i}"`);
  });
  const [stats] = await rowsJson(conn, `SELECT ${parts.join(', ')} FROM typed`);
  const s = stats!;
  const rows = Number(s.__rows);
  const profile: ColumnProfile[] = [];
  for (const [i, f] of fields.entries()) {
    const numeric = f.type === 'integer' || f.type === 'number';
    const distinct = Number(s[`d${i}`]);
    const value = (v: unknown) => (v === null || v === undefined ? null : numeric ? Number(v) : String(v));
    profile.push({
      name: f.name,
      type: f.type,
      storage_type: STORAGE_TYPE[f.type],
      nulls: rows - Number(s[`n${i}`]),
      distinct,
      min: value(s[`lo${i}`]),
      max: value(s[`hi${i}`]),
      mean: numeric && s[`avg${i}`] !== null ? round(Number(s[`avg${i}`])) : null,
      top: (f.type === 'string' || f.type === 'boolean') && distinct <= TOP_VALUES_MAX_DISTINCT ? await topValues(conn, f.name) : null,
    });
  }
  return { rows, profile };
}

async function topValues(conn: DuckDBConnection, column: string): Promise<{ value: string; count: number }[]> {
  const c = quoteIdent(column);
  const rows = await rowsJson(
    conn,
    `SELECT CAST(${c} AS VARCHAR) AS value, count(*) AS n FROM typed WHERE ${c} IS NOT NULL GROUP BY ALL ORDER BY n DESC, value LIMIT ${TOP_VALUES}`,
  );
  return rows.map((r) => ({ value: String(r.value), count: Number(r.n) }));
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
