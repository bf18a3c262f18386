import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createCache } from '../cache.ts';
import { pageScans } from '../concurrency.ts';
import { diffCacheDir } from '../config/paths.ts';
import { readChanges } from '../lake/changes.ts';
import { withBulkConnection } from './index-db.ts';
import type { Manifest } from '../lake/manifest.ts';
import { versionDataPath } from '../lake/read.ts';
import { diffPlan, diffRelation, summarizeDiff, type DiffKind, type VersionDiff } from '../lake/version-diff.ts';

export type { DiffKind, VersionDiff };

/**
 * Version diffs for pages. Summaries are stored with each version by the run that published it (lake/changes.ts),
 * so the dataset page only reads small files, whatever the number of versions or rows. A pair without a stored
 * summary (versions published before summaries were stored, or compared across a pruned version) is computed on
 * the version's own diff page only, one scan at a time (pageScans), and kept in DATA_DIR/cache/diffs.
 */
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

function files(older: Manifest, newer: Manifest): [string, string] {
  return [versionDataPath(older.dataset, older.version), versionDataPath(newer.dataset, newer.version)];
}

/**
 * Published versions never change, so neither does the diff of two of them. Only answers are kept: "not stored yet"
 * may change once the diff page computes it.
 */
const summaries = createCache<VersionDiff | null>({ max: 500, keep: (diff) => diff !== null });

/** The summary stored with the version, or one computed earlier and kept in the cache; never a scan. */
function storedDiff(id: string, from: string, to: string): Promise<VersionDiff | null> {
  return summaries.get(`${id}\0${from}\0${to}`, async () => {
    const stored = await readChanges(id, to);
    return stored?.from === from ? stored : readCachedDiff(id, from, to);
  });
}

/** The summary for the diff page: stored, or computed now (one scan at a time) and kept. */
export async function diffVersions(older: Manifest, newer: Manifest): Promise<VersionDiff> {
  const stored = await storedDiff(newer.dataset, older.version, newer.version);
  if (stored) return stored;
  const summary = await pageScans.run(() => withBulkConnection((conn) => summarizeDiff(conn, older, newer, files(older, newer))));
  const diff: VersionDiff = { ...summary, to: newer.version };
  await writeCachedDiff(newer.dataset, diff).catch((error) => console.warn(`[diff] not kept in the cache: ${(error as Error).message}`));
  summaries.delete(`${newer.dataset}\0${older.version}\0${newer.version}`);
  return diff;
}

/** One page of the added, removed or changed rows, ordered by key (or by all columns without one). */
export async function diffRows(older: Manifest, newer: Manifest, kind: DiffKind, page: { limit: number; offset: number }): Promise<DiffPage> {
  const p = diffPlan(older, newer);
  if (kind === 'changed' && p.key.length === 0) return { columns: [], rows: [] };
  const { sql, order } = diffRelation(p, kind);
  const limit = Math.min(Math.max(1, Math.floor(page.limit)), 500);
  const offset = Math.max(0, Math.floor(page.offset));
  const raw = await pageScans.run(() =>
    withBulkConnection(async (conn) => {
      const reader = await conn.runAndReadAll(`SELECT * FROM (${sql}) ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, files(older, newer));
      return reader.getRowObjectsJson() as Record<string, unknown>[];
    }),
  );
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
}

/**
 * Each version's changes from the one listed before it, for the newest `limit` versions (a version list is newest
 * first), from stored summaries only: the dataset page never scans data for this. A version without one is absent
 * from the map (the page links to its diff page instead).
 */
export async function changesFromPrevious(id: string, versions: { version: string }[], limit = 10): Promise<Map<string, VersionDiff | null>> {
  const changes = new Map<string, VersionDiff | null>();
  await Promise.all(
    versions.slice(0, limit).map(async (v, i) => {
      const previous = versions[i + 1]?.version;
      if (!previous) return;
      const diff = await storedDiff(id, previous, v.version).catch(() => null);
      if (diff) changes.set(v.version, diff);
    }),
  );
  return changes;
}

/** DATA_DIR/cache/diffs/<id>/<to>/from-<from>.json: evicted with the version (cache/eviction.ts). */
function cachedDiffFile(id: string, from: string, to: string): string {
  return path.join(diffCacheDir(), id, to, `from-${from}.json`);
}

async function readCachedDiff(id: string, from: string, to: string): Promise<VersionDiff | null> {
  try {
    const diff = JSON.parse(await readFile(cachedDiffFile(id, from, to), 'utf8')) as VersionDiff;
    return diff.from === from && diff.to === to ? diff : null;
  } catch {
    return null;
  }
}

async function writeCachedDiff(id: string, diff: VersionDiff): Promise<void> {
  const file = cachedDiffFile(id, diff.from, diff.to);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(diff));
}
