import type { Kysely } from 'kysely';
import { memoize } from '../cache.ts';
import { now } from '../clock.ts';
import { preparedQuery, type Params } from '../db/prepared.ts';
import { db, transaction } from '../db/store.ts';
import type { Database } from '../domains.ts';
import { listPublicDatasets } from './queries.ts';

/**
 * Download counts (table dataset_downloads, ./download-migrations.ts), in the app-state store: the platform's own
 * record, which every server of a fleet adds to. Reads are a few seconds old at most, not one query per page view.
 */

// The two upserts of every download, built and compiled once (db/prepared.ts).
const countDownload = preparedQuery((db: Kysely<Database>, p: Params<{ dataset: string; version: string; format: string; at: number }>) =>
  db
    .insertInto('dataset_downloads')
    .values({ dataset: p.dataset, version: p.version, format: p.format, downloads: 1, last_at: p.at })
    .onConflict((oc) => oc.columns(['dataset', 'version', 'format']).doUpdateSet((eb) => ({ downloads: eb('dataset_downloads.downloads', '+', 1), last_at: p.at }))),
);
const countMonthly = preparedQuery((db: Kysely<Database>, p: Params<{ dataset: string; month: string }>) =>
  db
    .insertInto('dataset_downloads_monthly')
    .values({ dataset: p.dataset, month: p.month, downloads: 1 })
    .onConflict((oc) => oc.columns(['dataset', 'month']).doUpdateSet((eb) => ({ downloads: eb('dataset_downloads_monthly.downloads', '+', 1) }))),
);

const COUNTS_TTL_MS = 5_000;
let countedHere = 0;

/**
 * What pages showing download counts depend on (catalog/reader-pages.ts): this process's own downloads at once,
 * everyone else's at most `COUNTS_TTL_MS` late, as the counts' own caches below.
 */
export function downloadCountsVersion(at: number): string {
  return `${countedHere}.${Math.floor(at / COUNTS_TTL_MS)}`;
}

/**
 * Records one download. Never throws: a failed count must not fail the download it counts
 * (the error is logged for the operator instead).
 */
export async function recordDownload(dataset: string, version: string, format: string): Promise<void> {
  try {
    const at = now();
    await transaction(async (trx) => {
      await countDownload.execute(trx, { dataset, version, format, at });
      await countMonthly.execute(trx, { dataset, month: jakartaMonth(at) });
    });
    // This process shows its own downloads at once; other servers' within the cache's few seconds.
    allCounts.clear();
    recentDownloadCounts.clear();
    countedHere++;
  } catch (error) {
    console.error(`[downloads] not counted: ${dataset}@${version}.${format}: ${(error as Error).message}`);
  }
}

/** Total downloads per dataset id (datasets never downloaded are absent). */
export async function readDownloadCounts(): Promise<Map<string, number>> {
  const rows = await db()
    .selectFrom('dataset_downloads')
    .select(['dataset', (eb) => eb.fn.sum<number>('downloads').as('n')])
    .groupBy('dataset')
    .execute();
  return new Map(rows.map((r) => [r.dataset, Number(r.n)]));
}

/** Downloads of one dataset per version, e.g. for its versions table. */
export async function versionDownloadCounts(dataset: string): Promise<Map<string, number>> {
  const rows = await db()
    .selectFrom('dataset_downloads')
    .select(['version', (eb) => eb.fn.sum<number>('downloads').as('n')])
    .where('dataset', '=', dataset)
    .groupBy('version')
    .execute();
  return new Map(rows.map((r) => [r.version, Number(r.n)]));
}

const allCounts = memoize(() => readDownloadCounts(), { max: 1, ttlMs: COUNTS_TTL_MS });

/** Total downloads per dataset for search ranking: a few seconds old at most. */
export function downloadCounts(): Promise<Map<string, number>> {
  return allCounts('all');
}

/** Per-version counts as the dataset page shows them: a few seconds old at most, not one query per view. */
export const recentDownloadCounts = memoize(versionDownloadCounts, { max: 500, ttlMs: COUNTS_TTL_MS });

/** Downloads of public datasets recorded since the start of the current calendar month in Jakarta time (WIB, UTC+7). */
export async function downloadsThisMonth(nowMs: number): Promise<number> {
  const [rows, publicIds] = await Promise.all([
    db()
      .selectFrom('dataset_downloads_monthly')
      .select(['dataset', 'downloads'])
      .where('month', '=', jakartaMonth(nowMs))
      .execute(),
    listPublicDatasets().then((list) => new Set(list.map((d) => d.id))),
  ]);
  return rows.filter((r) => publicIds.has(r.dataset)).reduce((n, r) => n + Number(r.downloads), 0);
}

/** The first instant of the month that `nowMs` falls in, in Jakarta (UTC+7, no daylight saving). */
export function monthStartJakarta(nowMs: number): Date {
  const local = new Date(nowMs + WIB);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - WIB);
}

/** "2026-11": the calendar month in Jakarta that `nowMs` falls in, the key of the monthly counters. */
export function jakartaMonth(nowMs: number): string {
  return new Date(nowMs + WIB).toISOString().slice(0, 7);
}

const WIB = 7 * 3600_000;
