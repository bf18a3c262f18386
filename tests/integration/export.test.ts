import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, test } from 'vitest';
import { readCurrent } from '../../src/lib/server/lake/read.ts';
import { exportResponse, parseRange, pickEncoding, type ExportFormat } from '../../src/lib/server/export/index.ts';
import { parseRowQuery } from '../../src/lib/server/query/filters.ts';
import type { RowSource } from '../../src/lib/server/query/rows.ts';
import { baseSpec, createProject } from '../helpers/pipeline-project.ts';
import { readPublished } from '../helpers/read-parquet.ts';

const fields = [
  { name: 'kecamatan', type: 'string', title: 'Kecamatan' },
  { name: 'jumlah', type: 'integer', title: 'Jumlah' },
  { name: 'rasio', type: 'number', title: 'Rasio' },
  { name: 'aktif', type: 'boolean', title: 'Aktif' },
  { name: 'tanggal', type: 'date', title: 'Tanggal' },
  { name: 'waktu', type: 'datetime', title: 'Waktu' },
];
let source: RowSource & { title: string };
let published: Record<string, unknown>[];

beforeAll(async () => {
  const project = createProject();
  const lines = ['kecamatan,jumlah,rasio,aktif,tanggal,waktu'];
  for (let i = 0; i < 40; i++) {
    lines.push(`${i % 3 === 0 ? 'Andir' : '"Café ""Kota"", Bandung"'},${i === 5 ? '' : i * 1000},${(i / 3).toFixed(3)},${i % 2 === 0},2024-02-${String(1 + (i % 28)).padStart(2, '0')},2024-02-01 0${i % 10}:30:00`);
  }
  project.writeFile('datasets/data.csv', lines.join('\n'));
  project.addPipeline('uji-unduh', baseSpec({ schema: { primary_key: [], fields } }));
  expect((await project.run('uji-unduh')).exitCode).toBe(0);
  source = { dataset: 'uji-unduh', version: (await readCurrent('uji-unduh'))!.version, fields: fields as RowSource['fields'], title: 'Uji unduh' };
  published = await readPublished('uji-unduh');
});

function query(qs = '') {
  return parseRowQuery(new URLSearchParams(qs), source.fields).query;
}

async function download(format: ExportFormat, qs = '', headers: Record<string, string> = {}) {
  const response = await exportResponse(new Request(`http://test/x.${format}?${qs}`, { headers }), source, query(qs), format);
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

async function viaDuckDb(sql: string, file: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql.replace('$file', `'${file}'`))).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

function tmpFile(name: string, body: Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kota-dl-')), name);
  writeFileSync(file, body);
  return file;
}

const asText = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)])));

