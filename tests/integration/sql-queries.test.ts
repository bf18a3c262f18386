import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse as parseCsv } from 'csv-parse/sync';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { REPO_ROOT } from '../helpers/server.ts';
import { makeTempDir, removeDir, waitFor } from '../helpers/temp.ts';
import { getJson, PENDUDUK, startApiFixture, type ApiFixture } from './api-v1-fixture.ts';

/**
 * Issue 10's SQL part: the whole result of an accepted query as a file (equal to the query run directly on the lake
 * files), and saved queries from the deployment config and from a dataset, with typed, bound parameters, a page and
 * an API URL each.
 */
let f: ApiFixture;
let configDir: string;

const PORTAL_QUERY = `
queries:
  - name: penduduk-terbanyak
    title: Kecamatan dengan penduduk terbanyak
    title_en: Most populous districts
    description: Kecamatan dengan jumlah penduduk paling sedikit sebanyak batas yang dipilih.
    sql: |
      SELECT kecamatan, jumlah_penduduk FROM "penduduk-kecamatan"
      WHERE jumlah_penduduk >= $minimum OR kecamatan = $nama
      ORDER BY jumlah_penduduk DESC, kecamatan
    params:
      - { name: minimum, type: integer, title: Jumlah paling sedikit, default: 20000 }
      - { name: nama, type: string, title: Atau kecamatan bernama }
`;

beforeAll(async () => {
  configDir = makeTempDir('kota-queries-config-');
  const config = path.join(configDir, 'kota.config.yaml');
  // The repository's config with its own saved queries replaced by this test's.
  const repoConfig = readFileSync(path.join(REPO_ROOT, 'kota.config.yaml'), 'utf8');
  writeFileSync(config, repoConfig.slice(0, repoConfig.search(/^queries:/m)) + PORTAL_QUERY);
  f = await startApiFixture({ KOTA_CONFIG: config, AUTH_RATE_LIMIT_SCALE: '0.01' });
  await publishTestVersion(path.join(f.root, 'data'), {
    id: 'sekolah',
    fields: PENDUDUK_FIELDS,
    rows: [{ kecamatan: 'Andir', jumlah_penduduk: 12 }, { kecamatan: 'Coblong', jumlah_penduduk: 30 }],
    metadata: {
      title: 'Sekolah per Kecamatan',
      queries: [
        {
          name: 'sejak-tanggal',
          title: 'Sekolah dengan jumlah di atas batas',
          description: 'Baris dengan jumlah di atas batas, per kecamatan.',
          sql: 'SELECT kecamatan, jumlah_penduduk AS jumlah FROM sekolah WHERE jumlah_penduduk > $batas AND $tanggal <= DATE \'2030-01-01\'',
          params: [
            { name: 'batas', type: 'integer', title: 'Batas' },
            { name: 'tanggal', type: 'date', title: 'Tanggal', default: '2026-01-01' },
          ],
        },
      ],
    },
  });
  // The catalog picks the new dataset up within a sync (2 s).
  await waitFor(async () => (await getJson(f.server, '/api/v1/queries')).body.queries.length === 2, { timeoutMs: 10_000, what: 'the dataset\'s saved query' });
});

afterAll(async () => {
  await f?.server.stop();
  removeDir(f?.root);
  removeDir(configDir);
});

const lakeFile = (id: string, version: string) => path.join(f.root, 'data', 'lake', id, version, 'data.parquet');

/** The same SQL run by DuckDB itself over the lake file: what a download must equal. */
async function direct(sql: string): Promise<string[][]> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(`CREATE VIEW "${PENDUDUK}" AS SELECT * FROM read_parquet('${lakeFile(PENDUDUK, f.v2.version)}')`);
  const rows = (await conn.runAndReadAll(sql)).getRows().map((row) => row.map((v) => (v === null ? '' : String(v))));
  conn.closeSync();
  return rows;
}

