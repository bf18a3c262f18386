import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../db/sql.ts';
import { TOP_VALUES } from './profile.ts';
import { TYPED, type RowRule } from './rule-query.ts';
import { rowsJson } from './staging.ts';

export interface GroupedValues {
  /** Per column: its exact number of distinct values and its most frequent ones (most first, ties by text). */
  columns: Map<string, { distinct: number; top: { value: string; count: number }[] }>;
  /** Rows breaking each rule that could be counted on the groups instead of the rows. */
  ruleCounts: Map<RowRule, number>;
}

// Names no schema column can have (columns are lowercase snake_case), so they never clash with one.
const SET = '"#set"';
const VALUE = '"#value"';
const COUNT = '"#n"';

/**
 * One scan counts the rows of each value of several low-cardinality columns (GROUPING SETS: each column's values
 * separately). From those groups, and not from the rows again: each column's exact distinct count and most
 * frequent values, and the rows breaking each one-column rule on such a column (an allowed list, a pattern,
 * bounds): a rule on one column is true or false for a whole group of equal values, so counting it over the
 * groups, weighted by their rows, gives the same count as over the rows. This takes those columns out of the
 * validation scan, where they cost a HyperLogLog each and every rule's comparison on every row.
 */
export async function groupedValues(conn: DuckDBConnection, columns: string[], rules: RowRule[]): Promise<GroupedValues> {
  const result: GroupedValues = { columns: new Map(columns.map((c) => [c, { distinct: 0, top: [] }])), ruleCounts: new Map() };
  if (columns.length === 0) return result;
  const cols = columns.map(quoteIdent);
  // grouping(c) is 0 in the rows of c's own set, where a NULL of c is a real missing value.
  const which = `CASE ${cols.map((c, i) => `WHEN grouping(${c}) = 0 THEN ${i}`).join(' ')} END`;
  const value = `CASE ${cols.map((c) => `WHEN grouping(${c}) = 0 THEN CAST(${c} AS VARCHAR)`).join(' ')} END`;
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE profile_groups AS
     SELECT ${which} AS ${SET}, ${value} AS ${VALUE}, ${cols.join(', ')}, count(*) AS ${COUNT}
     FROM ${TYPED} GROUP BY GROUPING SETS (${cols.map((c) => `(${c})`).join(', ')})`,
  );
  try {
    const rows = await rowsJson(
      conn,
      `SELECT ${SET} AS s, ${VALUE} AS value, ${COUNT} AS n, count(*) OVER (PARTITION BY ${SET}) AS d
       FROM profile_groups WHERE ${VALUE} IS NOT NULL
       QUALIFY row_number() OVER (PARTITION BY ${SET} ORDER BY ${COUNT} DESC, ${VALUE}) <= ${TOP_VALUES}
       ORDER BY ${SET}, ${COUNT} DESC, ${VALUE}`,
    );
    for (const r of rows) {
      const entry = result.columns.get(columns[Number(r.s)]!)!;
      entry.distinct = Number(r.d);
      entry.top.push({ value: String(r.value), count: Number(r.n) });
    }
    const countable = rules.filter((r) => r.table === TYPED && !r.precheck && r.column !== undefined && columns.includes(r.column));
    if (countable.length > 0) {
      const sums = countable.map((r, i) => `coalesce(sum(${COUNT}) FILTER (WHERE ${SET} = ${columns.indexOf(r.column!)} AND (${r.where})), 0) AS "r${i}"`);
      const [counts] = await rowsJson(conn, `SELECT ${sums.join(', ')} FROM profile_groups`);
      countable.forEach((r, i) => result.ruleCounts.set(r, Number(counts![`r${i}`])));
    }
  } finally {
    await conn.run('DROP TABLE IF EXISTS profile_groups');
  }
  return result;
}
