import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { readCurrentManifest } from '../../src/lib/server/lake/read.ts';
import { baseSpec, createProject } from '../helpers/pipeline-project.ts';
import { readPublished } from '../helpers/read-parquet.ts';

const fields = [
  { name: 'kecamatan', source: 'Kecamatan', type: 'string', title: 'Kecamatan', constraints: { required: true } },
  { name: 'jumlah_penduduk', source: 'Jumlah Penduduk', type: 'integer', title: 'Jumlah penduduk' },
  { name: 'luas_km2', source: 'Luas (km²)', type: 'number', title: 'Luas', unit: 'km²' },
  { name: 'catatan', source: 'Catatan', type: 'string', title: 'Catatan' },
];
const schema = { primary_key: ['kecamatan'], fields };

describe('source formats', () => {
  test('a messy CSV: Windows-1252, title row, ";" separator, decimal comma, thousands dots, quoted newline, blank line', async () => {
    const project = createProject();
    const text =
      'DATA PENDUDUK PER KECAMATAN TAHUN 2024 (contoh)\r\n' +
      'Kecamatan;Jumlah Penduduk;Luas (km²);Catatan\r\n' +
      'Andir;95.120;3,71;"baris satu\r\nbaris dua"\r\n' +
      '\r\n' +
      'Cicendo;98.765;6,86;Café\r\n' +
      'Coblong;1.234.567;7,35;-\r\n';
    project.writeFile('datasets/data.csv', iconv.encode(text, 'windows-1252'));
    project.addPipeline('uji-csv', baseSpec({ source: { path: 'datasets/data.csv', format: 'csv', skip_rows: 1 }, schema }));
    const outcome = await project.run('uji-csv');
    expect(outcome.record.error).toBeNull();
    expect(outcome.exitCode).toBe(0);
    expect(await readPublished('uji-csv')).toEqual([
      { kecamatan: 'Andir', jumlah_penduduk: '95120', luas_km2: 3.71, catatan: 'baris satu\r\nbaris dua' },
      { kecamatan: 'Cicendo', jumlah_penduduk: '98765', luas_km2: 6.86, catatan: 'Café' },
      { kecamatan: 'Coblong', jumlah_penduduk: '1234567', luas_km2: 7.35, catatan: null },
    ]);
  });

  test('a UTF-8 CSV with a BOM and "," separator keeps its first header', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', '\uFEFFKecamatan,Jumlah Penduduk,Luas (km²),Catatan\nSukajadi,"105,000",4.3,ok\n');
    project.addPipeline('uji-bom', baseSpec({ schema }));
    const outcome = await project.run('uji-bom');
    expect(outcome.record.error).toBeNull();
    expect(await readPublished('uji-bom')).toEqual([{ kecamatan: 'Sukajadi', jumlah_penduduk: '105000', luas_km2: 4.3, catatan: 'ok' }]);
  });

  test('TSV', async () => {
    const project = createProject();
    project.writeFile('datasets/data.tsv', 'Kecamatan\tJumlah Penduduk\tLuas (km²)\tCatatan\nRegol\t80000\t4.3\tx\n');
    project.addPipeline('uji-tsv', baseSpec({ source: { path: 'datasets/data.tsv', format: 'tsv' }, schema }));
    expect((await project.run('uji-tsv')).exitCode).toBe(0);
    expect(await readPublished('uji-tsv')).toEqual([{ kecamatan: 'Regol', jumlah_penduduk: '80000', luas_km2: 4.3, catatan: 'x' }]);
  });

  test('XLSX with a title row above the header, a named sheet, a formula and a date', async () => {
    const project = createProject();
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Catatan').addRow(['lembar lain']);
    const sheet = workbook.addWorksheet('Data 2024');
    sheet.addRow(['Rekap Penduduk Kota Bandung (contoh)']);
    sheet.addRow(['Kecamatan', 'Jumlah Penduduk', 'Luas (km²)', 'Catatan', 'Tanggal']);
    sheet.addRow(['Lengkong', 70000, 5.9, 'ok', new Date(Date.UTC(2024, 5, 30))]);
    sheet.addRow(['Regol', { formula: 'B3+1', result: 70001 }, 4.3, null, new Date(Date.UTC(2024, 5, 30))]);
    project.writeFile('datasets/data.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    project.addPipeline(
      'uji-xlsx',
      baseSpec({
        source: { path: 'datasets/data.xlsx', format: 'xlsx', sheet: 'Data 2024', skip_rows: 1 },
        schema: { primary_key: ['kecamatan'], fields: [...fields, { name: 'tanggal', source: 'Tanggal', type: 'date', title: 'Tanggal' }] },
      }),
    );
    const outcome = await project.run('uji-xlsx');
    expect(outcome.record.error).toBeNull();
    expect(await readPublished('uji-xlsx')).toEqual([
      { kecamatan: 'Lengkong', jumlah_penduduk: '70000', luas_km2: 5.9, catatan: 'ok', tanggal: '2024-06-30' },
      { kecamatan: 'Regol', jumlah_penduduk: '70001', luas_km2: 4.3, catatan: null, tanggal: '2024-06-30' },
    ]);
  });

  test('an XLSX sheet that does not exist is named with the sheets that do (exit 2)', async () => {
    const project = createProject();
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Data').addRow(['Kecamatan']);
    project.writeFile('datasets/data.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    project.addPipeline('uji-xlsx', baseSpec({ source: { path: 'datasets/data.xlsx', format: 'xlsx', sheet: 'Rekap' }, schema }));
    const outcome = await project.run('uji-xlsx');
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.error).toBe('source.sheet: sheet "Rekap" not found; the workbook has "Data"');
  });

  test('JSON with records under a path', async () => {
    const project = createProject();
    project.writeFile('datasets/data.json', JSON.stringify({ meta: { n: 2 }, data: { items: [{ kecamatan: 'Andir', jumlah: 5 }, { kecamatan: 'Cidadap', jumlah: 7 }] } }));
    project.addPipeline('uji-json', baseSpec({ source: { path: 'datasets/data.json', format: 'json', records_path: 'data.items' } }));
    expect((await project.run('uji-json')).exitCode).toBe(0);
    expect(await readPublished('uji-json')).toEqual([
      { kecamatan: 'Andir', jumlah: '5' },
      { kecamatan: 'Cidadap', jumlah: '7' },
    ]);
  });

  test('JSON whose records path is wrong says which key is missing', async () => {
    const project = createProject();
    project.writeFile('datasets/data.json', JSON.stringify({ data: [] }));
    project.addPipeline('uji-json', baseSpec({ source: { path: 'datasets/data.json', format: 'json', records_path: 'result.records' } }));
    const outcome = await project.run('uji-json');
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.error).toContain('"result.records" not found in the JSON document (missing key "result")');
  });

  test('NDJSON', async () => {
    const project = createProject();
    project.writeFile('datasets/data.ndjson', '{"kecamatan":"Andir","jumlah":1}\n{"kecamatan":"Cibiru","jumlah":2}\n');
    project.addPipeline('uji-ndjson', baseSpec({ source: { path: 'datasets/data.ndjson', format: 'ndjson' } }));
    expect((await project.run('uji-ndjson')).exitCode).toBe(0);
    expect((await readPublished('uji-ndjson')).map((r) => r.kecamatan)).toEqual(['Andir', 'Cibiru']);
  });

  test('GeoJSON features become rows with a geometry column holding GeoJSON', async () => {
    const project = createProject();
    const point = { type: 'Point', coordinates: [107.6098, -6.9147] };
    project.writeFile(
      'datasets/data.geojson',
      JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { nama: 'Taman Uji', kecamatan: 'Coblong' }, geometry: point }] }),
    );
    project.addPipeline(
      'uji-geo',
      baseSpec({
        data_type: 'geospasial',
        source: { path: 'datasets/data.geojson', format: 'geojson' },
        schema: {
          primary_key: ['nama'],
          fields: [
            { name: 'nama', type: 'string', title: 'Nama' },
            { name: 'kecamatan', type: 'string', title: 'Kecamatan' },
            { name: 'geometry', type: 'geometry', title: 'Lokasi' },
          ],
        },
      }),
    );
    const outcome = await project.run('uji-geo');
    expect(outcome.record.error).toBeNull();
    const [row] = await readPublished('uji-geo');
    expect(row!.nama).toBe('Taman Uji');
    expect(JSON.parse(String(row!.geometry))).toEqual(point);
  });

  test('a transform.sql reads "source" and its output is what the schema describes', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', 'kec,l,p\nAndir,10,12\nCibiru,5,6\n');
    project.addPipeline('uji-transform', baseSpec(), 'SELECT kec AS kecamatan, l + p AS jumlah FROM source ORDER BY kec;\n');
    expect((await project.run('uji-transform')).exitCode).toBe(0);
    expect(await readPublished('uji-transform')).toEqual([
      { kecamatan: 'Andir', jumlah: '22' },
      { kecamatan: 'Cibiru', jumlah: '11' },
    ]);
  });

  test('a transform.sql with two statements is refused (exit 2)', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,1\n');
    project.addPipeline('uji-transform', baseSpec(), 'SELECT * FROM source; DROP TABLE source;');
    const outcome = await project.run('uji-transform');
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.error).toContain('expected one SELECT statement');
  });

  test('the manifest carries metadata, schema, profile, checks and lineage', async () => {
    const project = createProject();
    project.writeFile('datasets/data.csv', 'kecamatan,jumlah\nAndir,10\nCibiru,30\nRegol,\n');
    project.addPipeline('uji-manifest', baseSpec({ checks: [{ type: 'row_count', min: 1 }] }));
    await project.run('uji-manifest');
    const manifest = (await readCurrentManifest('uji-manifest'))!;
    expect(manifest.metadata.title).toBe('Sampel sintetis: data uji');
    expect(manifest.metadata.synthetic).toBe(true);
    expect(manifest.data.rows).toBe(3);
    expect(manifest.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.profile.find((p) => p.name === 'jumlah')).toMatchObject({ nulls: 1, distinct: 2, min: 10, max: 30, mean: 20 });
    expect(manifest.profile.find((p) => p.name === 'kecamatan')!.top).toEqual([
      { value: 'Andir', count: 1 },
      { value: 'Cibiru', count: 1 },
      { value: 'Regol', count: 1 },
    ]);
    // The parameters travel with the result, so pages can say in words what was checked.
    expect(manifest.checks).toEqual([{ name: 'row_count:table#1', type: 'row_count', severity: 'error', status: 'pass', failures: 0, params: { min: 1 } }]);
    expect(manifest.lineage.source).toMatchObject({ location: 'datasets/data.csv', format: 'csv' });
    expect(manifest.lineage.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.lineage.spec_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.lineage.run_id).toBeTruthy();
  });
});
