import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import path from 'node:path';
import { publishTestVersion } from '../helpers/lake.ts';
import { removeDir, waitFor } from '../helpers/temp.ts';
import { FASKES, FASKES_FIELDS, getJson, PENDUDUK, PENDUDUK_ROWS, startApiFixture, TERBATAS, type ApiFixture } from './api-v1-fixture.ts';

/** Contract tests of the native API against the real built server: shapes, status codes, messages. */
let f: ApiFixture;

beforeAll(async () => {
  f = await startApiFixture();
});

afterAll(async () => {
  await f?.server.stop();
  removeDir(f?.root);
});

/** Messages are checked in English (the `lang` cookie); the Indonesian default is tested on its own below. */
const api = (pathname: string, init?: RequestInit) => getJson(f.server, `/api/v1${pathname}`, { ...init, headers: { cookie: 'lang=en', ...init?.headers } });

function expectError(response: { status: number; body: any }, status: number, message: RegExp) {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({ error: expect.objectContaining({ status, code: expect.stringMatching(/^[a-z_.]+$/), message: expect.stringMatching(message) }) });
}

describe('GET /api/v1/datasets', () => {
  test('lists the public datasets with links, facets and CORS; never the terbatas one', async () => {
    const { status, body, headers } = await api('/datasets');
    expect(status).toBe(200);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body.total).toBe(2);
    expect(body.results.map((d: any) => d.id).sort()).toEqual([FASKES, PENDUDUK]);
    const penduduk = body.results.find((d: any) => d.id === PENDUDUK);
    expect(penduduk).toMatchObject({
      title: 'Jumlah Penduduk per Kecamatan',
      title_en: 'Population by District',
      organization: { code: 'disdukcapil', name: 'Dinas Kependudukan dan Pencatatan Sipil' },
      version: f.v2.version,
      rows: 25,
      synthetic: true,
      quality: { score: expect.any(Number), max: expect.any(Number) },
    });
    expect(penduduk.links.rows).toBe(`${f.server.url}/api/v1/datasets/${PENDUDUK}/rows`);
    expect(penduduk.links.downloads.csv).toBe(`${f.server.url}/api/v1/datasets/${PENDUDUK}/download.csv`);
    expect(body.facets.organization).toEqual(expect.arrayContaining([{ value: 'dinkes', count: 1 }, { value: 'disdukcapil', count: 1 }]));
    expect(JSON.stringify(body)).not.toContain(TERBATAS);
    expect(JSON.stringify(body)).not.toContain('rahasia');
  });

  test('finds a dataset by a partial word and filters by facet', async () => {
    expect((await api('/datasets?q=pendudu')).body.results.map((d: any) => d.id)).toEqual([PENDUDUK]);
    expect((await api('/datasets?q=rahasia')).body.total).toBe(0);
    const byOpd = await api('/datasets?organization=dinkes');
    expect(byOpd.body.results.map((d: any) => d.id)).toEqual([FASKES]);
    const either = await api('/datasets?topic=kesehatan&topic=kependudukan');
    expect(either.body.total).toBe(2);
    expect((await api('/datasets?tag=puskesmas&license=CC0-1.0')).body.total).toBe(1);
    expect((await api('/datasets?license=ODbL-1.0')).body.total).toBe(0);
  });

  test('pages with per_page and links to the next and previous page', async () => {
    const first = await api('/datasets?sort=name&per_page=1');
    expect(first.body).toMatchObject({ total: 2, page: 1, per_page: 1, prev: null });
    expect(first.body.results).toHaveLength(1);
    expect(first.body.next).toBe(`${f.server.url}/api/v1/datasets?sort=name&per_page=1&page=2`);
    const second = await getJson(f.server, first.body.next.slice(f.server.url.length));
    expect(second.body.results).toHaveLength(1);
    expect(second.body.next).toBeNull();
    expect(second.body.prev).toContain('page=1');
    expect([first.body.results[0].id, second.body.results[0].id].sort()).toEqual([FASKES, PENDUDUK]);
    const updated = await api('/datasets?sort=updated');
    expect(updated.body.results.map((d: any) => d.id)).toEqual([FASKES, PENDUDUK]);
  });

  test('bad parameters are a 400 that names each one', async () => {
    const bad = await api('/datasets?sort=popular&per_page=500&colour=red');
    expectError(bad, 400, /3 problems/);
    expect(bad.body.error.code).toBe('invalid_parameters');
    expect(bad.body.error.problems).toEqual([
      { parameter: 'sort', code: 'param.one_of', message: 'sort must be one of relevance, updated, name, downloads, found "popular"' },
      { parameter: 'per_page', code: 'param.out_of_range', message: 'per_page must be between 1 and 100, found 500' },
      { parameter: 'colour', code: 'param.unknown', message: expect.stringMatching(/^unknown parameter "colour"; expected one of q, sort, page, per_page/) },
    ]);
    expect(bad.headers.get('cache-control')).toBe('no-store');
  });
});

