import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { baseSpec, createProject, type TestProject } from '../helpers/pipeline-project.ts';
import { readPublished } from '../helpers/read-parquet.ts';

/**
 * One fixture per kind of messy OPD file (tests/fixtures/messy/), each read as it comes — the published rows,
 * read back by a separate DuckDB, are the expected rows — or refused with the exact message and exit code 2.
 * README "Publishing real files" lists the same cases.
 */
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/messy');

type Field = { name: string; type: string; title?: string; source?: string; null_values?: string[]; format?: string };

function field(name: string, type = 'string', extra: Partial<Field> = {}): Field {
  return { name, type, title: name, ...extra };
}

async function publish(fixture: string, fields: Field[], source: Record<string, unknown> = {}, project: TestProject = createProject()) {
  project.writeFile(`datasets/${fixture}`, readFileSync(path.join(FIXTURES, fixture)));
  project.addPipeline('uji-berkas', baseSpec({ source: { path: `datasets/${fixture}`, format: 'csv', ...source }, schema: { fields } }));
  const outcome = await project.run('uji-berkas', { force: true });
  return { project, outcome, rows: outcome.exitCode === 0 ? await readPublished('uji-berkas') : [] };
}

const notices = (outcome: { record: { notices?: { code: string }[] } }) => (outcome.record.notices ?? []).map((n) => n.code);

