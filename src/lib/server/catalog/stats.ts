import { withConnection } from './index-db.ts';
import { createCache } from '../cache.ts';
import { catalogGeneration } from './generation.ts';

/**
 * The home page's figures, from the catalog index, public datasets only. Cached until the catalog
 * generation changes (sync.ts bumps it), so the home page costs no query between publications.
 */
const PUBLIC = `classification = 'terbuka'`;

export interface CatalogStats {
  datasets: number;
  organizations: number;
  /** Rows in the current versions of the public datasets. */
  rows: number;
  latest: LatestUpdate[];
}

export interface LatestUpdate {
  id: string;
  title: string;
  title_en: string | null;
  organization: string;
  rows: number;
  synthetic: boolean;
  published_at: string;
}

const cache = createCache<CatalogStats>({ max: 4, generation: catalogGeneration });

export function catalogStats(latestLimit = 5): Promise<CatalogStats> {
  return cache.get(String(latestLimit), () => readStats(latestLimit));
}

async function readStats(latestLimit: number): Promise<CatalogStats> {
  return withConnection(async (conn) => {
    const totals = (
      await conn.runAndReadAll(
        `SELECT count(*) AS datasets, count(DISTINCT organization) AS organizations, coalesce(sum(rows), 0) AS rows
           FROM catalog_datasets WHERE ${PUBLIC}`,
      )
    ).getRowObjectsJson()[0]!;
    const latest = await conn.runAndReadAll(
      `SELECT id, title, title_en, organization, rows, synthetic, epoch_ms(published_at) AS published_ms
         FROM catalog_datasets WHERE ${PUBLIC} ORDER BY published_at DESC, id LIMIT $limit`,
      { limit: Math.max(1, Math.min(50, Math.trunc(latestLimit))) },
    );
    return {
      datasets: Number(totals.datasets),
      organizations: Number(totals.organizations),
      rows: Number(totals.rows),
      latest: latest.getRowObjectsJson().map((r) => ({
        id: String(r.id),
        title: String(r.title),
        title_en: (r.title_en as string | null) ?? null,
        organization: String(r.organization),
        rows: Number(r.rows),
        synthetic: r.synthetic === true,
        published_at: new Date(Number(r.published_ms)).toISOString(),
      })),
    };
  });
}
