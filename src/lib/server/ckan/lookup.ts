import type { DatasetDetail } from '../catalog/queries.ts';
import { publicDataset } from '../catalog/access.ts';
import { listLakeDatasets } from '../lake/read.ts';
import { DOWNLOAD_FORMATS, type DownloadFormat } from '../opendata/formats.ts';
import { DATASET_ID } from '../lake/schema.ts';
import { CkanError, notFound } from './envelope.ts';
import { parseAlias, resourceId, type ResourceRef } from './resource-id.ts';

/**
 * Finding a package or resource for an action. Only `terbuka` datasets are served (the catalog read models
 * filter on it); a restricted dataset answers exactly like an unknown one (404), so the API does not reveal
 * which ids exist behind the classification.
 */
export async function publicPackage(id: string): Promise<DatasetDetail> {
  const detail = DATASET_ID.test(id) ? await publicDataset(id) : null;
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
 * Resource UUID → dataset and format. A UUID is derived from its dataset and format, so an entry never goes
 * stale; an unknown UUID re-reads the lake's dataset list (new datasets, restricted ones included).
 */
const known = new Map<string, ResourceRef>();

async function resourceRef(id: string, regionCode: string): Promise<ResourceRef | null> {
  const alias = parseAlias(id);
  if (alias) return alias;
  const key = id.trim().toLowerCase();
  if (!known.has(key)) {
    for (const dataset of await listLakeDatasets()) {
      for (const format of DOWNLOAD_FORMATS) known.set(resourceId(regionCode, dataset, format), { dataset, format });
    }
  }
  return known.get(key) ?? null;
}
