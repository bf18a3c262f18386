import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FieldSpec } from '../../src/lib/server/lake/schema.ts';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/**
 * searchDatasets, download counts and home figures against a real DuckDB file and a real lake in a temp
 * DATA_DIR: only public datasets are searchable, a sync that changes the catalog rebuilds the index,
 * and recorded downloads drive the "most downloaded" sort.
 */
let dataDir: string;
const OTHER: FieldSpec[] = [{ name: 'nama', type: 'string', title: 'Nama' }];

async function load() {
  const [sync, search, downloads, stats] = await Promise.all([
    import('../../src/lib/server/catalog/sync.ts'),
    import('../../src/lib/server/catalog/search.ts'),
    import('../../src/lib/server/catalog/downloads.ts'),
    import('../../src/lib/server/catalog/stats.ts'),
  ]);
  return { ...sync, ...search, ...downloads, ...stats };
}

beforeAll(async () => {
  dataDir = makeTempDir('kota-search-db-');
  process.env.DATA_DIR = dataDir;
  process.env.KOTA_ROOT = path.resolve(import.meta.dirname, '../..');
  await publishTestVersion(dataDir, {
    id: 'penduduk-kecamatan',
    fields: PENDUDUK_FIELDS,
    rows: [{ kecamatan: 'Andir', jumlah_penduduk: 97000 }, { kecamatan: 'Coblong', jumlah_penduduk: 113000 }],
    publishedAt: '2026-01-15T02:00:00.000Z',
  });
  await publishTestVersion(dataDir, {
    id: 'daftar-taman',
    fields: OTHER,
    rows: [{ nama: 'Taman Lansia' }],
    metadata: { title: 'Daftar Taman Kota', description: 'Nama taman kota (sampel sintetis).', organization: 'dpkp', tags: ['taman'] },
    publishedAt: '2026-01-10T02:00:00.000Z',
  });
  await publishTestVersion(dataDir, {
    id: 'penduduk-terbatas',
    fields: PENDUDUK_FIELDS,
    rows: [{ kecamatan: 'Rahasia', jumlah_penduduk: 1 }],
    metadata: { title: 'Penduduk Terbatas', classification: 'terbatas' },
  });
  await (await load()).syncCatalog();
});

afterAll(() => removeDir(dataDir));

test('only terbuka datasets are searchable, even by an exact word from a restricted title', async () => {
  const { searchDatasets } = await load();
  const result = await searchDatasets({ q: 'terbatas', locale: 'id' });
  expect(result.results.map((r) => r.id)).toEqual([]);
  const all = await searchDatasets({ locale: 'id' });
  expect(all.results.map((r) => r.id).sort()).toEqual(['daftar-taman', 'penduduk-kecamatan']);
  expect(all.facets.classification).toEqual([{ value: 'terbuka', count: 2 }]);
});

test('recorded downloads are counted per dataset and version, and sort the catalog', async () => {
  const { searchDatasets, recordDownload, downloadCounts, versionDownloadCounts } = await load();
  const before = await searchDatasets({ sort: 'downloads', locale: 'id' });
  expect(before.results.map((r) => r.id)).toEqual(['penduduk-kecamatan', 'daftar-taman']);
  const taman = before.results.find((r) => r.id === 'daftar-taman')!;
  await recordDownload('daftar-taman', taman.version, 'csv');
  await recordDownload('daftar-taman', taman.version, 'parquet');
  await recordDownload('daftar-taman', 'older-version', 'csv');
  expect(await downloadCounts()).toEqual(new Map([['daftar-taman', 3]]));
  expect(await versionDownloadCounts('daftar-taman')).toEqual(new Map([[taman.version, 2], ['older-version', 1]]));
  const after = await searchDatasets({ sort: 'downloads', locale: 'id' });
  expect(after.results.map((r) => [r.id, r.downloads])).toEqual([['daftar-taman', 3], ['penduduk-kecamatan', 0]]);
});

test('a sync that publishes or removes a dataset changes search results without a restart', async () => {
  const { searchDatasets, syncCatalog } = await load();
  expect((await searchDatasets({ q: 'sekolah', locale: 'id' })).total).toBe(0);
  await publishTestVersion(dataDir, {
    id: 'sekolah-kecamatan',
    fields: OTHER,
    rows: [{ nama: 'SDN 1' }],
    metadata: { title: 'Jumlah Sekolah per Kecamatan', description: 'Sekolah per kecamatan (sampel sintetis).', organization: 'disdik' },
  });
  await syncCatalog();
  expect((await searchDatasets({ q: 'sekolh', locale: 'id' })).results.map((r) => r.id)).toEqual(['sekolah-kecamatan']);
  rmSync(path.join(dataDir, 'lake', 'sekolah-kecamatan'), { recursive: true });
  await syncCatalog();
  expect((await searchDatasets({ q: 'sekolah', locale: 'id' })).total).toBe(0);
});

test('home figures count public datasets, their OPDs and rows, and list the latest first', async () => {
  const { catalogStats } = await load();
  const stats = await catalogStats(5);
  expect(stats).toMatchObject({ datasets: 2, organizations: 2, rows: 3 });
  expect(stats.latest.map((d) => d.id)).toEqual(['penduduk-kecamatan', 'daftar-taman']);
});
