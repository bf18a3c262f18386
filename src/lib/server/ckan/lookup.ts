import { getPublicDataset, type DatasetDetail } from '../catalog/queries.ts';
import { listLakeDatasets, readCurrentManifest } from '../lake/read.ts';
import { DOWNLOAD_FORMATS, type DownloadFormat } from '../opendata/formats.ts';
import { DATASET_ID } from '../pipelines/spec.ts';
import { CkanError, notFound } from './envelope.ts';
import { parseAlias, resourceId, type ResourceRef } from './resource-id.ts';

/**
 * Finding a package or resource for an action. Only `terbuka` datasets are served (the catalog read models
 * filter on it); a dataset that exists with another classification answers 403 Authorization Error, as
 * CKAN does for a private dataset and an anonymous caller, and an unknown one 404.
 */
export async function publicPackage(id: string): Promise<DatasetDetail> {
  const detail = DATASET_ID.test(id) ? await getPublicDataset(id) : null;
  if (detail) return detail;
  await refuseIfRestricted(id);
  throw notFound(`dataset "${id}"`);
}

export async function publicResource(id: string, regionCode: string): Promise<{ detail: DatasetDetail; format: DownloadFormat }> {
  const ref = await resourceRef(id, regionCode);
  const detail = ref ? await getPublicDataset(ref.dataset) : null;
  if (ref && detail) return { detail, format: ref.format };
  if (ref) await refuseIfRestricted(ref.dataset);
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

async function refuseIfRestricted(id: string): Promise<void> {
  if (!DATASET_ID.test(id)) return;
  const manifest = await readCurrentManifest(id);
  if (manifest && manifest.metadata.classification !== 'terbuka') {
    throw new CkanError('Authorization Error', `Access denied: dataset "${id}" is classified ${manifest.metadata.classification} and is not public`);
  }
}
