import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { removeDir } from '../helpers/temp.ts';
import { ckanGet, ckanPost, faskesRows, startCkanFixture, type CkanFixture } from './ckan-fixture.ts';

/**
 * datastore_search and datastore_search_sql against the real server: fields with CKAN type names, filters,
 * q, sort, offset paging with total and _links.next, records formats, and the resource id of every format.
 */
let f: CkanFixture;
let resourceIds: string[];
const ROWS = faskesRows();

beforeAll(async () => {
  f = await startCkanFixture();
  resourceIds = (await ckanPost(f.server, 'package_show', { id: 'fasilitas-kesehatan' })).body.result.resources.map((r: any) => r.id);
});

afterAll(async () => {
  await f?.server.stop();
  removeDir(f?.root);
});

async function search(params: Record<string, unknown>) {
  const response = await ckanPost(f.server, 'datastore_search', { resource_id: resourceIds[0], ...params });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.body.success).toBe(true);
  return response.body.result;
}

describe('datastore_search', () => {
  test('defaults: 100 records of 250, fields with CKAN types, _id, total and _links', async () => {
    const result = await search({});
    expect(result.fields).toEqual([
      { id: '_id', type: 'int' },
      expect.objectContaining({ id: 'nama', type: 'text', info: expect.objectContaining({ label: 'Nama fasilitas' }) }),
      expect.objectContaining({ id: 'kecamatan', type: 'text' }),
      expect.objectContaining({ id: 'kapasitas', type: 'int' }),
      expect.objectContaining({ id: 'rasio', type: 'numeric' }),
      expect.objectContaining({ id: 'aktif', type: 'bool' }),
      expect.objectContaining({ id: 'dibuka', type: 'date' }),
      expect.objectContaining({ id: 'diperbarui', type: 'timestamp' }),
    ]);
    expect(result.total).toBe(250);
    expect(result.total_was_estimated).toBe(false);
    expect(result.limit).toBe(100);
    expect(result.records).toHaveLength(100);
    expect(result.records[1]).toEqual({ _id: 2, ...ROWS[1], diperbarui: '2026-01-02T08:30:00' });
    expect(result.records[0].diperbarui).toBeNull();
    expect(result._links.start).toBe(`/api/3/action/datastore_search?resource_id=${resourceIds[0]}`);
    expect(result._links.next).toBe(`/api/3/action/datastore_search?offset=100&resource_id=${resourceIds[0]}`);
  });

  test('following _links.next with GET walks every row once, then an empty page', async () => {
    let link = `/api/3/action/datastore_search?resource_id=${resourceIds[0]}&limit=60&sort=${encodeURIComponent('kapasitas desc')}`;
    const seen: number[] = [];
    for (let pages = 0; pages < 10; pages++) {
      const response = await f.server.get(link);
      const result = JSON.parse(response.text).result;
      expect(result.total).toBe(250);
      if (result.records.length === 0) break;
      seen.push(...result.records.map((r: any) => r._id));
      link = result._links.next;
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
  });

  test('any of the six resource ids (and the alias) reads the same table', async () => {
    for (const id of [...resourceIds, 'fasilitas-kesehatan.xlsx']) {
      const { body } = await ckanGet(f.server, 'datastore_search', { resource_id: id, limit: '1' });
      expect(body.result.records[0].nama).toBe('Faskes 001');
      expect(body.result.total).toBe(250);
    }
  });

  test('filters as a JSON object: one value, a list of values, typed values', async () => {
    const andir = await search({ filters: { kecamatan: 'Andir' }, limit: 1000 });
    expect(andir.total).toBe(50);
    expect(andir.records.every((r: any) => r.kecamatan === 'Andir')).toBe(true);
    expect(andir.filters).toEqual({ kecamatan: 'Andir' });
    const two = await search({ filters: { kecamatan: ['Andir', 'Coblong'], aktif: true } });
    expect(two.total).toBe(ROWS.filter((r) => ['Andir', 'Coblong'].includes(r.kecamatan as string) && r.aktif).length);
    const byNumber = await ckanGet(f.server, 'datastore_search', { resource_id: resourceIds[0], filters: JSON.stringify({ kapasitas: 7 }) });
    expect(byNumber.body.result.records.map((r: any) => r.nama)).toEqual(ROWS.filter((r) => r.kapasitas === 7).map((r) => r.nama));
    expect(byNumber.body.result.total).toBeGreaterThan(1);
  });

  test('q searches text columns; q as an object searches one column', async () => {
    expect((await search({ q: 'faskes 12' })).total).toBe(ROWS.filter((r) => String(r.nama).toLowerCase().includes('faskes 12')).length);
    expect((await search({ q: { kecamatan: 'jad' } })).total).toBe(50);
  });

  test('sort on one or more columns, offset paging, fields, include_total false', async () => {
    const sorted = await search({ sort: 'rasio desc, nama asc', limit: 3, offset: 2, fields: 'nama,rasio' });
    const expected = [...ROWS].sort((a, b) => (b.rasio as number) - (a.rasio as number) || String(a.nama).localeCompare(String(b.nama))).slice(2, 5);
    expect(sorted.records).toEqual(expected.map((r) => ({ nama: r.nama, rasio: r.rasio })));
    expect(sorted.fields.map((x: any) => x.id)).toEqual(['nama', 'rasio']);
    const noTotal = await search({ include_total: false, limit: 1 });
    expect(noTotal).not.toHaveProperty('total');
    expect(noTotal.records).toHaveLength(1);
  });

  test('records_format lists, csv and tsv', async () => {
    const lists = await search({ records_format: 'lists', limit: 2, fields: ['_id', 'nama', 'kapasitas'] });
    expect(lists.records).toEqual([[1, 'Faskes 001', 0], [2, 'Faskes 002', 7]]);
    const csv = await search({ records_format: 'csv', limit: 2, fields: 'nama,kecamatan' });
    expect(csv.records).toBe('Faskes 001,Andir\nFaskes 002,Coblong\n');
    const tsv = await search({ records_format: 'tsv', limit: 1, fields: 'nama,kapasitas' });
    expect(tsv.records).toBe('Faskes 001\t0\n');
  });

  test.each([
    [{ filters: { tidak_ada: 1 } }, 'filters', /unknown field/],
    [{ filters: { kapasitas: 'banyak' } }, 'filters', /whole number/],
    [{ filters: '{not json' }, 'filters', /JSON/],
    [{ filters: { dibuka: '2024-02-30' } }, 'filters', /Conversion Error|date/],
    [{ sort: 'tidak_ada desc' }, 'sort', /cannot sort/],
    [{ fields: 'nama,zzz' }, 'fields', /zzz/],
    [{ limit: 'many' }, 'limit', /Invalid integer/],
    [{ records_format: 'xml' }, 'records_format', /objects/],
  ])('%j is 409 Validation Error on %s', async (params, field, message) => {
    const response = await ckanPost(f.server, 'datastore_search', { resource_id: resourceIds[0], ...params });
    expect(response.status).toBe(409);
    expect(response.body.error.__type).toBe('Validation Error');
    expect(response.body.error[field]).toBeDefined();
    expect(response.body.error.message).toMatch(message);
  });

  test('missing resource_id is 409; unknown and terbatas resources are the same 404', async () => {
    expect((await ckanPost(f.server, 'datastore_search', {})).status).toBe(409);
    const unknown = await ckanPost(f.server, 'datastore_search', { resource_id: 'tidak-ada.csv' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.__type).toBe('Not Found Error');
    const restricted = await ckanPost(f.server, 'datastore_search', { resource_id: 'data-terbatas.csv' });
    expect(restricted.status).toBe(404);
    expect(restricted.body.error.__type).toBe('Not Found Error');
    expect(JSON.stringify(restricted.body)).not.toContain('Rahasia');
  });
});

describe('datastore_search_sql', () => {
  test('tables can be named by resource id or by dataset id', async () => {
    const sql = `SELECT kecamatan, count(*) AS n, sum(kapasitas) AS kapasitas FROM "${resourceIds[2]}" GROUP BY kecamatan ORDER BY kecamatan`;
    const { status, body } = await ckanGet(f.server, 'datastore_search_sql', { sql });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.result.sql).toBe(sql);
    expect(body.result.fields).toEqual([
      { id: 'kecamatan', type: 'text' },
      { id: 'n', type: 'int' },
      { id: 'kapasitas', type: 'int' },
    ]);
    expect(body.result.records[0]).toEqual({ kecamatan: 'Andir', n: 50, kapasitas: expect.any(Number) });
    const byDataset = await ckanPost(f.server, 'datastore_search_sql', { sql: 'SELECT count(*) AS n FROM "penduduk-kecamatan"' });
    expect(byDataset.body.result.records).toEqual([{ n: 3 }]);
  });

  test('what the sandbox refuses is 409 Validation Error with the reason under query', async () => {
    for (const sql of ["SELECT * FROM read_csv('/etc/passwd')", 'DROP VIEW "penduduk-kecamatan"', 'SELECT * FROM "data-terbatas"']) {
      const response = await ckanPost(f.server, 'datastore_search_sql', { sql });
      expect(response.status, sql).toBe(409);
      expect(response.body.error.__type).toBe('Validation Error');
      expect(response.body.error.query[0]).toMatch(/^(table functions such as read_csv|only SELECT queries are allowed|unknown table "data-terbatas")/);
    }
    expect((await ckanPost(f.server, 'datastore_search_sql', {})).status).toBe(409);
  });
});
