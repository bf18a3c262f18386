import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeProblem, readExport } from '../../src/lib/server/community/export-read.ts';
import { exportResponse, type ExportColumn } from '../../src/lib/server/community/exports.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/**
 * The export helper: CSV read back by DuckDB and XLSX read back by Python's zipfile/XML (neither shares code with
 * the writer), localized headers, the CSV formula guard, streaming (the first bytes leave before the last row is
 * made), and readExport turning both files back into the same rows, or every problem with its line and column.
 */
interface Row {
  name: string;
  count: number | null;
  day: string | null;
  at: Date | null;
  active: boolean;
  note: string | null;
}

const columns: ExportColumn<Row>[] = [
  { key: 'name', header: { id: 'Nama inovasi', en: 'Innovation name' } },
  { key: 'count', header: { id: 'Jumlah', en: 'Count' }, type: 'number' },
  { key: 'day', header: { id: 'Tanggal', en: 'Date' }, type: 'date', value: (r) => (r.day ? new Date(`${r.day}T00:00:00Z`) : null) },
  { key: 'at', header: { id: 'Waktu', en: 'Time' }, type: 'datetime' },
  { key: 'active', header: { id: 'Aktif', en: 'Active' }, type: 'boolean' },
  { key: 'note', header: { id: 'Catatan', en: 'Note' } },
];

const rows: Row[] = [
  { name: 'Ciumbuleuit, Hegarmanah', count: 1234567.891, day: '2026-03-01', at: new Date('2026-03-01T02:30:00Z'), active: true, note: 'kata "kutip"\nbaris baru' },
  { name: '=HYPERLINK("http://evil.example","klik")', count: -5, day: null, at: null, active: false, note: '-5 bukan angka' },
  { name: "'apostrof di depan", count: 0, day: '2026-12-31', at: new Date('2026-12-31T16:59:59Z'), active: true, note: '@SUM(A1:A2)' },
  { name: 'Émile Ñandú 中文 — ✓', count: null, day: '2025-01-15', at: null, active: false, note: null },
];

let dir: string;
beforeAll(() => {
  dir = makeTempDir('kota-exports-');
});
afterAll(() => removeDir(dir));

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

describe('CSV', () => {
  test('read by DuckDB: localized headers, every value as written, formulas guarded', async () => {
    const response = exportResponse({ format: 'csv', filename: 'inovasi kota', columns, rows, locale: 'id' });
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''inovasi%20kota.csv");
    const bytes = await bytesOf(response);
    expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
    const file = path.join(dir, 'ekspor.csv');
    writeFileSync(file, bytes);
    const duck = await DuckDBInstance.create(':memory:');
    const conn = await duck.connect();
    const read = (await conn.runAndReadAll(`SELECT * FROM read_csv('${file}', header = true, all_varchar = true)`)).getRowObjectsJson();
    conn.closeSync();
    duck.closeSync();
    expect(Object.keys(read[0]!)).toEqual(['Nama inovasi', 'Jumlah', 'Tanggal', 'Waktu', 'Aktif', 'Catatan']);
    expect(read).toEqual([
      { 'Nama inovasi': 'Ciumbuleuit, Hegarmanah', Jumlah: '1234567.891', Tanggal: '2026-03-01', Waktu: '2026-03-01T02:30:00.000Z', Aktif: 'true', Catatan: 'kata "kutip"\nbaris baru' },
      { 'Nama inovasi': `'=HYPERLINK("http://evil.example","klik")`, Jumlah: '-5', Tanggal: null, Waktu: null, Aktif: 'false', Catatan: "'-5 bukan angka" },
      { 'Nama inovasi': "''apostrof di depan", Jumlah: '0', Tanggal: '2026-12-31', Waktu: '2026-12-31T16:59:59.000Z', Aktif: 'true', Catatan: "'@SUM(A1:A2)" },
      { 'Nama inovasi': 'Émile Ñandú 中文 — ✓', Jumlah: null, Tanggal: '2025-01-15', Waktu: null, Aktif: 'false', Catatan: null },
    ]);
  });

  test('headers in English for an English reader', async () => {
    const text = (await bytesOf(exportResponse({ format: 'csv', filename: 'x', columns, rows: [], locale: 'en' }))).toString('utf8');
    expect(text).toBe('\uFEFFInnovation name,Count,Date,Time,Active,Note\r\n');
  });
});