describe('the whole result of a query as a file', () => {
  const t = `"${PENDUDUK}"`;
  const big = `SELECT a.kecamatan AS a, b.kecamatan AS b, c.jumlah_penduduk AS j FROM ${t} a, ${t} b, ${t} c ORDER BY 1, 2, 3`;

  test('CSV: every row (15,625, past the 10,000-row cap of /api/v1/sql), equal to DuckDB run directly', async () => {
    const capped = await getJson(f.server, `/api/v1/sql?sql=${encodeURIComponent(big)}&max_rows=10000`);
    expect(capped.body.truncated).toBe(true);
    const response = await fetch(`${f.server.url}/api/v1/sql/download.csv?sql=${encodeURIComponent(big)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="hasil-kueri.csv"');
    expect(response.headers.get('x-rows')).toBe('15625');
    const [header, ...rows] = parseCsv(await response.text()) as string[][];
    expect(header).toEqual(['a', 'b', 'j']);
    expect(rows).toEqual(await direct(big));
  });

  test('Parquet and JSON (POST, for long queries) hold the same rows', async () => {
    const parquet = await fetch(`${f.server.url}/api/v1/sql/download.parquet`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: big }) });
    expect(parquet.status).toBe(200);
    const file = path.join(configDir, 'hasil.parquet');
    writeFileSync(file, Buffer.from(await parquet.arrayBuffer()));
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const fromFile = (await conn.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRows().map((row) => row.map((v) => (v === null ? '' : String(v))));
    conn.closeSync();
    expect(fromFile).toEqual(await direct(big));
    const json = await fetch(`${f.server.url}/api/v1/sql/download.json?sql=${encodeURIComponent(`SELECT kecamatan FROM ${t} ORDER BY 1 LIMIT 2`)}`);
    expect(await json.json()).toEqual([{ kecamatan: 'Kecamatan 01' }, { kecamatan: 'Kecamatan 02' }]);
  });

  test('the same walls stand in front of a download; no file is left behind', async () => {
    const refused = await getJson(f.server, `/api/v1/sql/download.csv?lang=en&sql=${encodeURIComponent('WITH pg_settings AS (SELECT * FROM pg_settings) SELECT * FROM pg_settings')}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'sql.unknown_table', message: expect.stringMatching(/unknown table "pg_settings"/) });
    expect((await getJson(f.server, `/api/v1/sql/download.xlsx?sql=${encodeURIComponent('SELECT 1')}&lang=en`)).body.error.problems[0]).toMatchObject({ parameter: 'format', code: 'param.one_of' });
    const { readdirSync } = await import('node:fs');
    const leftovers = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? leftovers(path.join(dir, e.name)) : [e.name]));
    expect(leftovers(path.join(f.root, 'data', 'tmp', 'sql'))).toEqual([]);
  });
});

