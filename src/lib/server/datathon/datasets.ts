import { createCache } from '../cache.ts';
import { catalogGeneration } from '../catalog/generation.ts';
import { listPublicDatasets, type DatasetSummary } from '../catalog/queries.ts';
import { readCurrentManifest } from '../lake/read.ts';
import type { Manifest } from '../lake/manifest.ts';
import { DATASET_ID } from '../lake/schema.ts';

/**
 * The catalog as the datathon sees it: open (terbuka) datasets with a current version in the lake, the source of
 * truth. Challenges suggest them, submissions cite them with the version used, starter kits package them.
 */
export async function openDatasets(ids: readonly string[]): Promise<{ found: Manifest[]; missing: string[] }> {
  const found: Manifest[] = [];
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const manifest = DATASET_ID.test(id) ? await readCurrentManifest(id) : null;
    if (manifest && manifest.metadata.classification === 'terbuka') found.push(manifest);
    else missing.push(id);
  }
  return { found, missing };
}

/** Parses a list of dataset ids from JSON text stored in a row. */
export function datasetList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const choices = createCache<DatasetSummary[]>({ max: 1, generation: catalogGeneration });

/** The open datasets to choose from in forms and filters, read once per catalog generation. */
export function datasetChoices(): Promise<DatasetSummary[]> {
  return choices.get('all', listPublicDatasets);
}
