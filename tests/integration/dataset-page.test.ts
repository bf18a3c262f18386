import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readCurrent, listVersions } from '../../src/lib/server/lake/read.ts';
import type { TestProject } from '../helpers/pipeline-project.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { removeDir } from '../helpers/temp.ts';
import { createDatasetFixture, DATASET, version2Rows } from './dataset-page-fixture.ts';

/** The dataset page on the real server: dictionary, table state in the URL, charts, versions and the diff page. */
let project: TestProject;
let server: TestServer;
let versions: string[];

beforeAll(async () => {
  project = await createDatasetFixture();
  versions = (await listVersions(DATASET)).map((m) => m.version);
  server = await startTestServer({ dataDir: project.dataDir, env: project.env() });
});

afterAll(async () => {
  await server?.stop();
  removeDir(project?.root);
});

const page = (qs = '') => server.get(`/datasets/${DATASET}${qs}`);
/** The text of the table's data cells, row by row. */
function tableRows(html: string): string[][] {
  const table = html.match(/<table class="data[^"]*"[^>]*>([\s\S]*?)<\/table>/)?.[1] ?? '';
  const body = table.match(/<tbody[^>]*>([\s\S]*?)<\/tbody>/)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!));
}

describe('dataset page', () => {
  test('shows metadata, the data dictionary with profile, quality, lineage and snippets', async () => {
    const res = await page();
    expect(res.status).toBe(200);
    for (const text of ['Kamus data', 'Jumlah aduan', 'aduan', 'minimum 0', 'kosong: 0', 'nilai berbeda: 5', 'Skor kualitas', 'Pemeriksaan lolos', 'Tahunan', 'Contoh data sintetis', 'Gunakan data ini']) {
      expect(res.text).toContain(text);
    }
    expect(res.text).toContain(`pd.read_parquet(&quot;${server.url}/api/v1/datasets/${DATASET}/download.parquet&quot;)`);
    expect(res.text).toContain(`SELECT * FROM read_parquet(&#39;${server.url}/api/v1/datasets/${DATASET}/download.parquet&#39;);`);
    expect(res.text).toContain('Menampilkan 1–50 dari 120 baris');
  });

  test('filter and sort through the URL give the right rows and the exact total', async () => {
    const res = await page('?kecamatan=Andir&jumlah__gte=20&_sort=-jumlah');
    expect(res.status).toBe(200);
    const expected = version2Rows()
      .filter((r) => r.kecamatan === 'Andir' && r.jumlah >= 20)
      .sort((a, b) => b.jumlah - a.jumlah || a.id - b.id);
    expect(res.text).toContain(`Menampilkan 1–${expected.length} dari ${expected.length} baris`);
    expect(tableRows(res.text).map((r) => Number(r[3]))).toEqual(expected.map((r) => r.jumlah));
    expect(res.text).toContain('aria-sort="descending"');
    // the download links carry the same view
    expect(res.text).toContain(`href="/api/v1/datasets/${DATASET}/download.csv?kecamatan=Andir&amp;jumlah__gte=20&amp;_sort=-jumlah"`);
  });

  test('pages with the keyset cursor and says which rows are shown', async () => {
    const first = await page('?_sort=id');
    const next = first.text.match(/href="([^"]*next=[^"]*)"[^>]*rel="next"/)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBeTruthy();
    const second = await server.get(next!);
    expect(second.status).toBe(200);
    expect(second.text).toContain('Menampilkan 51–100 dari 120 baris');
    expect(tableRows(second.text)[0]![0]).toBe('52'); // id 3 was removed in version 2
    expect(second.text).toContain('Halaman pertama');
  });

  test('blank form fields are dropped with a redirect to the clean URL', async () => {
    const res = await page('?q=&kecamatan=Cibiru&jumlah__gte=');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/datasets/${DATASET}?kecamatan=Cibiru#data`);
  });

  test('a bad filter is a 400 that says what is wrong', async () => {
    const res = await page('?jumlah__gte=banyak&warna=merah');
    expect(res.status).toBe(400);
    expect(res.text).toContain('role="alert"');
    // In the reader's language (Bahasa Indonesia by default).
    expect(res.text).toContain('kolom &quot;jumlah&quot; bertipe integer: diharapkan bilangan bulat, ditemukan &quot;banyak&quot;');
    expect(res.text).toContain('kolom &quot;warna&quot; tidak ada');
    expect(tableRows(res.text)).toEqual([]);
  });

  test('renders the default charts from the pipeline spec as SVG', async () => {
    const res = await page();
    expect(res.text).toContain('Aduan per kecamatan');
    expect(res.text.match(/<svg class="plot-/g)?.length).toBe(2);
    expect(res.text).toContain(`/datasets/${DATASET}/chart?mark=bar&amp;x=kecamatan&amp;y=jumlah&amp;color=kategori`);
  });

  test('lists both versions with the change summary', async () => {
    const res = await page();
    expect(res.text).toContain('+1 baris, −1 baris, 1 berubah');
    expect(res.text).toContain(`/datasets/${DATASET}/versions/${versions[1]}`);
    expect(res.text).toContain('versi pertama');
  });

  test('English labels with ?lang=en', async () => {
    const res = await page('?lang=en');
    for (const text of ['Data dictionary', 'Showing 1–50 of 120 rows', 'Complaints by district', 'Use this data', 'Yearly']) expect(res.text).toContain(text);
  });
});

describe('chart builder', () => {
  test('draws an SVG with marks for a valid chart', async () => {
    const res = await server.get(`/datasets/${DATASET}/chart?mark=bar&x=kecamatan&y=jumlah&color=kategori`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<svg class="plot-[^"]*"[^>]*>/);
    expect(res.text.match(/<rect [^>]*><title>/g)?.length).toBe(15); // 5 districts × 3 categories
    expect(res.text).toContain(`/datasets/${DATASET}/chart.svg?mark=bar&amp;x=kecamatan&amp;y=jumlah&amp;color=kategori`);
  });

  test('invalid parameters are a 400 with a message per parameter', async () => {
    const res = await server.get(`/datasets/${DATASET}/chart?mark=pie&x=kecamatan&y=kategori`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('jenis grafik &quot;pie&quot; tidak dikenal');
    const line = await server.get(`/datasets/${DATASET}/chart?mark=line&x=tanggal&y=kategori`);
    expect(line.status).toBe(400);
    expect(line.text).toContain('kolom &quot;kategori&quot; bertipe string');
  });

  test('the SVG download is a standalone file', async () => {
    const res = await server.get(`/datasets/${DATASET}/chart.svg?mark=line&x=tanggal&y=jumlah&kecamatan=Andir`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${DATASET}-line-tanggal.svg"`);
    expect(res.text).toMatch(/^<\?xml[^>]*>\n<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(res.text).toContain('<path');
    const again = await server.get(`/datasets/${DATASET}/chart.svg?mark=line&x=tanggal&y=jumlah&kecamatan=Andir`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const bad = await server.get(`/datasets/${DATASET}/chart.svg?mark=bar&x=nope`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('kolom "nope" tidak ada');
  });
});

describe('version diff page', () => {
  test('shows the added, removed and changed rows of the newest version', async () => {
    const current = (await readCurrent(DATASET))!.version;
    const added = await server.get(`/datasets/${DATASET}/versions/${current}?kind=added`);
    expect(added.status).toBe(200);
    expect(added.text).toContain('Ditambah: 1');
    expect(added.text).toMatch(/<td[^>]*>121<\/td><td[^>]*>Sukajadi<\/td>/);
    const changed = await server.get(`/datasets/${DATASET}/versions/${current}?kind=changed`);
    expect(changed.text).toMatch(/<td class="changed"[^>]*>[\s\S]*?<del[^>]*>35<\/del>[\s\S]*?<ins[^>]*>999<\/ins>/);
    const removed = await server.get(`/datasets/${DATASET}/versions/${current}?kind=removed`);
    expect(removed.text).toMatch(/<td[^>]*>3<\/td><td[^>]*>Regol<\/td>/);
  });

  test('the first version says there is nothing to compare; unknown versions are 404', async () => {
    const first = await server.get(`/datasets/${DATASET}/versions/${versions[0]}`);
    expect(first.status).toBe(200);
    expect(first.text).toContain('Ini versi pertama');
    expect((await server.get(`/datasets/${DATASET}/versions/..%2F..%2Fetc`)).status).toBe(404);
    expect((await server.get(`/datasets/${DATASET}/versions/${versions[1]}?kind=semua`)).status).toBe(400);
  });
});
