import { memoize } from '../memo.ts';
import { withConnection } from '../db/database.ts';

/**
 * Reads and writes dataset_downloads (created in ./download-migrations.ts). Counts are cached and
 * recomputed only after a download was recorded since the last read.
 */
let cached: Promise<Map<string, number>> | undefined;

/**
 * Records one download. Never throws: a failed count must not fail the download it counts
 * (the error is logged for the operator instead).
 */
export async function recordDownload(dataset: string, version: string, format: string): Promise<void> {
  try {
    await withConnection((conn) =>
      conn.run('INSERT INTO dataset_downloads (dataset, version, format) VALUES ($dataset, $version, $format)', {
        dataset,
        version,
        format,
      }),
    );
    cached = undefined;
  } catch (error) {
    console.error(`[downloads] not counted: ${dataset}@${version}.${format}: ${(error as Error).message}`);
  }
}

/** Total downloads per dataset id (datasets never downloaded are absent). */
export function downloadCounts(): Promise<Map<string, number>> {
  cached ??= withConnection(async (conn) => {
    const reader = await conn.runAndReadAll('SELECT dataset, count(*) AS n FROM dataset_downloads GROUP BY dataset');
    return new Map(reader.getRowObjectsJson().map((r) => [String(r.dataset), Number(r.n)]));
  }).catch((error) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** Downloads of one dataset per version, e.g. for its versions table. */
export async function versionDownloadCounts(dataset: string): Promise<Map<string, number>> {
  return withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(
      'SELECT version, count(*) AS n FROM dataset_downloads WHERE dataset = $dataset GROUP BY version',
      { dataset },
    );
    return new Map(reader.getRowObjectsJson().map((r) => [String(r.version), Number(r.n)]));
  });
}

/** Per-version counts as the dataset page shows them: a few seconds old at most, not one query per view. */
export const recentDownloadCounts = memoize(5_000, 500, versionDownloadCounts);

/** Downloads of public datasets recorded since the start of the current calendar month in Jakarta time (WIB, UTC+7). */
export async function downloadsThisMonth(nowMs: number): Promise<number> {
  return withConnection(async (conn) => {
    const reader = await conn.runAndReadAll(
      `SELECT count(*) AS n FROM dataset_downloads d JOIN catalog_datasets c ON c.id = d.dataset
        WHERE c.classification = 'terbuka' AND d.downloaded_at >= $since::TIMESTAMPTZ`,
      { since: monthStartJakarta(nowMs).toISOString() },
    );
    return Number(reader.getRowObjectsJson()[0]?.n ?? 0);
  });
}

/** The first instant of the month that `nowMs` falls in, in Jakarta (UTC+7, no daylight saving). */
export function monthStartJakarta(nowMs: number): Date {
  const WIB = 7 * 3600_000;
  const local = new Date(nowMs + WIB);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - WIB);
}
