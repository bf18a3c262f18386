import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../db/sql.ts';
import type { Manifest } from './manifest.ts';

/**
 * What changed between two versions, as SQL DuckDB runs straight on their Parquet files: shared by the runner
 * (which stores the summary with each new version) and the server (the rows of the diff page).
 * With a primary key (present in both versions) rows are matched by key: added, removed, and changed when any
 * shared column differs. Without one, rows are compared whole (over the shared columns) as multisets, so only
 * added and removed exist — a changed row shows up as one of each.
 */
export interface VersionDiff {
  from: string;
  to: string;
  /** The key rows were matched by; empty when rows were compared whole. */
  primaryKey: string[];
  columnsAdded: string[];
  columnsRemoved: string[];
  added: number;
  removed: number;
  /** Rows whose key is in both versions but with a different value somewhere; null without a key. */
  changed: number | null;
}

export type DiffKind = 'added' | 'removed' | 'changed';

/** A version's shape, which is all a diff plan needs: the runner has it before the manifest exists. */
export type VersionShape = Pick<Manifest, 'schema'>;

export interface DiffPlan {
  key: string[];
  shared: string[];
  /** Shared columns whose field type changed between the versions: compared as text. */
  retyped: string[];
  oldColumns: string[];
  newColumns: string[];
}

export function diffPlan(older: VersionShape, newer: VersionShape): DiffPlan {
  const oldColumns = older.schema.fields.map((f) => f.name);
  const newColumns = newer.schema.fields.map((f) => f.name);
  const shared = newColumns.filter((c) => oldColumns.includes(c));
  const key = newer.schema.primary_key.length > 0 && newer.schema.primary_key.every((k) => shared.includes(k)) ? newer.schema.primary_key : [];
  const typeOf = (v: VersionShape, c: string) => v.schema.fields.find((f) => f.name === c)?.type;
  const retyped = shared.filter((c) => typeOf(older, c) !== typeOf(newer, c));
  return { key, shared, retyped, oldColumns, newColumns };
}

const list = (columns: string[], alias = '') => columns.map((c) => `${alias}${quoteIdent(c)}`).join(', ');
const keyMatch = (key: string[]) => key.map((k) => `n.${quoteIdent(k)} = o.${quoteIdent(k)}`).join(' AND ');
// A column whose type changed between versions is compared as text, by what readers see; the others as they are
// (casting every value of a million-row table to text was most of a diff's time).
const differs = (p: DiffPlan, c: string) =>
  p.retyped.includes(c)
    ? `CAST(n.${quoteIdent(c)} AS VARCHAR) IS DISTINCT FROM CAST(o.${quoteIdent(c)} AS VARCHAR)`
    : `n.${quoteIdent(c)} IS DISTINCT FROM o.${quoteIdent(c)}`;

/** The shared columns outside the key, and SQL that is true when any of them differs between n and o. */
function comparison(p: DiffPlan): { compared: string[]; anyDiff: string } {
  const compared = p.shared.filter((c) => !p.key.includes(c));
  return { compared, anyDiff: compared.length > 0 ? compared.map((c) => differs(p, c)).join(' OR ') : 'false' };
}

/** The rows of one kind as SQL; $1 is the older file, $2 the newer one. */
export function diffRelation(p: DiffPlan, kind: DiffKind): { sql: string; order: string } {
  const OLD = 'read_parquet($1)';
  const NEW = 'read_parquet($2)';
  if (p.key.length === 0) {
    const [a, b] = kind === 'removed' ? [OLD, NEW] : [NEW, OLD];
    return { sql: `SELECT ${list(p.shared)} FROM ${a} EXCEPT ALL SELECT ${list(p.shared)} FROM ${b}`, order: 'ALL' };
  }
  const order = list(p.key);
  if (kind === 'added') return { sql: `SELECT ${list(p.newColumns, 'n.')} FROM ${NEW} n WHERE NOT EXISTS (SELECT 1 FROM ${OLD} o WHERE ${keyMatch(p.key)})`, order };
  if (kind === 'removed') return { sql: `SELECT ${list(p.oldColumns, 'o.')} FROM ${OLD} o WHERE NOT EXISTS (SELECT 1 FROM ${NEW} n WHERE ${keyMatch(p.key)})`, order };
  const { compared, anyDiff } = comparison(p);
  const flags = compared.map((c, i) => `${differs(p, c)} AS "__changed_${i}"`);
  const columns = [
    ...p.key.map((k) => `n.${quoteIdent(k)}`),
    ...compared.flatMap((c, i) => [`o.${quoteIdent(c)} AS "__before_${i}"`, `n.${quoteIdent(c)} AS "__after_${i}"`]),
    ...flags,
  ];
  return { sql: `SELECT ${columns.join(', ')} FROM ${NEW} n JOIN ${OLD} o ON ${keyMatch(p.key)} WHERE ${anyDiff}`, order };
}

/**
 * Counts of each kind. With a key, one FULL OUTER JOIN of the two files: its unmatched rows are exactly the rows of
 * the added and removed relations and its matched rows those of the changed one, so the counts are the same as
 * counting each relation, in one join instead of three. Without a key, the two multiset differences.
 */
export async function summarizeDiff(
  conn: DuckDBConnection,
  older: VersionShape & { version: string },
  newer: VersionShape,
  files: [string, string],
): Promise<Omit<VersionDiff, 'to'>> {
  const p = diffPlan(older, newer);
  let sql: string;
  if (p.key.length > 0) {
    const { anyDiff } = comparison(p);
    // "@side" cannot be a column of a dataset (column names are snake_case), so it marks which side a row is on.
    sql = `SELECT count(*) FILTER (WHERE o."@side" IS NULL) AS added, count(*) FILTER (WHERE n."@side" IS NULL) AS removed,
                  count(*) FILTER (WHERE n."@side" AND o."@side" AND (${anyDiff})) AS changed
           FROM (SELECT *, true AS "@side" FROM read_parquet($2)) n FULL OUTER JOIN (SELECT *, true AS "@side" FROM read_parquet($1)) o ON ${keyMatch(p.key)}`;
  } else {
    const count = (kind: DiffKind) => `(SELECT count(*) FROM (${diffRelation(p, kind).sql}))`;
    sql = `SELECT ${count('added')} AS added, ${count('removed')} AS removed`;
  }
  const r = (await conn.runAndReadAll(sql, files)).getRowObjectsJson()[0]!;
  return {
    from: older.version,
    primaryKey: p.key,
    columnsAdded: p.newColumns.filter((c) => !p.oldColumns.includes(c)),
    columnsRemoved: p.oldColumns.filter((c) => !p.newColumns.includes(c)),
    added: Number(r.added),
    removed: Number(r.removed),
    changed: p.key.length > 0 ? Number(r.changed) : null,
  };
}