describe('downloads read back by independent readers equal the published rows', () => {
  test('Parquet (read by DuckDB) is the published file itself', async () => {
    const { response, body } = await download('parquet');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="uji-unduh-${source.version}.parquet"`);
    expect(await viaDuckDb('SELECT * FROM read_parquet($file)', tmpFile('d.parquet', body))).toEqual(published);
  });

  test('CSV (read by csv-parse)', async () => {
    const { response, body } = await download('csv');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = parseCsv(body, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(40);
    // Text as a CSV reader sees it; numbers compared as numbers ("1.0" and 1 are the same value).
    const normalize = (r: Record<string, unknown>) => ({ ...r, rasio: Number(r.rasio), jumlah: r.jumlah === '' || r.jumlah === null ? null : Number(r.jumlah), aktif: String(r.aktif), waktu: String(r.waktu) });
    expect(rows.map(normalize)).toEqual(published.map(normalize));
  });

  test('JSON and NDJSON', async () => {
    const json = JSON.parse((await download('json')).body.toString()) as Record<string, unknown>[];
    expect(json).toHaveLength(40);
    expect(json[1]).toEqual({ kecamatan: 'Café "Kota", Bandung', jumlah: 1000, rasio: 0.333, aktif: false, tanggal: '2024-02-02', waktu: '2024-02-01 01:30:00' });
    const nd = (await download('ndjson')).body.toString().trim().split('\n').map((l) => JSON.parse(l));
    expect(nd).toEqual(json);
  });

  test('Arrow IPC stream (read by apache-arrow) keeps types', async () => {
    const { response, body } = await download('arrow');
    expect(response.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(body);
    expect(table.numRows).toBe(40);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'kecamatan:Utf8',
      'jumlah:Int64',
      'rasio:Float64',
      'aktif:Bool',
      'tanggal:Date32<DAY>',
      'waktu:Timestamp<MICROSECOND>',
    ]);
    const row5 = table.get(5)!.toJSON();
    expect(row5.jumlah).toBeNull();
    expect(row5.kecamatan).toBe('Café "Kota", Bandung');
    expect(table.getChild('jumlah')!.get(3)).toBe(3000n);
    expect(new Date(table.getChild('tanggal')!.get(1) as number).toISOString().slice(0, 10)).toBe('2024-02-02');
  });

  test('XLSX (read by exceljs)', async () => {
    const { body } = await download('xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'kecamatan', 'jumlah', 'rasio', 'aktif', 'tanggal', 'waktu']);
    expect(sheet.rowCount).toBe(41);
    expect(sheet.getRow(3).getCell(1).value).toBe('Café "Kota", Bandung');
    expect(sheet.getRow(3).getCell(2).value).toBe(1000);
  });

  test.each(['csv', 'json', 'ndjson', 'parquet', 'arrow', 'xlsx'] as const)('filters and sort apply to %s downloads', async (format) => {
    const qs = 'kecamatan=Andir&jumlah__gte=9000&_sort=-jumlah';
    const { response, body } = await download(format, qs);
    expect(response.headers.get('content-disposition')).toContain('-filtered.');
    let jumlah: number[];
    if (format === 'csv') jumlah = (parseCsv(body, { columns: true }) as { jumlah: string }[]).map((r) => Number(r.jumlah));
    else if (format === 'json') jumlah = (JSON.parse(body.toString()) as { jumlah: number }[]).map((r) => r.jumlah);
    else if (format === 'ndjson') jumlah = body.toString().trim().split('\n').map((l) => JSON.parse(l).jumlah);
    else if (format === 'parquet') jumlah = (await viaDuckDb('SELECT jumlah FROM read_parquet($file)', tmpFile('f.parquet', body))).map((r) => Number(r.jumlah));
    else if (format === 'arrow') jumlah = [...tableFromIPC(body).getChild('jumlah')!].map(Number);
    else {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
      jumlah = workbook.worksheets[0]!.getSheetValues().slice(2).map((r) => Number((r as unknown[])[2]));
    }
    expect(jumlah).toEqual([39000, 36000, 33000, 30000, 27000, 24000, 21000, 18000, 15000, 12000, 9000]);
  });

  test('an Arrow download that matches no rows still carries the schema, and a narrowed one only its fields', async () => {
    const empty = tableFromIPC((await download('arrow', 'kecamatan=Tidak%20Ada')).body);
    expect(empty.numRows).toBe(0);
    expect(empty.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['kecamatan:Utf8', 'jumlah:Int64', 'rasio:Float64', 'aktif:Bool', 'tanggal:Date32<DAY>', 'waktu:Timestamp<MICROSECOND>']);
    const narrowed = tableFromIPC((await download('arrow', 'fields=tanggal,jumlah&_sort=jumlah')).body);
    expect(narrowed.schema.fields.map((f) => f.name)).toEqual(['tanggal', 'jumlah']);
    expect(narrowed.numRows).toBe(40);
  });
});

describe('HTTP semantics of downloads', () => {
  test('a cold CSV download streams while DuckDB writes it, and equals the cached file served later', async () => {
    const fresh = { ...source, version: source.version };
    const first = await exportResponse(new Request('http://test/x.ndjson'), fresh, query(''), 'ndjson');
    const firstBody = Buffer.from(await first.arrayBuffer());
    const second = await exportResponse(new Request('http://test/x.ndjson'), fresh, query(''), 'ndjson');
    expect(second.headers.get('content-length')).toBe(String(firstBody.length));
    expect(Buffer.from(await second.arrayBuffer()).equals(firstBody)).toBe(true);
    expect(firstBody.toString().trim().split('\n')).toHaveLength(40);
  });

  test('ETag from the version; If-None-Match answers 304', async () => {
    const first = await download('csv');
    const etag = first.response.headers.get('etag')!;
    expect(etag).toBe(`"${source.version}.csv"`);
    const again = await download('csv', '', { 'if-none-match': etag });
    expect(again.response.status).toBe(304);
    expect(again.body).toHaveLength(0);
    const filtered = await download('csv', 'kecamatan=Andir');
    expect(filtered.response.headers.get('etag')).not.toBe(etag);
  });

  test('Range requests on whole-version files', async () => {
    const full = (await download('csv')).body;
    const part = await download('csv', '', { range: 'bytes=10-29' });
    expect(part.response.status).toBe(206);
    expect(part.response.headers.get('content-range')).toBe(`bytes 10-29/${full.length}`);
    expect(part.body.equals(full.subarray(10, 30))).toBe(true);
    const tail = await download('parquet', '', { range: 'bytes=-8' });
    expect(tail.response.status).toBe(206);
    expect(tail.body.subarray(4).toString()).toBe('PAR1');
    const beyond = await download('csv', '', { range: `bytes=${full.length + 10}-` });
    expect(beyond.response.status).toBe(416);
  });

  test('gzip and br for text formats when asked', async () => {
    const plain = (await download('csv')).body;
    // No compressed copy of the whole version yet: the plain file at once (never slower than asking for nothing),
    // and the copy is written in the background.
    const first = await download('csv', '', { 'accept-encoding': 'br' });
    expect(first.response.headers.get('content-encoding')).toBeNull();
    expect(first.body.equals(plain)).toBe(true);
    await expect.poll(async () => (await download('csv', '', { 'accept-encoding': 'br' })).response.headers.get('content-encoding'), { timeout: 5000 }).toBe('br');
    const br = await download('csv', '', { 'accept-encoding': 'br' });
    expect(brotliDecompressSync(br.body).equals(plain)).toBe(true);
    const gzFirst = await download('csv', '', { 'accept-encoding': 'gzip' });
    await expect.poll(async () => (await download('csv', '', { 'accept-encoding': 'gzip' })).response.headers.get('content-encoding'), { timeout: 5000 }).toBe('gzip');
    const gz = await download('csv', '', { 'accept-encoding': 'gzip' });
    expect([gzFirst.body.equals(plain) || gunzipSync(gzFirst.body).equals(plain), gunzipSync(gz.body).equals(plain)]).toEqual([true, true]);
    // A cached compressed copy is served as a file with a length and ranges; br is preferred when both exist.
    const cached = await download('csv', '', { 'accept-encoding': 'gzip, deflate, br' });
    expect(cached.response.headers.get('content-encoding')).toBe('br');
    expect(Number(cached.response.headers.get('content-length'))).toBe(cached.body.length);
    expect(brotliDecompressSync(cached.body).equals(plain)).toBe(true);
    const filtered = await download('json', 'kecamatan=Andir', { 'accept-encoding': 'gzip, br' });
    expect(filtered.response.headers.get('content-encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(filtered.body).toString())).toHaveLength(14);
    const parquet = await download('parquet', '', { 'accept-encoding': 'gzip' });
    expect(parquet.response.headers.get('content-encoding')).toBeNull();
  });

  test('pure helpers', () => {
    expect(pickEncoding('gzip;q=0, br;q=0')).toBeNull();
    expect(pickEncoding('gzip, br;q=0')).toBe('gzip');
    expect(pickEncoding('br')).toBe('br');
    expect(pickEncoding('gzip, deflate, br')).toBe('gzip');
    expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseRange('items=0-1', 10)).toBeNull();
  });
});
