import { listPublicDatasets } from '../catalog/queries.ts';
import { readManifest } from '../lake/read.ts';
import { parseRowQuery } from '../query/filters.ts';
import { keepArrowWorkerReady } from './arrow-workers.ts';
import { cacheCompressed } from './index.ts';
import { cachedExportPath, materialize } from './materialize.ts';
import type { ExportFormat } from './formats.ts';
import { env } from '../config/env.ts';

/**
 * Writes the whole-version CSV and Arrow files (and the CSV's gzip copy) of newly published public versions in the
 * background, one at a time, so that the first person to download a version gets a plain file (with length and
 * ranges) at disk speed instead of waiting for the export. Versions are immutable, so the files never go stale. KOTA_PREWARM=off skips it.
 */
const FORMATS: ExportFormat[] = ['csv', 'arrow'];
let queue: Promise<void> = Promise.resolve();
const done = new Set<string>();

export function prewarmPublicExports(): void {
  queue = queue
    .then(async () => {
      const datasets = await listPublicDatasets();
      // With datasets to download, an Arrow converter thread is kept started (prewarming or not).
      if (datasets.length > 0) keepArrowWorkerReady();
      if (env().KOTA_PREWARM !== 'off') await run(datasets);
    })
    .catch((error) => console.warn(`[export] prewarm failed: ${(error as Error).message}`));
}

async function run(datasets: Awaited<ReturnType<typeof listPublicDatasets>>): Promise<void> {
  for (const dataset of datasets) {
    const key = `${dataset.id}@${dataset.version}`;
    if (done.has(key)) continue;
    done.add(key);
    const manifest = await readManifest(dataset.id, dataset.version);
    if (!manifest) continue;
    const source = { dataset: dataset.id, version: dataset.version, fields: manifest.schema.fields, title: manifest.metadata.title };
    const { query } = parseRowQuery(new URLSearchParams(), manifest.schema.fields);
    for (const format of FORMATS) {
      const exported = await materialize(source, query, format);
      await exported.done;
    }
    // Browsers ask for gzip: the compressed CSV is ready before they do.
    const csv = cachedExportPath(source, 'csv');
    await cacheCompressed(csv, `${csv}.gz`, 'gzip');
  }
}
