import { can, type Actor } from '../auth/authorization.ts';
import { createCache } from '../cache.ts';
import { catalogGeneration } from './generation.ts';
import { getDataset, type DatasetDetail } from './queries.ts';

/**
 * Who reads which dataset: terbuka ones are public; terbatas ones are published to the lake for government use
 * and shown only to officials and admins (the `dataset.read.restricted` rule), never listed in public search,
 * sitemaps, CKAN/DCAT or the SQL sandbox. Pages and endpoints ask here and turn null into a 404, so a restricted
 * dataset is indistinguishable from an unknown one for everyone else.
 */
export function mayReadRestricted(actor: Actor | null | undefined): boolean {
  return can(actor, 'dataset.read.restricted');
}

export async function datasetForReader(id: string, actor: Actor | null | undefined): Promise<DatasetDetail | null> {
  return (await publicDataset(id)) ?? (mayReadRestricted(actor) ? getDataset(id, { restricted: true }) : null);
}

/**
 * A public dataset, remembered until the catalog changes (sync.ts bumps the generation after every change,
 * including a reclassification), so a page view does not re-read and re-parse the manifest each time.
 * Only found datasets are kept, and only so many: unknown ids from the URL cannot grow the cache.
 */
const details = createCache<DatasetDetail | null>({ max: 500, generation: catalogGeneration, keep: (d) => d !== null });

export function publicDataset(id: string): Promise<DatasetDetail | null> {
  return details.get(id, () => getDataset(id, { restricted: false }));
}