describe('messy CSV files are read as they come', () => {
  test('CRLF on the first 200 lines and LF after (a file appended to by another tool)', async () => {
    const { outcome, rows } = await publish('mixed-line-endings.csv', [field('tanggal', 'date'), field('komoditas'), field('harga', 'integer')]);
    expect(outcome.record.error).toBeNull();
    expect(outcome.exitCode).toBe(0);
    expect(rows).toHaveLength(299);
    expect(rows[0]).toEqual({ tanggal: '2025-01-01', komoditas: 'Cabai merah', harga: '10025' });
    expect(rows[198]).toEqual({ tanggal: '2025-08-03', komoditas: 'Cabai merah', harga: '14975' });
    expect(rows[199]).toEqual({ tanggal: '2025-08-04', komoditas: 'Bawang merah', harga: '15000' });
    expect(rows[298]).toEqual({ tanggal: '2025-11-19', komoditas: 'Bawang merah', harga: '17475' });
    expect(notices(outcome)).toContain('source.notice.mixed_newlines');
  });

  test('a delimiter at the end of every line', async () => {
    const { outcome, rows } = await publish('trailing-delimiter.csv', [field('kecamatan'), field('jumlah', 'integer')]);
    expect(outcome.exitCode).toBe(0);
    expect(rows).toEqual([
      { kecamatan: 'Andir', jumlah: '95120' },
      { kecamatan: 'Coblong', jumlah: '113456' },
    ]);
    expect(notices(outcome)).toContain('source.notice.trailing_delimiter');
  });

  test('a row with too few values is padded with empty cells, and the run says which line', async () => {
    const { outcome, rows } = await publish('ragged-short.csv', [field('kecamatan'), field('jumlah', 'integer'), field('catatan')]);
    expect(outcome.exitCode).toBe(0);
    expect(rows).toEqual([
      { kecamatan: 'Andir', jumlah: '95120', catatan: 'ok' },
      { kecamatan: 'Coblong', jumlah: '113456', catatan: null },
      { kecamatan: 'Regol', jumlah: '80000', catatan: null },
    ]);
    expect(outcome.record.notices).toContainEqual({ code: 'source.notice.padded', params: { lines: '3', count: 1, width: 3 } });
  });

  test('rows with too many values stop the run, naming the lines and source.extra_fields', async () => {
    const { outcome } = await publish('ragged-long.csv', [field('kecamatan'), field('jumlah', 'integer'), field('catatan')]);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.error).toBe(
      'source: 2 row(s) have more values than the 3 columns of the header (lines 3, 5); fix those lines, or set source.extra_fields: ignore to drop the extra values',
    );
  });

  test('… and with extra_fields: ignore they are published without the extra values', async () => {
    const { outcome, rows } = await publish('ragged-long.csv', [field('kecamatan'), field('jumlah', 'integer'), field('catatan')], { extra_fields: 'ignore' });
    expect(outcome.exitCode).toBe(0);
    expect(rows.map((r) => r.kecamatan)).toEqual(['Andir', 'Coblong', 'Regol', 'Sukajadi']);
    expect(rows[1]).toEqual({ kecamatan: 'Coblong', jumlah: '113456', catatan: 'ok' });
    expect(notices(outcome)).toContain('source.notice.extra_ignored');
  });

  test('repeated and blank header names get names of their own (Jumlah_2, kolom_4)', async () => {
    const fields = [field('kecamatan', 'string', { source: 'Kecamatan' }), field('laki', 'integer', { source: 'Jumlah' }), field('perempuan', 'integer', { source: 'Jumlah_2' }), field('kode', 'string', { source: 'kolom_4' })];
    const { outcome, rows } = await publish('duplicate-blank-headers.csv', fields);
    expect(outcome.record.error).toBeNull();
    expect(rows).toEqual([
      { kecamatan: 'Andir', laki: '10', perempuan: '11', kode: 'x' },
      { kecamatan: 'Coblong', laki: '20', perempuan: '21', kode: 'y' },
    ]);
    expect(notices(outcome)).toContain('source.notice.renamed');
  });

  test('title rows above the header and notes below the data are found without skip_rows', async () => {
    const fields = [field('no', 'integer', { source: 'No' }), field('kecamatan', 'string', { source: 'Kecamatan' }), field('laki_laki', 'integer', { source: 'Laki-laki' }), field('perempuan', 'integer', { source: 'Perempuan' })];
    const { outcome, rows } = await publish('title-and-notes.csv', fields);
    expect(outcome.record.error).toBeNull();
    expect(rows).toEqual([
      { no: '1', kecamatan: 'Andir', laki_laki: '48210', perempuan: '47905' },
      { no: '2', kecamatan: 'Coblong', laki_laki: '56001', perempuan: '57455' },
    ]);
    expect(notices(outcome)).toEqual(expect.arrayContaining(['source.notice.header_row', 'source.notice.footer']));
  });

  test("Excel's sep=; first line sets the delimiter (and the decimal comma with it)", async () => {
    const { outcome, rows } = await publish('excel-sep-line.csv', [field('kecamatan'), field('luas_km2', 'number')]);
    expect(outcome.exitCode).toBe(0);
    expect(rows).toEqual([
      { kecamatan: 'Andir', luas_km2: 3.71 },
      { kecamatan: 'Coblong', luas_km2: 7.35 },
    ]);
  });

  test('numbers with Rp, %, spaces, no-break spaces and thousands separators', async () => {
    const { outcome, rows } = await publish('numbers.csv', [field('item'), field('harga', 'number'), field('persen', 'number'), field('jumlah', 'integer')], { decimal: ',' });
    expect(outcome.record.error).toBeNull();
    expect(outcome.record.report).toEqual([]);
    expect(rows).toEqual([
      { item: 'a', harga: 12500, persen: 12.5, jumlah: '1234' },
      { item: 'b', harga: 12000, persen: 7, jumlah: '1500' },
      { item: 'c', harga: 1250000.5, persen: 100, jumlah: '2500' },
      { item: 'd', harga: 15000, persen: 0, jumlah: '0' },
    ]);
  });

  test('dates day-first, with times, unpadded, and with Indonesian or English month names', async () => {
    const { outcome, rows } = await publish('dates.csv', [field('kejadian'), field('tanggal', 'date')]);
    expect(outcome.record.report).toEqual([]);
    expect(rows.map((r) => r.tanggal)).toEqual(['2025-09-13', '2025-09-13', '2025-09-03', '2025-09-13', '2025-09-13', '2025-09-01', '2025-08-17', '2025-12-25', '2026-01-02']);
  });

  test('-, —, n/a and "tidak ada data" (in any case) are missing', async () => {
    const { outcome, rows } = await publish('missing-values.csv', [field('kecamatan'), field('jumlah', 'integer'), field('catatan')]);
    expect(outcome.record.report).toEqual([]);
    expect(rows).toEqual([
      { kecamatan: 'Andir', jumlah: null, catatan: 'ada' },
      { kecamatan: 'Coblong', jumlah: null, catatan: null },
      { kecamatan: 'Regol', jumlah: null, catatan: null },
      { kecamatan: 'Sukajadi', jumlah: '5', catatan: null },
    ]);
  });

  test('a field with its own null_values: 0 is missing for the price, a real zero for the stock', async () => {
    const fields = [field('komoditas'), field('harga', 'integer', { null_values: ['0', '-'] }), field('stok', 'integer')];
    const { outcome, rows } = await publish('per-field-nulls.csv', fields);
    expect(outcome.record.report).toEqual([]);
    expect(rows).toEqual([
      { komoditas: 'Beras', harga: '12000', stok: '0' },
      { komoditas: 'Cabai', harga: null, stok: '15' },
      { komoditas: 'Bawang', harga: null, stok: null },
    ]);
  });

  test('the field list replaces the source list for that field: "-" stays an error there', async () => {
    const fields = [field('komoditas'), field('harga', 'integer', { null_values: ['0'] }), field('stok', 'integer')];
    const { outcome } = await publish('per-field-nulls.csv', fields);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.record.report).toEqual([
      { rule: 'type', column: 'harga', severity: 'error', count: 1, examples: [{ rule: 'type', column: 'harga', row: 3, expected: 'integer', found: '-', message: 'value does not fit the field type' }] },
    ]);
  });
});