describe('GET /api/v1/datasets/<id>', () => {
  test('returns metadata, schema, profile, checks, quality, versions and links', async () => {
    const { status, body } = await api(`/datasets/${PENDUDUK}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: PENDUDUK,
      version: f.v2.version,
      title: 'Jumlah Penduduk per Kecamatan',
      organization: { code: 'disdukcapil', name_en: 'Population and Civil Registration Agency' },
      license: 'CC-BY-4.0',
      update_frequency: 'tahunan',
      classification: 'terbuka',
      spatial_coverage: { name: 'Kota Bandung', region_code: '3273' },
      rows: 25,
      schema: { fields: [{ name: 'kecamatan', type: 'string' }, { name: 'jumlah_penduduk', type: 'integer', unit: 'jiwa' }], primary_key: [] },
      quality: { score: expect.any(Number), max: 9 },
    });
    expect(body.profile.find((p: any) => p.name === 'jumlah_penduduk')).toMatchObject({ nulls: 4, distinct: 21 });
    expect(body.versions.map((v: any) => [v.version, v.rows, v.current])).toEqual([
      [f.v2.version, 25, true],
      [f.v1.version, 3, false],
    ]);
    expect(body.versions[1].links.rows).toBe(`${f.server.url}/api/v1/datasets/${PENDUDUK}/versions/${f.v1.version}/rows`);
    expect(body.links.html).toBe(`${f.server.url}/datasets/${PENDUDUK}`);
  });

  test('unknown and terbatas datasets are the same 404', async () => {
    expectError(await api('/datasets/tidak-ada'), 404, /^no public dataset "tidak-ada"; GET \/api\/v1\/datasets lists them$/);
    const hidden = await api(`/datasets/${TERBATAS}`);
    expectError(hidden, 404, /no public dataset "data-terbatas"/);
    expect(hidden.headers.get('access-control-allow-origin')).toBe('*');
  });

  test('answers 304 to a matching If-None-Match', async () => {
    const first = await api(`/datasets/${PENDUDUK}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await f.server.get(`/api/v1/datasets/${PENDUDUK}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });
});

describe('GET /api/v1/datasets/<id>/rows', () => {
  test('the first page: columns with types, 100 rows by default, exact total', async () => {
    const { status, body, headers } = await api(`/datasets/${PENDUDUK}/rows`);
    expect(status).toBe(200);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    expect(body).toMatchObject({
      dataset: PENDUDUK,
      version: f.v2.version,
      columns: [{ name: 'kecamatan', type: 'string' }, { name: 'jumlah_penduduk', type: 'integer' }],
      total: 25,
      next: null,
    });
    expect(body.rows).toEqual(PENDUDUK_ROWS);
  });

  test('a page of rows or facets is sent whole, with its length in bytes', async () => {
    // Rows and facets are written in one piece (src/server/api-first.ts); the length counts bytes, not characters.
    for (const path of [`/datasets/${PENDUDUK}/rows?kecamatan=Bandung%20Kulon`, `/datasets/${PENDUDUK}/facets?_facet=kecamatan`, `/datasets/${PENDUDUK}/rows?limit=x`]) {
      const response = await fetch(`${f.server.url}/api/v1${path}`, { headers: { cookie: 'lang=en' } });
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(response.headers.get('content-length'), path).toBe(String(bytes.length));
      expect(response.headers.get('transfer-encoding'), path).toBeNull();
      expect(JSON.parse(bytes.toString('utf8')), path).toBeTypeOf('object');
    }
  });

  test('following next until null visits every row once, for every sort', async () => {
    for (const sort of ['', '&_sort=jumlah_penduduk', '&_sort=-jumlah_penduduk', '&sort=-kecamatan']) {
      const all = (await api(`/datasets/${PENDUDUK}/rows?limit=1000${sort}`)).body.rows;
      const seen: unknown[] = [];
      let next: string | null = `${f.server.url}/api/v1/datasets/${PENDUDUK}/rows?limit=7${sort}`;
      let pages = 0;
      while (next) {
        expect(next.startsWith(`${f.server.url}/api/v1/datasets/${PENDUDUK}/rows?`)).toBe(true);
        const page = await getJson(f.server, next.slice(f.server.url.length));
        expect(page.status).toBe(200);
        expect(page.body.total).toBe(25);
        seen.push(...page.body.rows);
        next = page.body.next;
        pages++;
      }
      expect(pages).toBe(4);
      expect(seen).toEqual(all);
      expect(all).toHaveLength(25);
    }
    const desc = (await api(`/datasets/${PENDUDUK}/rows?_sort=-jumlah_penduduk&limit=1000`)).body.rows;
    expect(desc[0].jumlah_penduduk).toBe(24007);
    expect(desc.slice(-4).map((r: any) => r.jumlah_penduduk)).toEqual([null, null, null, null]);
  });

  test('filters, text search and fields; the next link keeps them', async () => {
    const ranged = await api(`/datasets/${PENDUDUK}/rows?jumlah_penduduk__gte=10000&jumlah_penduduk__lt=20000&fields=jumlah_penduduk&limit=2`);
    const expected = PENDUDUK_ROWS.filter((r) => r.jumlah_penduduk !== null && r.jumlah_penduduk >= 10000 && r.jumlah_penduduk < 20000);
    expect(ranged.body.total).toBe(expected.length);
    expect(ranged.body.columns).toEqual([{ name: 'jumlah_penduduk', type: 'integer' }]);
    expect(ranged.body.rows).toEqual(expected.slice(0, 2).map((r) => ({ jumlah_penduduk: r.jumlah_penduduk })));
    const next = new URL(ranged.body.next);
    expect(Object.fromEntries(next.searchParams)).toMatchObject({ jumlah_penduduk__gte: '10000', jumlah_penduduk__lt: '20000', fields: 'jumlah_penduduk', limit: '2' });

    expect((await api(`/datasets/${PENDUDUK}/rows?kecamatan=Kecamatan%2003`)).body.rows).toEqual([PENDUDUK_ROWS[2]]);
    expect((await api(`/datasets/${PENDUDUK}/rows?kecamatan__in=Kecamatan%2001,Kecamatan%2002`)).body.total).toBe(2);
    expect((await api(`/datasets/${PENDUDUK}/rows?jumlah_penduduk__isnull=1`)).body.total).toBe(4);
    expect((await api(`/datasets/${PENDUDUK}/rows?q=matan%202`)).body.total).toBe(6);
    expect((await api(`/datasets/${FASKES}/rows?dibuka__lt=1980-01-01`)).body.rows).toEqual([
      { nama: 'RSUD Kota', jenis: 'rumah sakit', tempat_tidur: 300, dibuka: '1975-01-20' },
    ]);
  });

  test('bad parameters are a 400 with one problem per parameter', async () => {
    const bad = await api(`/datasets/${PENDUDUK}/rows?jumlah_penduduk__gte=banyak&warna=biru&_sort=zzz&limit=5000`);
    expectError(bad, 400, /4 problems/);
    expect(bad.body.error.problems).toEqual([
      { parameter: 'jumlah_penduduk__gte', code: 'filter.expected_integer', message: 'column "jumlah_penduduk" is integer: expected a whole number, found "banyak"' },
      { parameter: 'warna', code: 'filter.unknown_column', message: 'unknown column "warna"; columns are: kecamatan, jumlah_penduduk' },
      { parameter: '_sort', code: 'filter.unknown_sort', message: 'cannot sort by unknown column "zzz"' },
      { parameter: 'limit', code: 'param.out_of_range', message: 'limit must be between 1 and 1000, found 5000' },
    ]);
    expectError(await api(`/datasets/${PENDUDUK}/rows?next=garbage`), 400, /not a cursor this API issued/);
    const first = await api(`/datasets/${PENDUDUK}/rows?limit=2&_sort=kecamatan`);
    const cursor = new URL(first.body.next).searchParams.get('next')!;
    const reused = await api(`/datasets/${PENDUDUK}/rows?limit=2&_sort=-kecamatan&next=${cursor}`);
    expectError(reused, 400, /made for another sort order/);
    expect(reused.body.error.problems[0].parameter).toBe('next');
    expectError(await api(`/datasets/${PENDUDUK}/rows?limit=ten`), 400, /limit must be a whole number/);
    // `fields=,` named no column: was a 500 from DuckDB.
    const noFields = await api(`/datasets/${PENDUDUK}/rows?fields=,`);
    expectError(noFields, 400, /fields names no column/);
    expect(noFields.body.error.problems[0]).toMatchObject({ parameter: 'fields', code: 'filter.no_fields' });
  });

  test('an older version by ?version= or by path; unknown versions and datasets are 404', async () => {
    const byParam = await api(`/datasets/${PENDUDUK}/rows?version=${f.v1.version}`);
    expect(byParam.body).toMatchObject({ version: f.v1.version, total: 3 });
    expect(byParam.body.rows.map((r: any) => r.kecamatan)).toEqual(['Andir', 'Coblong', 'Cidadap']);
    const byPath = await api(`/datasets/${PENDUDUK}/versions/${f.v1.version}/rows?_sort=-jumlah_penduduk&limit=1`);
    expect(byPath.body.rows).toEqual([{ kecamatan: 'Coblong', jumlah_penduduk: 113456 }]);
    expect(byPath.body.next).toMatch(new RegExp(`/api/v1/datasets/${PENDUDUK}/versions/${f.v1.version}/rows\\?`));
    expect(byPath.headers.get('cache-control')).toBe('public, max-age=86400');
    expectError(await api(`/datasets/${PENDUDUK}/versions/0000000000000000/rows`), 404, /with a published version "0000000000000000"/);
    expectError(await api(`/datasets/${PENDUDUK}/rows?version=..%2F..%2Fetc`), 404, /published version/);
    expectError(await api(`/datasets/${TERBATAS}/rows`), 404, /no public dataset "data-terbatas"/);
    expectError(await api('/datasets/tidak-ada/rows'), 404, /no public dataset/);
  });
});

describe('GET /api/v1/organizations and /topics', () => {
  test('every OPD of the deployment with its public dataset count', async () => {
    const { status, body, headers } = await api('/organizations');
    expect(status).toBe(200);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    const byCode = Object.fromEntries(body.organizations.map((o: any) => [o.code, o]));
    expect(byCode.disdukcapil).toMatchObject({ name: 'Dinas Kependudukan dan Pencatatan Sipil', datasets: 1 });
    expect(byCode.dinkes).toMatchObject({ name: 'Dinas Kesehatan', name_en: 'Health Agency', datasets: 1 });
    expect(byCode.diskominfo.datasets).toBe(0);
    expect(byCode.dinkes.links.datasets).toBe(`${f.server.url}/api/v1/datasets?organization=dinkes`);
    expect(body.organizations.reduce((n: number, o: any) => n + o.datasets, 0)).toBe(2);
  });

  test('topics in use by public datasets, with counts', async () => {
    const { body } = await api('/topics');
    expect(body.topics.map((t: any) => [t.topic, t.datasets]).sort()).toEqual([
      ['kependudukan', 1],
      ['kesehatan', 1],
    ]);
  });
});

describe('downloads', () => {
  test('the current version as CSV, filtered and sorted like the rows API, and counted', async () => {
    const whole = await f.server.get(`/api/v1/datasets/${PENDUDUK}/download.csv`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(whole.headers.get('content-disposition')).toContain(`${PENDUDUK}-${f.v2.version}.csv`);
    expect(whole.text.trim().split(/\r?\n/)).toHaveLength(26);
    const filtered = await f.server.get(`/api/v1/datasets/${PENDUDUK}/download.csv?jumlah_penduduk__gte=20000&_sort=-jumlah_penduduk`);
    expect(filtered.status).toBe(200);
    const expected = PENDUDUK_ROWS.filter((r) => (r.jumlah_penduduk ?? 0) >= 20000).sort((a, b) => b.jumlah_penduduk! - a.jumlah_penduduk!);
    expect(filtered.text.trim().split(/\r?\n/)).toEqual(['kecamatan,jumlah_penduduk', ...expected.map((r) => `${r.kecamatan},${r.jumlah_penduduk}`)]);
    // A HEAD or a 304 revalidation downloads nothing, so neither is counted.
    const head = await fetch(`${f.server.url}/api/v1/datasets/${PENDUDUK}/download.csv`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const etag = whole.headers.get('etag')!;
    const revalidated = await f.server.get(`/api/v1/datasets/${PENDUDUK}/download.csv`, { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
    expect(whole.headers.get('access-control-expose-headers')).toContain('Content-Disposition');
    const listed = await api(`/datasets?sort=downloads`);
    expect(listed.body.results[0]).toMatchObject({ id: PENDUDUK, downloads: 2 });
  });

  test('an older version by path; every format answers', async () => {
    const old = await f.server.get(`/api/v1/datasets/${PENDUDUK}/versions/${f.v1.version}/download.ndjson`);
    expect(old.status).toBe(200);
    expect(old.text.trim().split('\n').map((l) => JSON.parse(l).kecamatan)).toEqual(['Andir', 'Coblong', 'Cidadap']);
    for (const format of ['json', 'parquet', 'arrow', 'xlsx']) {
      const file = await fetch(`${f.server.url}/api/v1/datasets/${FASKES}/download.${format}`);
      expect(file.status, format).toBe(200);
      expect((await file.arrayBuffer()).byteLength, format).toBeGreaterThan(0);
    }
  });

  test('unknown format, version or dataset is 404; a bad filter is 400', async () => {
    expectError(await api(`/datasets/${PENDUDUK}/download.pdf`), 404, /^no download format "pdf"; formats are: csv, json, ndjson, parquet, arrow, xlsx$/);
    expectError(await api(`/datasets/${PENDUDUK}/versions/nope/download.csv`), 404, /published version "nope"/);
    expectError(await api(`/datasets/${TERBATAS}/download.csv`), 404, /no public dataset/);
    expectError(await api(`/datasets/${PENDUDUK}/download.csv?jumlah_penduduk__gt=x`), 400, /expected a whole number, found "x"/);
  });
});

describe('filter values are validated where filters are parsed (one error shape, the reader\'s language)', () => {
  const impossible = `dibuka=2024-02-31`;

  test('an impossible date in a rows request is a 400 naming the column and value, in English and by default in Indonesian', async () => {
    const english = await api(`/datasets/${FASKES}/rows?${impossible}`);
    expectError(english, 400, /^column "dibuka" is date: "2024-02-31" is not a real date$/);
    expect(english.body.error.code).toBe('filter.not_a_date');
    expect(english.body.error.problems).toEqual([{ parameter: 'dibuka', code: 'filter.not_a_date', message: 'column "dibuka" is date: "2024-02-31" is not a real date' }]);
    const indonesian = await getJson(f.server, `/api/v1/datasets/${FASKES}/rows?${impossible}`);
    expect(indonesian.status).toBe(400);
    expect(indonesian.body.error.message).toBe('kolom "dibuka" bertipe date: "2024-02-31" bukan tanggal yang ada');
    expect((await getJson(f.server, `/api/v1/datasets/${FASKES}/rows?${impossible}&lang=en`)).body.error.message).toMatch(/is not a real date/);
  });

  test.each(['csv', 'json', 'parquet', 'xlsx'])('a %s download with an impossible date is a 400 before any byte of a file', async (format) => {
    const response = await f.server.get(`/api/v1/datasets/${FASKES}/download.${format}?dibuka__gte=2023-02-29`, { headers: { cookie: 'lang=en' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(response.text).error.message).toBe('column "dibuka" is date: "2023-02-29" is not a real date');
  });

  test('the chart builder and its SVG refuse it the same way', async () => {
    const page = await f.server.get(`/datasets/${FASKES}/chart?mark=bar&x=jenis&y=tempat_tidur&${impossible}&lang=en`);
    expect(page.status).toBe(400);
    expect(page.text).toContain('column &quot;dibuka&quot; is date: &quot;2024-02-31&quot; is not a real date');
    const svg = await f.server.get(`/datasets/${FASKES}/chart.svg?mark=bar&x=jenis&y=tempat_tidur&${impossible}`);
    expect(svg.status).toBe(400);
    expect(svg.text).toContain('bukan tanggal yang ada');
  });

  test('the dataset page shows it in the reader\'s language with status 400', async () => {
    const page = await f.server.get(`/datasets/${FASKES}?${impossible}`);
    expect(page.status).toBe(400);
    expect(page.text).toContain('kolom &quot;dibuka&quot; bertipe date: &quot;2024-02-31&quot; bukan tanggal yang ada');
  });
});

describe('changes in the lake reach the API without a restart', () => {
  test('a new version is served, and a dataset reclassified as terbatas disappears', async () => {
    const dataDir = path.join(f.root, 'data');
    await api(`/datasets/${FASKES}/rows`); // warm any cache first
    const v2 = await publishTestVersion(dataDir, {
      id: FASKES,
      fields: FASKES_FIELDS,
      rows: [{ nama: 'Puskesmas Baru', jenis: 'puskesmas', tempat_tidur: 5, dibuka: '2026-01-01' }],
      metadata: { title: 'Fasilitas Kesehatan', organization: 'dinkes', topics: ['kesehatan'] },
    });
    const page = await waitFor(async () => {
      const r = await api(`/datasets/${FASKES}/rows`);
      return r.body.version === v2.version ? r : null;
    }, { what: `version ${v2.version} in the rows API` });
    expect(page.body.rows).toEqual([{ nama: 'Puskesmas Baru', jenis: 'puskesmas', tempat_tidur: 5, dibuka: '2026-01-01' }]);
    expect((await api(`/datasets/${FASKES}`)).body.versions).toHaveLength(2);

    await publishTestVersion(dataDir, { id: FASKES, fields: FASKES_FIELDS, rows: [], metadata: { title: 'Fasilitas Kesehatan', classification: 'terbatas' } });
    await waitFor(async () => (await api(`/datasets/${FASKES}/rows`)).status === 404, { what: 'the reclassified dataset to disappear' });
    expectError(await api(`/datasets/${FASKES}`), 404, /no public dataset/);
    expectError(await api(`/datasets/${FASKES}/versions/${v2.version}/rows`), 404, /no public dataset/);
    expect((await api('/datasets')).body.results.map((d: any) => d.id)).toEqual([PENDUDUK]);
  });
});
