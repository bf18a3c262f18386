import { can, type Actor } from '../auth/authorization.ts';
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

export function datasetForReader(id: string, actor: Actor | null | undefined): Promise<DatasetDetail | null> {
  return getDataset(id, { restricted: mayReadRestricted(actor) });
}
