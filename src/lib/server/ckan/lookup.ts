import type { DatasetDetail } from '../catalog/queries.ts';
import { publicDataset } from '../catalog/access.ts';
import { listLakeDatasets } from '../lake/read.ts';
import { DOWNLOAD_FORMATS, type DownloadFormat } from '../opendata/formats.ts';
import { DATASET_ID } from '../lake/schema.ts';
import { CkanError, notFound } from './envelope.ts';
import { packageId, parseAlias, resourceId, type ResourceRef } from './resource-id.ts';

/**
 * Finding a package or resource for an action. Only `terbuka` datasets are served (the catalog read models
 * filter on it); a restricted dataset answers exactly like an unknown one (404), so the API does not reveal
 * which ids exist behind the classification.
 */
export async function publicPackage(id: string, regionCode: string): Promise<DatasetDetail> {
  // A package is named by its dataset id or by its UUID (ckan/package.ts), as CKAN accepts name or id.
  // A UUID also has the shape of a dataset id, so it is looked up first.
  const byUuid = await uuidRef(id, regionCode);
  const dataset = byUuid ? byUuid.dataset : DATASET_ID.test(id) ? id : undefined;
  const detail = dataset ? await publicDataset(dataset) : null;
  if (detail) return detail;
  throw notFound(`dataset "${id}"`);
}

export async function publicResource(id: string, regionCode: string): Promise<{ detail: DatasetDetail; format: DownloadFormat }> {
  const ref = await resourceRef(id, regionCode);
  const detail = ref ? await publicDataset(ref.dataset) : null;
  if (ref && detail) return { detail, format: ref.format };
  throw new CkanError('Not Found Error', `Not found: resource "${id}"`);
}

/**
 * Package and resource UUID → dataset (and format). A UUID is derived from its dataset (and format), so an entry
 * never goes stale; an unknown UUID re-reads the lake's dataset list (new datasets, restricted ones included), so
 * a restricted dataset's UUID gets the same 404 as an unknown one.
 */
const known = new Map<string, { dataset: string; format: DownloadFormat | null }>();

async function uuidRef(id: string, regionCode: string): Promise<{ dataset: string; format: DownloadFormat | null } | null> {
  const key = id.trim().toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key)) return null;
  if (!known.has(key)) {
    for (const dataset of await listLakeDatasets()) {
      known.set(packageId(regionCode, dataset), { dataset, format: null });
      for (const format of DOWNLOAD_FORMATS) known.set(resourceId(regionCode, dataset, format), { dataset, format });
    }
  }
  return known.get(key) ?? null;
}

async function resourceRef(id: string, regionCode: string): Promise<ResourceRef | null> {
  const alias = parseAlias(id);
  if (alias) return alias;
  const ref = await uuidRef(id, regionCode);
  return ref?.format ? { dataset: ref.dataset, format: ref.format } : null;
}
