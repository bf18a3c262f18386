import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { removeDir } from '../helpers/temp.ts';
import { FASKES, getJson, PENDUDUK, startApiFixture, TERBATAS, type ApiFixture } from './api-v1-fixture.ts';

/**
 * The wiring of /api/v1/sql: request forms (GET, JSON POST from a script, form POST from our page) and
 * output formats. The sandbox's attack list is tested in sql-sandbox.test.ts; here only that its errors
 * come through as the API's error shape.
 */
let f: ApiFixture;

beforeAll(async () => {
  // A short time limit, so that the timeout's wiring is tested with a query that is merely big.
  f = await startApiFixture({ KOTA_SQL_TIMEOUT_MS: '1000' });
});

afterAll(async () => {
  await f?.server.stop();
  removeDir(f?.root);
});

const sqlUrl = (sql: string, extra = '') => `/api/v1/sql?sql=${encodeURIComponent(sql)}${extra}&lang=en`;
const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  f.server.get('/api/v1/sql?lang=en', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('/api/v1/sql', () => {
  test('GET runs a SELECT over a dataset table and returns typed JSON', async () => {
    const { status, body, headers } = await getJson(
      f.server,
      sqlUrl(`SELECT count(*) AS n, sum(jumlah_penduduk) AS total, max(kecamatan) AS last FROM "${PENDUDUK}"`),
    );
    expect(status).toBe(200);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    expect(body).toMatchObject({
      columns: [
        { name: 'n', type: 'BIGINT' },
        { name: 'total', type: 'HUGEINT' },
        { name: 'last', type: 'VARCHAR' },
      ],
      rows: [{ n: 25, total: expect.any(Number), last: 'Kecamatan 25' }],
      truncated: false,
      elapsed_ms: expect.any(Number),
    });
  });

  test('a JSON POST from a script (no Origin header) works, and max_rows truncates with a flag', async () => {
    const response = await post({ sql: `SELECT kecamatan FROM "${PENDUDUK}" ORDER BY kecamatan`, max_rows: 10 });
    expect(response.status).toBe(200);
    const body = JSON.parse(response.text);
    expect(body.rows).toHaveLength(10);
    expect(body.truncated).toBe(true);
    expect(body.rows[0]).toEqual({ kecamatan: 'Kecamatan 01' });
  });

  test('a form POST from our own docs page works', async () => {
    const response = await post(new URLSearchParams({ sql: `SELECT 1 AS one FROM "${FASKES}" LIMIT 1` }).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      origin: f.server.url,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text).rows).toEqual([{ one: 1 }]);
  });

  test('CSV and Arrow output', async () => {
    const csv = await f.server.get(sqlUrl(`SELECT nama, tempat_tidur FROM "${FASKES}" ORDER BY nama`, '&format=csv'));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('x-truncated')).toBe('false');
    expect(csv.text).toBe('nama,tempat_tidur\r\n"Klinik ""Sehat"", Coblong",\r\nPuskesmas Andir,10\r\nRSUD Kota,300\r\n');

    const arrow = await fetch(`${f.server.url}${sqlUrl(`SELECT nama, tempat_tidur, dibuka, tempat_tidur * 1.5 AS x FROM "${FASKES}" ORDER BY nama`, '&format=arrow')}`);
    expect(arrow.status).toBe(200);
    expect(arrow.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    expect(table.schema.fields.map((x) => `${x.name}:${x.type}`)).toEqual(['nama:Utf8', 'tempat_tidur:Int64', 'dibuka:Date32<DAY>', 'x:Float64']);
    expect(table.toArray().map((r) => r.toJSON())).toEqual([
      { nama: 'Klinik "Sehat", Coblong', tempat_tidur: null, dibuka: null, x: null },
      { nama: 'Puskesmas Andir', tempat_tidur: 10n, dibuka: Date.parse('1990-05-01'), x: 15 },
      { nama: 'RSUD Kota', tempat_tidur: 300n, dibuka: Date.parse('1975-01-20'), x: 450 },
    ]);
    const empty = await fetch(`${f.server.url}${sqlUrl(`SELECT nama FROM "${FASKES}" WHERE false`, '&format=arrow')}`);
    expect(tableFromIPC(new Uint8Array(await empty.arrayBuffer())).numRows).toBe(0);
  });

  test('the sandbox refuses with the API error shape: COPY, a hidden dataset, a file read', async () => {
    const copy = await getJson(f.server, sqlUrl(`COPY "${PENDUDUK}" TO '/tmp/x.csv'`));
    expect(copy.status).toBe(400);
    expect(copy.body.error).toMatchObject({
      status: 400,
      code: 'sql.not_select',
      message: expect.stringMatching(/^only SELECT queries are allowed/),
      problems: [{ parameter: 'sql', code: 'sql.not_select', message: expect.any(String) }],
    });
    const indonesian = await getJson(f.server, `/api/v1/sql?sql=${encodeURIComponent(`COPY "${PENDUDUK}" TO '/tmp/x.csv'`)}`);
    expect(indonesian.body.error.message).toMatch(/^hanya kueri SELECT yang diizinkan/);
    const hidden = await getJson(f.server, sqlUrl(`SELECT * FROM "${TERBATAS}"`));
    expect(hidden.status).toBe(400);
    expect(JSON.stringify(hidden.body)).not.toContain('Rahasia');
    expect((await getJson(f.server, sqlUrl(`SELECT * FROM read_csv('/etc/passwd')`))).status).toBe(400);
    const posted = await post({ sql: 'DROP TABLE x' });
    expect(posted.status).toBe(400);
    expect(JSON.parse(posted.text).error.status).toBe(400);
  });

  test('a query past the time limit is a 408 in the API error shape', async () => {
    const t = `"${PENDUDUK}"`;
    const slow = await getJson(f.server, sqlUrl(`SELECT sum(a.jumlah_penduduk * b.jumlah_penduduk + c.jumlah_penduduk - d.jumlah_penduduk) FROM ${t} a, ${t} b, ${t} c, ${t} d, ${t} e, ${t} g, ${t} h, ${t} i`));
    expect(slow.status).toBe(408);
    expect(slow.body.error).toMatchObject({ status: 408, code: 'sql.timeout', message: expect.stringMatching(/ran longer than the 1 s limit/) });
  });

  test('missing sql, a bad format, a bad body are 400 with the parameter named', async () => {
    const missing = await getJson(f.server, '/api/v1/sql?lang=en');
    expect(missing.status).toBe(400);
    expect(missing.body.error.problems).toEqual([{ parameter: 'sql', code: 'sql.required', message: expect.stringMatching(/^sql is required/) }]);
    const format = await getJson(f.server, sqlUrl('SELECT 1', '&format=xml'));
    expect(format.body.error.problems).toEqual([{ parameter: 'format', code: 'param.one_of', message: 'format must be one of json, csv, arrow, found "xml"' }]);
    const notJson = await post('{"sql": ');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.text).error.message).toMatch(/not valid JSON/);
    const array = await post(['SELECT 1']);
    expect(JSON.parse(array.text).error.message).toMatch(/must be an object/);
  });
});
