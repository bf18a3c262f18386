import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runPipeline } from '../../src/lib/server/pipelines/runner.ts';
import { publishTestVersion } from '../helpers/lake.ts';
import { REPO_ROOT } from '../helpers/pipeline-project.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/**
 * Maps on the real server, from the repository's real pipelines: the population per kelurahan joined on the
 * Kemendagri code to the 151 published kelurahan boundaries, a kecamatan choropleth, a geometry dataset's own
 * features, and a dataset whose codes do not all match.
 */
let root: string;
let server: TestServer;

beforeAll(async () => {
  root = makeTempDir('kota-maps-');
  const dataDir = path.join(root, 'data');
  Object.assign(process.env, { KOTA_ROOT: REPO_ROOT, DATA_DIR: dataDir, PIPELINES_DIR: 'pipelines', KOTA_CONFIG: 'kota.config.yaml' });
  for (const id of ['batas-kelurahan', 'batas-kecamatan', 'penduduk-kelurahan', 'kepadatan-penduduk-kecamatan']) {
    expect((await runPipeline(id)).exitCode).toBe(0);
  }
  await publishTestVersion(dataDir, {
    id: 'uji-kode-wilayah',
    fields: [
      { name: 'kode_kelurahan', type: 'string', title: 'Kode kelurahan' },
      { name: 'jumlah', type: 'integer', title: 'Jumlah' },
    ],
    rows: [
      { kode_kelurahan: '32.73.01.1001', jumlah: 5 },
      { kode_kelurahan: '32.73.99.9999', jumlah: 7 },
      { kode_kelurahan: '32.73.99.9999', jumlah: 1 },
      { kode_kelurahan: 'Sukarasa', jumlah: 2 },
    ],
    metadata: { title: 'Sampel sintetis: kode wilayah uji', region: { field: 'kode_kelurahan', level: 'kelurahan', map: { title: 'Jumlah per kelurahan', value: 'jumlah', filter: {} } } },
  });
  server = await startTestServer({ dataDir, env: { KOTA_ROOT: REPO_ROOT, PIPELINES_DIR: path.join(REPO_ROOT, 'pipelines') } });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

/** The <title> of every area drawn in the map's SVG, in document order. */
function areaTitles(html: string): string[] {
  const figure = /<figure class="map"[\s\S]*?<\/figure>/.exec(html)?.[0] ?? '';
  const svg = /<svg[\s\S]*<\/svg>/.exec(figure)?.[0] ?? '';
  return [...svg.matchAll(/<path[^>]*>\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]!);
}

describe('maps', () => {
  test('population per kelurahan: 151 areas, each titled with its name, code and value (semester 1 2024)', async () => {
    const page = await server.get('/datasets/penduduk-kelurahan');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Jumlah penduduk per kelurahan, semester 1 2024');
    const titles = areaTitles(page.text);
    expect(titles).toHaveLength(151);
    // Sums of the LAKI-LAKI and PEREMPUAN rows for tahun 2024, semester 1 in datasets/penduduk-kelurahan/jumlah_penduduk.csv.
    expect(titles).toContain('Gegerkalong (32.73.01.1002): 23.663');
    expect(titles).toContain('Braga (32.73.19.1001): 6.275');
    expect(titles).toContain('Cisaranten Kidul (32.73.27.1002): 21.724');
    expect(page.text).toContain('151 dari 151 wilayah memiliki nilai');
    expect(page.text).not.toContain('tidak cocok dengan batas wilayah');
  });

  test('the same values are in the table under the map, and in English with ?lang=en', async () => {
    const page = await server.get('/datasets/penduduk-kelurahan?lang=en');
    expect(page.text).toContain('Population per kelurahan, first half of 2024');
    expect(page.text).toContain('Values per area (table)');
    expect(page.text).toMatch(/<td[^>]*>32\.73\.01\.1002<\/td>\s*<td[^>]*>Gegerkalong<\/td>\s*<td class="num"[^>]*>23,663<\/td>/);
    expect(areaTitles(page.text)).toContain('Gegerkalong (32.73.01.1002): 23,663');
  });

  test('a kecamatan dataset maps its 30 districts; a legend is drawn', async () => {
    const page = await server.get('/datasets/kepadatan-penduduk-kecamatan');
    const titles = areaTitles(page.text);
    expect(titles).toHaveLength(30);
    expect(titles).toContain('Andir (32.73.05): 26.760');
    expect(page.text).toMatch(/<svg[^>]*role="img"/);
  });

  test('a boundary dataset maps its own features', async () => {
    const page = await server.get('/datasets/batas-kecamatan');
    expect((page.text.match(/<title>[^<]*<\/title>/g) ?? []).filter((t) => /32\.73\.\d\d|Sukasari|Coblong/.test(t)).length).toBeGreaterThanOrEqual(30);
  });

  test('codes that match no boundary are counted and named', async () => {
    const page = await server.get('/datasets/uji-kode-wilayah');
    expect(page.text).toContain('3 baris tidak cocok dengan batas wilayah mana pun dan tidak tampil di peta (kode: 32.73.99.9999, Sukarasa)');
    expect(areaTitles(page.text)).toContain('Sukarasa (32.73.01.1001): 5');
  });

  test('the chart builder draws the map with the value and filters chosen (mark=map)', async () => {
    const builder = await server.get('/datasets/penduduk-kelurahan/chart?mark=map&y=jumlah_penduduk&tahun=2024&semester=1&jenis_kelamin=PEREMPUAN');
    expect(builder.status).toBe(200);
    expect(builder.text).toContain('<option value="map" selected');
    const titles = areaTitles(builder.text);
    expect(titles).toHaveLength(151);
    // PEREMPUAN, 2024 semester 1: 32.73.22.1001 has no such row in the source, so it is drawn grey.
    expect(titles.find((t) => t.includes('(32.73.22.1001)'))).toMatch(/tidak ada data$/);
    const bad = await server.get('/datasets/penduduk-kelurahan/chart?mark=map&y=jenis_kelamin');
    expect(bad.text).toContain('Nilai pada peta harus kolom angka; &quot;jenis_kelamin&quot; bukan kolom angka.');
  });
});
