import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { removeDir } from '../helpers/temp.ts';
import { FASKES, getJson, PENDUDUK, PENDUDUK_ROWS, startApiFixture, TERBATAS, type ApiFixture } from './api-v1-fixture.ts';

/** GET /api/v1/datasets/<id>/facets on the real server: the JSON a client gets, and the errors it can act on. */
let fx: ApiFixture;

beforeAll(async () => {
  fx = await startApiFixture({ KOTA_TABLE_CACHE_MIN_ROWS: '0' });
});

afterAll(async () => {
  await fx?.server.stop();
  removeDir(fx?.root);
});

describe('facets API', () => {
  test('top values with counts, and a histogram, under the filters; the total is exact', async () => {
    const { status, body, headers } = await getJson(fx.server, `/api/v1/datasets/${FASKES}/facets?_facet=jenis&_facet=tempat_tidur&tempat_tidur__gte=10`);
    expect(status).toBe(200);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    expect(body.total).toBe(2);
    expect(body.facets[0]).toEqual({ column: 'jenis', kind: 'values', truncated: false, values: [{ value: 'puskesmas', count: 1 }, { value: 'rumah sakit', count: 1 }] });
    const histogram = body.facets[1];
    expect(histogram).toMatchObject({ column: 'tempat_tidur', kind: 'histogram', unit: null });
    expect(histogram.bins.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(2);
    // Bins of a nice width (20) from a multiple of it, over the filtered range 10–300.
    expect(histogram.bins[0]).toEqual({ from: '0', to: '20', count: 1 });
    expect(histogram.bins.at(-1)).toEqual({ from: '300', to: '320', count: 1 });
  });

  test('missing values are a value of their own (null), and dates get calendar bins', async () => {
    const { body } = await getJson(fx.server, `/api/v1/datasets/${FASKES}/facets?_facet=tempat_tidur&_facet=dibuka&_facet=nama`);
    expect(body.facets[2].values).toHaveLength(3);
    const dates = body.facets[1];
    expect(dates).toMatchObject({ kind: 'histogram', unit: 'year' });
    expect(dates.bins[0]).toEqual({ from: '1975-01-01', to: '1976-01-01', count: 1 });
    expect(dates.bins.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(2);
  });

  test('without _facet: the suggested facets, and the list of suggestions', async () => {
    const { body } = await getJson(fx.server, `/api/v1/datasets/${FASKES}/facets`);
    expect(body.suggested).toContain('jenis');
    expect(body.facets.map((f: { column: string }) => f.column)).toEqual(body.suggested.slice(0, 3));
  });

  test('a pinned version, and counts that match the rows of that version', async () => {
    const { body } = await getJson(fx.server, `/api/v1/datasets/${PENDUDUK}/facets?_facet=jumlah_penduduk&version=${fx.v2.version}`);
    expect(body.version).toBe(fx.v2.version);
    expect(body.total).toBe(PENDUDUK_ROWS.length);
    const counted = body.facets[0].bins.reduce((n: number, b: { count: number }) => n + b.count, 0);
    expect(counted).toBe(PENDUDUK_ROWS.filter((r) => r.jumlah_penduduk !== null).length);
  });

  test('bad requests name the parameter and what was wrong', async () => {
    const unknown = await getJson(fx.server, `/api/v1/datasets/${FASKES}/facets?_facet=warna&tempat_tidur__gte=banyak`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.problems).toEqual([
      { parameter: 'tempat_tidur__gte', code: 'filter.expected_integer', message: 'kolom "tempat_tidur" bertipe integer: diharapkan bilangan bulat, ditemukan "banyak"' },
      { parameter: '_facet', code: 'facet.unknown', message: 'tidak bisa membuat faset menurut "warna"; kolom yang ada: nama, jenis, tempat_tidur, dibuka' },
    ]);
    const english = await getJson(fx.server, `/api/v1/datasets/${FASKES}/facets?_facet=warna&lang=en`);
    expect(english.body.error.problems).toEqual([{ parameter: '_facet', code: 'facet.unknown', message: 'cannot facet by "warna"; columns are: nama, jenis, tempat_tidur, dibuka' }]);
    const many = await getJson(fx.server, `/api/v1/datasets/${FASKES}/facets?${['nama', 'jenis', 'tempat_tidur', 'dibuka', 'nama'].map((c) => `_facet=${c}`).join('&')}`);
    expect(many.status).toBe(200);
    expect((await getJson(fx.server, `/api/v1/datasets/${FASKES}/facets?_facet=nama&_facet=jenis&_facet=tempat_tidur&_facet=dibuka&_facet=x1&_facet=x2`)).status).toBe(400);
  });

  test('a terbatas or unknown dataset is a 404 for the public', async () => {
    expect((await getJson(fx.server, `/api/v1/datasets/${TERBATAS}/facets?_facet=kecamatan`)).status).toBe(404);
    expect((await getJson(fx.server, `/api/v1/datasets/tidak-ada/facets`)).status).toBe(404);
  });

  test('the server filled its native table cache (every current version, terbatas too) and says so in /health', async () => {
    await expect
      .poll(async () => (await getJson(fx.server, '/api/v1/health')).body.table_cache, { timeout: 20_000 })
      .toMatchObject({ enabled: true, loading: false, tables: 3 });
  });
});