describe('encodings (issue 8, finding 9)', () => {
  test('a UTF-8 file with one Windows-1252 line is refused, naming the line and source.encoding', async () => {
    const { outcome } = await publish('mixed-encoding.csv', [field('nama'), field('kota')]);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.error).toBe(
      'source: mixed encodings: this file is UTF-8, but 1 line(s) are not valid UTF-8 (lines 3); not published, so that text like "Café" does not become "CafÃ©". Fix those lines, or set source.encoding: mixed (each line read as UTF-8 when valid, otherwise as Windows-1252) or source.encoding: windows-1252 (the whole file)',
    );
  });

  test('the CLI says it in Indonesian by default', async () => {
    const project = createProject();
    project.writeFile('datasets/mixed-encoding.csv', readFileSync(path.join(FIXTURES, 'mixed-encoding.csv')));
    project.addPipeline('uji-berkas', baseSpec({ source: { path: 'datasets/mixed-encoding.csv', format: 'csv' }, schema: { fields: [field('nama'), field('kota')] } }));
    const cli = await project.cli(['run', 'uji-berkas'], { KOTA_LOCALE: '' });
    expect(cli.code).toBe(2);
    expect(cli.stdout).toContain('source: pengodean campuran: berkas ini UTF-8, tetapi 1 baris bukan UTF-8 yang sah (baris 3)');
    expect(cli.stdout).toContain('source.encoding: mixed');
  });

  test('with encoding: mixed every line is decoded on its own, and nothing becomes CafÃ©', async () => {
    const { outcome, rows } = await publish('mixed-encoding.csv', [field('nama'), field('kota')], { encoding: 'mixed' });
    expect(outcome.exitCode).toBe(0);
    expect(rows.map((r) => r.nama)).toEqual(['Kopi Café Braga', 'Warung Kopi Café Dago', 'Toko Roti Jalan Riau']);
  });

  test('declared utf-8 with a Windows-1252 line names the line too', async () => {
    const { outcome } = await publish('mixed-encoding.csv', [field('nama'), field('kota')], { encoding: 'utf-8' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.problem).toEqual({ code: 'source.encoding.invalid_utf8', params: { lines: '3', count: 1 } });
  });

  test('UTF-16 with a byte-order mark is read', async () => {
    const { outcome, rows } = await publish('utf16-bom.csv', [field('nama'), field('kota')]);
    expect(outcome.exitCode).toBe(0);
    expect(rows).toEqual([{ nama: 'Café Braga', kota: 'Bandung' }]);
  });

  test('UTF-16 without a byte-order mark gets a message naming source.encoding', async () => {
    const { outcome } = await publish('utf16-no-bom.csv', [field('nama'), field('kota')]);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.record.error).toBe(
      'source: the file looks like UTF-16 without a byte-order mark (every second byte is 0); set source.encoding: utf-16le in pipeline.yaml',
    );
    const fixed = await publish('utf16-no-bom.csv', [field('nama'), field('kota')], { encoding: 'utf-16le' });
    expect(fixed.rows).toEqual([{ nama: 'Café Braga', kota: 'Bandung' }]);
  });
});
