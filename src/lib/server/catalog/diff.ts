import { createCache } from '../cache.ts';
import { withConnection } from './index-db.ts';
import { quoteIdent } from '../db/sql.ts';
import type { Manifest } from '../lake/manifest.ts';
import { readManifest, versionDataPath } from '../lake/read.ts';

/**
 * What changed between two published versions, computed by DuckDB straight from their Parquet files.
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

export interface ChangedRow {
  key: Record<string, unknown>;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /** Shared columns whose value differs. */
  changed: string[];
}

export interface DiffPage {
  /** Columns of the rows listed: the newer version's for added and changed, the older's for removed. */
  columns: string[];
  rows: Record<string, unknown>[] | ChangedRow[];
}

interface Plan {
  key: string[];
  shared: string[];
  oldColumns: string[];
  newColumns: string[];
}

function plan(older: Manifest, newer: Manifest): Plan {
  const oldColumns = older.schema.fields.map((f) => f.name);
  const newColumns = newer.schema.fields.map((f) => f.name);
  const shared = newColumns.filter((c) => oldColumns.includes(c));
  const key = newer.schema.primary_key.length > 0 && newer.schema.primary_key.every((k) => shared.includes(k)) ? newer.schema.primary_key : [];
  return { key, shared, oldColumns, newColumns };
}

const list = (columns: string[], alias = '') => columns.map((c) => `${alias}${quoteIdent(c)}`).join(', ');
const keyMatch = (key: string[]) => key.map((k) => `n.${quoteIdent(k)} = o.${quoteIdent(k)}`).join(' AND ');
// Compared as text so that a column whose type changed between versions still compares by what readers see.
const differs = (c: string) => `CAST(n.${quoteIdent(c)} AS VARCHAR) IS DISTINCT FROM CAST(o.${quoteIdent(c)} AS VARCHAR)`;

/** $1 is the older file, $2 the newer one. */
function relations(p: Plan, kind: DiffKind): { sql: string; order: string } {
  const OLD = 'read_parquet($1)';
  const NEW = 'read_parquet($2)';
  if (p.key.length === 0) {
    const [a, b] = kind === 'removed' ? [OLD, NEW] : [NEW, OLD];
    return { sql: `SELECT ${list(p.shared)} FROM ${a} EXCEPT ALL SELECT ${list(p.shared)} FROM ${b}`, order: 'ALL' };
  }
  const order = list(p.key);
  if (kind === 'added') return { sql: `SELECT ${list(p.newColumns, 'n.')} FROM ${NEW} n WHERE NOT EXISTS (SELECT 1 FROM ${OLD} o WHERE ${keyMatch(p.key)})`, order };
  if (kind === 'removed') return { sql: `SELECT ${list(p.oldColumns, 'o.')} FROM ${OLD} o WHERE NOT EXISTS (SELECT 1 FROM ${NEW} n WHERE ${keyMatch(p.key)})`, order };
  const compared = p.shared.filter((c) => !p.key.includes(c));
  const anyDiff = compared.length > 0 ? compared.map(differs).join(' OR ') : 'false';
  const flags = compared.map((c, i) => `${differs(c)} AS "__changed_${i}"`);
  const columns = [
    ...p.key.map((k) => `n.${quoteIdent(k)}`),
    ...compared.flatMap((c, i) => [`o.${quoteIdent(c)} AS "__before_${i}"`, `n.${quoteIdent(c)} AS "__after_${i}"`]),
    ...flags,
  ];
  return { sql: `SELECT ${columns.join(', ')} FROM ${NEW} n JOIN ${OLD} o ON ${keyMatch(p.key)} WHERE ${anyDiff}`, order };
}

function files(older: Manifest, newer: Manifest): string[] {
  return [versionDataPath(older.dataset, older.version), versionDataPath(newer.dataset, newer.version)];
}

/**
 * Published versions never change, so neither does the diff of two of them: summaries are kept in memory (the
 * dataset page shows up to ten per view and each is a scan of two files). Bounded; oldest entries go first.
 */
const summaries = createCache<VersionDiff>({ max: 500 });

export function diffVersions(older: Manifest, newer: Manifest): Promise<VersionDiff> {
  return summaries.get(`${newer.dataset}\0${older.version}\0${newer.version}`, () => computeDiff(older, newer));
}

async function computeDiff(older: Manifest, newer: Manifest): Promise<VersionDiff> {
  const p = plan(older, newer);
  const count = (kind: DiffKind) => `(SELECT count(*) FROM (${relations(p, kind).sql}))`;
  return withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(
      `SELECT ${count('added')} AS added, ${count('removed')} AS removed${p.key.length > 0 ? `, ${count('changed')} AS changed` : ''}`,
      files(older, newer),
    );
    const r = reader.getRowObjectsJson()[0]!;
    return {
      from: older.version,
      to: newer.version,
      primaryKey: p.key,
      columnsAdded: p.newColumns.filter((c) => !p.oldColumns.includes(c)),
      columnsRemoved: p.oldColumns.filter((c) => !p.newColumns.includes(c)),
      added: Number(r.added),
      removed: Number(r.removed),
      changed: p.key.length > 0 ? Number(r.changed) : null,
    };
  });
}

/** One page of the added, removed or changed rows, ordered by key (or by all columns without one). */
export async function diffRows(older: Manifest, newer: Manifest, kind: DiffKind, page: { limit: number; offset: number }): Promise<DiffPage> {
  const p = plan(older, newer);
  if (kind === 'changed' && p.key.length === 0) return { columns: [], rows: [] };
  const { sql, order } = relations(p, kind);
  const limit = Math.min(Math.max(1, Math.floor(page.limit)), 500);
  const offset = Math.max(0, Math.floor(page.offset));
  return withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(`SELECT * FROM (${sql}) ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, files(older, newer));
    const raw = reader.getRowObjectsJson() as Record<string, unknown>[];
    if (kind !== 'changed') {
      const columns = p.key.length === 0 ? p.shared : kind === 'added' ? p.newColumns : p.oldColumns;
      return { columns, rows: raw };
    }
    const compared = p.shared.filter((c) => !p.key.includes(c));
    const rows: ChangedRow[] = raw.map((r) => {
      const key = Object.fromEntries(p.key.map((k) => [k, r[k]]));
      const before: Record<string, unknown> = { ...key };
      const after: Record<string, unknown> = { ...key };
      const changed: string[] = [];
      compared.forEach((c, i) => {
        before[c] = r[`__before_${i}`];
        after[c] = r[`__after_${i}`];
        if (r[`__changed_${i}`] === true) changed.push(c);
      });
      return { key, before, after, changed };
    });
    return { columns: [...p.key, ...compared], rows };
  });
}

/**
 * Each version's changes from the one published before it, for the newest `limit` versions (a version list is
 * newest first). A pair whose files are gone (retention) or unreadable maps to null: "not available".
 */
export async function changesFromPrevious(id: string, versions: { version: string }[], limit = 10): Promise<Map<string, VersionDiff | null>> {
  const changes = new Map<string, VersionDiff | null>();
  const pairs = versions.slice(0, limit).map((v, i) => [versions[i + 1]?.version, v.version] as const);
  await Promise.all(
    pairs.map(async ([previous, version]) => {
      if (!previous) return;
      try {
        const [older, newer] = await Promise.all([readManifest(id, previous), readManifest(id, version)]);
        changes.set(version, older && newer ? await diffVersions(older, newer) : null);
      } catch {
        changes.set(version, null);
      }
    }),
  );
  return changes;
}
