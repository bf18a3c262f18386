import { cpSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { PENDUDUK_FIELDS, publishTestVersion, writeTestRunRecord } from '../helpers/lake.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/** The catalog index against a real DuckDB file and a real lake in a temp DATA_DIR. */
const dirs: string[] = [];
let dataDir: string;

async function loadCatalog() {
  const [sync, queries, db] = await Promise.all([
    import('../../src/lib/server/catalog/sync.ts'),
    import('../../src/lib/server/catalog/queries.ts'),
    import('../../src/lib/server/catalog/index-db.ts'),
  ]);
  return { ...sync, ...queries, ...db };
}

const penduduk = (rows: [string, number][]) => rows.map(([kecamatan, jumlah_penduduk]) => ({ kecamatan, jumlah_penduduk }));

beforeAll(async () => {
  dataDir = makeTempDir('kota-catalog-');
  dirs.push(dataDir);
  process.env.DATA_DIR = dataDir;
  await publishTestVersion(dataDir, {
    id: 'penduduk-kecamatan',
    fields: PENDUDUK_FIELDS,
    rows: penduduk([['Andir', 97000], ['Coblong', 113000], ["Cibeunying Kaler'", 71000]]),
    publishedAt: '2026-01-15T02:00:00.000Z',
  });
  await publishTestVersion(dataDir, {
    id: 'data-terbatas',
    fields: PENDUDUK_FIELDS,
    rows: penduduk([['Rahasia', 1]]),
    metadata: { title: 'Data Terbatas Internal', classification: 'terbatas' },
  });
  writeTestRunRecord(dataDir, { dataset: 'penduduk-kecamatan', run_id: '20260115T020000Z-aaaaaa', rows: 3 });
  writeTestRunRecord(dataDir, { dataset: 'data-terbatas', run_id: '20260115T020000Z-bbbbbb' });
});

afterAll(() => dirs.forEach(removeDir));

describe('catalog sync', () => {
  test('indexes public datasets from the lake and serves their metadata, versions and first rows', async () => {
    const c = await loadCatalog();
    const report = await c.syncCatalog();
    expect(report.updated.sort()).toEqual(['data-terbatas', 'penduduk-kecamatan']);

    const list = await c.listPublicDatasets();
    expect(list.map((d) => [d.id, d.title, d.rows, d.synthetic])).toEqual([['penduduk-kecamatan', 'Jumlah Penduduk per Kecamatan', 3, true]]);
    expect(list[0]!.published_at).toBe('2026-01-15T02:00:00.000Z');

    const detail = await c.getPublicDataset('penduduk-kecamatan');
    expect(detail?.manifest.schema.fields.map((f) => f.name)).toEqual(['kecamatan', 'jumlah_penduduk']);
    expect(detail?.versions).toHaveLength(1);

    const preview = await c.previewRows('penduduk-kecamatan', 2);
    expect(preview).toEqual({ columns: ['kecamatan', 'jumlah_penduduk'], rows: [['Andir', '97000'], ['Coblong', '113000']] });

    const runs = await c.listRuns('penduduk-kecamatan');
    expect(runs.map((r) => r.run_id)).toEqual(['20260115T020000Z-aaaaaa']);
  });

  test('indexes terbatas datasets but never returns them from the public read models', async () => {
    const c = await loadCatalog();
    const indexed = await c.withConnection(async (conn) =>
      (await conn.runAndReadAll(`SELECT id FROM catalog_datasets WHERE classification = 'terbatas'`)).getRowObjectsJson(),
    );
    expect(indexed).toEqual([{ id: 'data-terbatas' }]);
    expect(await c.getPublicDataset('data-terbatas')).toBeNull();
    expect(await c.previewRows('data-terbatas')).toBeNull();
    expect(await c.listRuns('data-terbatas')).toEqual([]);
    expect(await c.countPublicDatasets()).toBe(1);
    expect(await c.getPublicDataset("penduduk-kecamatan' OR 1=1 --")).toBeNull();
  });

  test('an unchanged lake re-reads nothing; a new version replaces the current one and joins the history', async () => {
    const c = await loadCatalog();
    expect((await c.syncCatalog()).updated).toEqual([]);

    const v2 = await publishTestVersion(dataDir, {
      id: 'penduduk-kecamatan',
      fields: PENDUDUK_FIELDS,
      rows: penduduk([['Andir', 98000], ['Coblong', 114000], ['Sukajadi', 105000], ['Sumur Bandung', 35000]]),
      publishedAt: '2026-02-15T02:00:00.000Z',
    });
    expect((await c.syncCatalog()).updated).toEqual(['penduduk-kecamatan']);
    const detail = await c.getPublicDataset('penduduk-kecamatan');
    expect(detail?.manifest.version).toBe(v2.version);
    expect(detail?.versions.map((v) => v.rows)).toEqual([4, 3]);
    expect((await c.previewRows('penduduk-kecamatan'))?.rows[0]).toEqual(['Andir', '98000']);
  });

  test('run records: new ones are indexed, half-written ones retried, other files in the runs folder ignored', async () => {
    const c = await loadCatalog();
    const runsDir = path.join(dataDir, 'runs', 'penduduk-kecamatan');
    writeFileSync(path.join(runsDir, 'state.json'), JSON.stringify({ fingerprint: 'x', version: 'y' }));
    writeFileSync(path.join(runsDir, '20260215T020000Z-cccccc.json'), '{"run_id": "20260215T020000Z-cc');
    await c.syncCatalog();
    expect((await c.listRuns('penduduk-kecamatan')).map((r) => r.run_id)).toEqual(['20260115T020000Z-aaaaaa']);

    // Completing the file in place does not change the folder's mtime; the sync must still pick it up.
    const scratch = makeTempDir('kota-record-');
    dirs.push(scratch);
    const full = writeTestRunRecord(scratch, { dataset: 'penduduk-kecamatan', run_id: '20260215T020000Z-cccccc', started_at: '2026-02-15T02:00:00.000Z', status: 'failed' });
    writeFileSync(path.join(runsDir, '20260215T020000Z-cccccc.json'), JSON.stringify(full));
    await c.syncCatalog();
    expect((await c.listRuns('penduduk-kecamatan')).map((r) => [r.run_id, r.status])).toEqual([
      ['20260215T020000Z-cccccc', 'failed'],
      ['20260115T020000Z-aaaaaa', 'published'],
    ]);
  });

  test('a dataset removed from the lake leaves the index', async () => {
    const c = await loadCatalog();
    const extra = await publishTestVersion(dataDir, { id: 'sementara', fields: PENDUDUK_FIELDS, rows: penduduk([['A', 1]]), metadata: { title: 'Dataset Sementara' } });
    await c.syncCatalog();
    expect((await c.listPublicDatasets()).map((d) => d.id)).toContain(extra.dataset);
    rmSync(path.join(dataDir, 'lake', 'sementara'), { recursive: true });
    expect((await c.syncCatalog()).removed).toEqual(['sementara']);
    expect((await c.listPublicDatasets()).map((d) => d.id)).toEqual(['penduduk-kecamatan']);
  });

  test('a new index built from the same lake gives the same catalog (invariant 4)', async () => {
    const before = await loadCatalog();
    const snapshot = async (c: typeof before) => ({
      list: await c.listPublicDatasets(),
      detail: await c.getPublicDataset('penduduk-kecamatan'),
      runs: await c.listRuns('penduduk-kecamatan'),
      preview: await c.previewRows('penduduk-kecamatan'),
    });
    const expected = await snapshot(before);

    // Same lake and runs, no catalog.duckdb: a fresh process's view, with fresh modules.
    const copy = makeTempDir('kota-catalog-rebuild-');
    dirs.push(copy);
    cpSync(path.join(dataDir, 'lake'), path.join(copy, 'lake'), { recursive: true });
    cpSync(path.join(dataDir, 'runs'), path.join(copy, 'runs'), { recursive: true });
    process.env.DATA_DIR = copy;
    vi.resetModules();
    const after = await loadCatalog();
    await after.syncCatalog();
    expect(await snapshot(after)).toEqual(expected);
  });
});
