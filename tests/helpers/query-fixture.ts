import { expect } from 'vitest';
import { syncCatalog } from '../../src/lib/server/catalog/sync.ts';
import { readCurrentManifest } from '../../src/lib/server/lake/read.ts';
import type { Manifest } from '../../src/lib/server/lake/manifest.ts';
import type { RowSource } from '../../src/lib/server/query/rows.ts';
import { cachedTable, refreshTableCache } from '../../src/lib/server/query/table-cache.ts';
import { baseSpec, createProject } from './pipeline-project.ts';

/**
 * Publishes `lines` (a CSV with its header) as dataset `id` through the real runner, sorted by `sortBy`, indexes
 * it, and with `tableCache` copies it into the native table cache (every size: KOTA_TABLE_CACHE_MIN_ROWS=0).
 */
export async function publishQueryFixture(
  id: string,
  lines: string[],
  fields: { name: string; type: string; title: string }[],
  options: { sortBy: string; tableCache: boolean },
): Promise<{ manifest: Manifest; source: RowSource }> {
  const project = createProject();
  project.writeFile('datasets/data.csv', lines.join('\n'));
  project.addPipeline(id, baseSpec({ schema: { primary_key: [fields[0]!.name], sort_by: [options.sortBy], fields } }));
  expect((await project.run(id)).exitCode).toBe(0);
  Object.assign(process.env, { KOTA_TABLE_CACHE: 'on', KOTA_TABLE_CACHE_MIN_ROWS: '0' });
  await syncCatalog();
  const manifest = (await readCurrentManifest(id))!;
  const source = { dataset: id, version: manifest.version, fields: manifest.schema.fields };
  if (options.tableCache) await refreshTableCache();
  expect(cachedTable(source.dataset, source.version) !== null).toBe(options.tableCache);
  return { manifest, source };
}