describe('saved queries', () => {
  test('are listed with their parameters and links', async () => {
    const { body } = await getJson(f.server, '/api/v1/queries');
    expect(body.queries.map((q: any) => [q.dataset, q.name])).toEqual([
      [null, 'penduduk-terbanyak'],
      ['sekolah', 'sejak-tanggal'],
    ]);
    expect(body.queries[0]).toMatchObject({
      title_en: 'Most populous districts',
      params: [
        { name: 'minimum', type: 'integer', default: '20000' },
        { name: 'nama', type: 'string', default: null },
      ],
      links: { self: `${f.server.url}/api/v1/queries/penduduk-terbanyak`, html: `${f.server.url}/sql/penduduk-terbanyak` },
    });
    expect(body.queries[1].links.self).toBe(`${f.server.url}/api/v1/datasets/sekolah/queries/sejak-tanggal`);
  });

  test('run with their parameters bound: defaults apply, values are data, never SQL', async () => {
    const run = async (qs: string) => (await getJson(f.server, `/api/v1/queries/penduduk-terbanyak?${qs}`)).body;
    const all = await direct(`SELECT kecamatan FROM "${PENDUDUK}" WHERE jumlah_penduduk >= 20000 OR kecamatan = 'Kecamatan 02' ORDER BY jumlah_penduduk DESC, kecamatan`);
    expect((await run('nama=Kecamatan 02')).rows.map((r: any) => r.kecamatan)).toEqual(all.map((r) => r[0]));
    expect((await run('minimum=24000&nama=x')).rows).toEqual([{ kecamatan: 'Kecamatan 08', jumlah_penduduk: 24007 }]);
    expect((await run(`minimum=999999&nama=${encodeURIComponent("x' OR '1'='1")}`)).rows).toEqual([]);
    expect((await run(`minimum=999999&nama=${encodeURIComponent('Kecamatan 01')}`)).rows).toEqual([{ kecamatan: 'Kecamatan 01', jumlah_penduduk: 0 }]);
    const posted = await fetch(`${f.server.url}/api/v1/queries/penduduk-terbanyak`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ minimum: 24000, nama: 'x', format: 'csv' }) });
    expect(await posted.text()).toBe('kecamatan,jumlah_penduduk\r\nKecamatan 08,24007\r\n');
  });

  test('a wrong or missing parameter is a 400 naming it, in the reader\'s language', async () => {
    const wrong = await getJson(f.server, '/api/v1/queries/penduduk-terbanyak?minimum=banyak&nama=x&lang=en');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'sql.param_type', message: 'the parameter "minimum" must be integer, found "banyak"', problems: [{ parameter: 'minimum' }] });
    const missing = await getJson(f.server, '/api/v1/queries/penduduk-terbanyak');
    expect(missing.body.error).toMatchObject({ code: 'sql.param_missing', message: 'parameter "nama" wajib diisi' });
    const date = await getJson(f.server, '/api/v1/datasets/sekolah/queries/sejak-tanggal?batas=1&tanggal=2024-02-30&lang=en');
    expect(date.body.error.message).toBe('the parameter "tanggal" must be date, found "2024-02-30"');
    expect((await getJson(f.server, '/api/v1/queries/tidak-ada')).status).toBe(404);
  });

  test('a dataset\'s own query runs over it, and downloads whole', async () => {
    const { body } = await getJson(f.server, '/api/v1/datasets/sekolah/queries/sejak-tanggal?batas=20');
    expect(body.rows, JSON.stringify(body)).toEqual([{ kecamatan: 'Coblong', jumlah: 30 }]);
    const csv = await fetch(`${f.server.url}/api/v1/datasets/sekolah/queries/sejak-tanggal/download.csv?batas=0`);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="sejak-tanggal.csv"');
    expect(await csv.text()).toBe('kecamatan,jumlah\nAndir,12\nCoblong,30\n');
  });

  test('each has a page, shareable by URL, with a form for its parameters and the result', async () => {
    const page = await f.server.get('/sql/penduduk-terbanyak?minimum=24000&nama=x&lang=en');
    expect(page.status).toBe(200);
    const { document } = parseHTML(page.text);
    expect(document.querySelector('h1')?.textContent).toBe('Most populous districts');
    expect(document.querySelector('input[name="minimum"]')?.getAttribute('value')).toBe('24000');
    expect([...document.querySelectorAll('main tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))).toEqual([['Kecamatan 08', '24007']]);
    expect(document.querySelector('a[href$="/download.parquet?minimum=24000&nama=x"]')).not.toBeNull();
    const bad = await f.server.get('/sql/penduduk-terbanyak?minimum=banyak&nama=x');
    expect(bad.status).toBe(400);
    expect(parseHTML(bad.text).document.querySelector('[role="alert"]')?.textContent).toContain('parameter "minimum" harus integer, ditemukan "banyak"');
    expect((await f.server.get('/datasets/sekolah/queries/sejak-tanggal?batas=20')).text).toContain('Coblong');
    expect((await f.server.get('/sql/tidak-ada')).status).toBe(404);
    // The SQL page lists them.
    const sql = parseHTML((await f.server.get('/sql')).text).document;
    expect([...sql.querySelectorAll('.saved a')].map((a) => a.getAttribute('href'))).toEqual(['/sql/penduduk-terbanyak', '/datasets/sekolah/queries/sejak-tanggal']);
  });
});