describe('XLSX', () => {
  test('read by Python\'s zipfile and XML: typed numbers and dates, text exactly as given (no guard needed)', async () => {
    const response = exportResponse({ format: 'xlsx', filename: 'inovasi', columns, rows, locale: 'en', sheetName: 'Inovasi' });
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const file = path.join(dir, 'ekspor.xlsx');
    writeFileSync(file, await bytesOf(response));
    const run = spawnSync('/usr/bin/python3', [path.resolve(import.meta.dirname, '../fixtures/read_xlsx.py'), file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const sheet = JSON.parse(run.stdout) as ({ value: string | number | boolean | null; format: string | null } | null)[][];
    expect(sheet[0]!.map((c) => c!.value)).toEqual(['Innovation name', 'Count', 'Date', 'Time', 'Active', 'Note']);
    const value = (r: number, c: number) => sheet[r]![c]?.value ?? null;
    expect(value(1, 0)).toBe('Ciumbuleuit, Hegarmanah');
    expect(value(1, 1)).toBe(1234567.891);
    // Dates are Excel serial days with a date format: 2026-03-01 is day 46082.
    expect(value(1, 2)).toBe(46082);
    expect(sheet[1]![2]!.format).toBe('yyyy-mm-dd');
    expect(Math.round(((value(1, 3) as number) - 25569) * 86_400_000)).toBe(Date.parse('2026-03-01T02:30:00Z'));
    expect(value(1, 4)).toBe(true);
    expect(value(1, 5)).toBe('kata "kutip"\nbaris baru');
    expect(value(2, 0)).toBe('=HYPERLINK("http://evil.example","klik")');
    expect(sheet[2]!.every((c) => c === null || !('f' in c))).toBe(true);
    expect(value(4, 0)).toBe('Émile Ñandú 中文 — ✓');
    expect(value(4, 1)).toBeNull();
  });
});

describe('streaming', () => {
  test.each(['csv', 'xlsx'] as const)('%s: the first bytes leave before the last row is made', async (format) => {
    const total = 20_000;
    let made = 0;
    async function* many() {
      for (let i = 0; i < total; i++) {
        made++;
        yield { name: `inovasi ${i} ${'x'.repeat(40)}`, count: i, day: '2026-01-01', at: null, active: i % 2 === 0, note: null } satisfies Row;
      }
    }
    const response = exportResponse({ format, filename: 'banyak', columns, rows: many(), locale: 'id' });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(made).toBeLessThan(total);
    let size = first.value!.byteLength;
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      size += next.value.byteLength;
    }
    expect(made).toBe(total);
    expect(size).toBeGreaterThan(50_000);
  });
});

describe('readExport: the same file back into the same rows', () => {
  const expected = rows.map((r) => ({ name: r.name, count: r.count, day: r.day, at: r.at?.toISOString() ?? null, active: r.active, note: r.note }));

  test.each(['csv', 'xlsx'] as const)('%s round trip, in either language', async (format) => {
    for (const locale of ['id', 'en'] as const) {
      const bytes = await bytesOf(exportResponse({ format, filename: 'x', columns, rows, locale }));
      const read = await readExport(bytes, format, columns);
      // each row with its spreadsheet line (the header is line 1)
      expect(read).toEqual({ ok: true, rows: expected, lines: expected.map((_, i) => i + 2) });
    }
  });

  test('every problem at once, with line and column, in the reader\'s language; no rows', async () => {
    const csv = '\uFEFFNama inovasi,Jumlah,Tanggal,Waktu,Aktif,Catatan,Kolom asing\r\nA,dua,2026-01-01,,true,,x\r\nB,3,1 Januari,,ya,,y\r\n';
    const read = await readExport(Buffer.from(csv), 'csv', columns);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems).toEqual([{ code: 'unknown_column', column: 'Kolom asing' }]);
    const bad = await readExport(Buffer.from(csv.replace(',Kolom asing', '').replace(',x\r\n', '\r\n').replace(',y\r\n', '\r\n')), 'csv', columns);
    expect(bad.ok ? [] : bad.problems.map((p) => describeProblem('id', p))).toEqual([
      'Baris 2, kolom Jumlah: diharapkan angka (misalnya 1234.5), ditemukan "dua".',
      'Baris 3, kolom Tanggal: diharapkan tanggal (TTTT-BB-HH), ditemukan "1 Januari".',
      'Baris 3, kolom Aktif: diharapkan true atau false, ditemukan "ya".',
    ]);
    const missing = await readExport(Buffer.from('Nama inovasi\r\nA\r\n'), 'csv', columns);
    expect(missing.ok ? [] : missing.problems.map((p) => describeProblem('en', p))).toContain('Column "Jumlah" is missing. Use an exported file as the template.');
    const garbage = await readExport(Buffer.from('bukan xlsx'), 'xlsx', columns);
    expect(garbage).toMatchObject({ ok: false, problems: [{ code: 'unreadable' }] });
  });
});
