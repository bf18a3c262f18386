import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { convert } from '../../datasets/_convert/boundaries.ts';
import { listPipelineIds, loadPipeline } from '../../src/lib/server/pipelines/load-spec.ts';
import { runPipeline } from '../../src/lib/server/pipelines/runner.ts';
import { REPO_ROOT } from '../helpers/pipeline-project.ts';
import { readPublished } from '../helpers/read-parquet.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/**
 * The repository's real datasets (datasets/<id>/SOURCE.md) publish through their own pipelines with every check
 * passing and exactly the row count SOURCE.md states; the boundaries are what the converter writes.
 */
const dataDir = makeTempDir('kota-real-');
Object.assign(process.env, { KOTA_ROOT: REPO_ROOT, DATA_DIR: dataDir, PIPELINES_DIR: 'pipelines', KOTA_CONFIG: 'kota.config.yaml' });
afterAll(() => removeDir(dataDir));

const real = listPipelineIds().filter((id) => !loadPipeline(id).spec.synthetic && id !== 'kecamatan-bandung');

function statedRows(id: string): number {
  const text = readFileSync(path.join(REPO_ROOT, 'datasets', id, 'SOURCE.md'), 'utf8');
  const match = /\*\*Rows published:\*\* ([\d,]+)/.exec(text);
  if (!match) throw new Error(`datasets/${id}/SOURCE.md states no "Rows published"`);
  return Number(match[1]!.replaceAll(',', ''));
}

describe('real datasets', () => {
  test('the demo has the real datasets, and the synthetic samples they replace are gone', () => {
    expect(real).toEqual(
      expect.arrayContaining(['penduduk-kelurahan', 'kepadatan-penduduk-kecamatan', 'penerima-bansos-kecamatan', 'risiko-stunting-kecamatan', 'produksi-sampah-jabar', 'upah-minimum-jabar', 'batas-kelurahan', 'batas-kecamatan']),
    );
    expect(listPipelineIds()).not.toContain('penduduk-per-kecamatan');
    expect(listPipelineIds()).not.toContain('timbulan-sampah-harian');
  });

  test.each(real)('%s publishes with 0 failed checks and the row count its SOURCE.md states', async (id) => {
    const outcome = await runPipeline(id);
    expect(outcome.record.error).toBeNull();
    expect(outcome.exitCode).toBe(0);
    expect(outcome.record.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(outcome.record.report).toEqual([]);
    expect(outcome.record.rows).toBe(statedRows(id));
  });

  test('population per kelurahan, read back: three kelurahan in the first half of 2024 match the CSV', async () => {
    const rows = await readPublished('penduduk-kelurahan');
    const total = (code: string) => rows.filter((r) => r.tahun === '2024' && r.semester === '1' && r.kode_kelurahan === code).reduce((n, r) => n + Number(r.jumlah_penduduk), 0);
    // Sums of the LAKI-LAKI and PEREMPUAN rows of datasets/penduduk-kelurahan/jumlah_penduduk.csv.
    expect(total('32.73.01.1002')).toBe(23663);
    expect(total('32.73.19.1001')).toBe(6275);
    expect(total('32.73.27.1002')).toBe(21724);
  });

  test('the committed boundary files are what datasets/_convert/boundaries.ts writes', () => {
    const { kelurahan, kecamatan } = convert();
    expect(readFileSync(path.join(REPO_ROOT, 'datasets/batas-kelurahan/batas-kelurahan.geojson'), 'utf8')).toBe(kelurahan);
    expect(readFileSync(path.join(REPO_ROOT, 'datasets/batas-kecamatan/batas-kecamatan.geojson'), 'utf8')).toBe(kecamatan);
    const first = JSON.parse(kelurahan).features[0];
    // The SQL's first pair is [-6.878415999999959, 107.59047000000004]: [lat, lng], swapped for GeoJSON.
    expect(first.properties.kode_kelurahan).toBe('32.73.01.1001');
    expect(first.geometry.coordinates[0][0]).toEqual([107.59047, -6.878416]);
  });
});
