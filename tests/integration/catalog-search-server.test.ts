import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Manifest } from '../../src/lib/server/lake/manifest.ts';
import type { FieldSpec } from '../../src/lib/server/lake/schema.ts';
import { PENDUDUK_FIELDS, publishTestVersion } from '../helpers/lake.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir, waitFor } from '../helpers/temp.ts';

/**
 * The catalog page, home page and sitemap on the real built server, over a lake of a few datasets:
 * what a visitor reads after searching, filtering, sorting and paging, all through the URL.
 */
let root: string;
let dataDir: string;
let server: TestServer;

const rows = [{ kecamatan: 'Andir', jumlah_penduduk: 97123 }, { kecamatan: 'Coblong', jumlah_penduduk: 113456 }];
/** Columns without "penduduk" in them, so only the population dataset matches that word. */
const OTHER_FIELDS: FieldSpec[] = [
  { name: 'kecamatan', type: 'string', title: 'Kecamatan' },
  { name: 'nilai', type: 'integer', title: 'Nilai', unit: 'unit' },
];
const otherRows = [{ kecamatan: 'Andir', nilai: 1 }];
const datasets: { id: string; at: string; metadata: Partial<Manifest['metadata']>; population?: true }[] = [
  { id: 'penduduk-kecamatan', at: '2026-01-15T02:00:00.000Z', metadata: {}, population: true },
  {
    id: 'sekolah-kecamatan',
    at: '2026-01-10T02:00:00.000Z',
    metadata: { title: 'Jumlah Sekolah per Kecamatan', description: 'Jumlah sekolah menurut kecamatan dan jenjang (sampel sintetis).', title_en: 'Schools by District', organization: 'disdik', topics: ['pendidikan'], tags: ['sekolah'], update_frequency: 'bulanan' },
  },
  {
    id: 'kualitas-udara',
    at: '2026-01-12T02:00:00.000Z',
    metadata: { title: 'Kualitas Udara Harian', description: 'Konsentrasi PM2.5 harian per stasiun (sampel sintetis).', title_en: 'Daily Air Quality', organization: 'dlh', topics: ['lingkungan hidup'], tags: ['udara'], license: 'ODbL-1.0' },
  },
  {
    id: 'penduduk-rahasia',
    at: '2026-01-16T02:00:00.000Z',
    metadata: { title: 'Penduduk Rahasia Internal', organization: 'disdukcapil', classification: 'terbatas' },
  },
];

beforeAll(async () => {
  root = makeTempDir('kota-search-');
  dataDir = path.join(root, 'data');
  mkdirSync(path.join(root, 'pipelines'));
  for (const d of datasets) {
    const [fields, data] = d.population ? [PENDUDUK_FIELDS, rows] : [OTHER_FIELDS, otherRows];
    await publishTestVersion(dataDir, { id: d.id, fields, rows: data, publishedAt: d.at, metadata: d.metadata });
  }
  server = await startTestServer({ dataDir, env: { PIPELINES_DIR: path.join(root, 'pipelines') } });
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

/** Dataset links in the result list, in page order. */
const resultIds = (html: string) => [...html.matchAll(/<h3[^>]*><a href="\/datasets\/([a-z0-9-]+)"/g)].map((m) => m[1]);

describe('/datasets on the real server', () => {
  test('a partial word finds the dataset; the count names the query; restricted datasets stay hidden', async () => {
    const page = await server.get('/datasets?q=pendudu');
    expect(page.status).toBe(200);
    expect(page.text).toContain('1 dataset ditemukan untuk “pendudu”');
    expect((await server.get('/datasets?q=pendudu&lang=en')).text).toContain('1 dataset found for “pendudu”');
    expect(resultIds(page.text)).toEqual(['penduduk-kecamatan']);
    expect(page.text).toContain('Jumlah Penduduk per Kecamatan');
    expect(page.text).toContain('Dinas Kependudukan dan Pencatatan Sipil');
    expect(page.text).toContain('Contoh sintetis');
    expect(page.text).toMatch(/Kualitas \d\/9/);
    expect(page.text).not.toContain('Rahasia');
    expect(resultIds((await server.get('/datasets?q=pendudk')).text)).toEqual(['penduduk-kecamatan']);
  });

  test('facets list counts and link to the filtered catalog; a filter keeps the query', async () => {
    const all = await server.get('/datasets');
    expect(all.text).toContain('3 dataset ditemukan');
    expect(all.text).toMatch(/href="\/datasets\?organization=disdik"[^>]*>(?:(?!<\/a>).)*Dinas Pendidikan(?:(?!<\/a>).)*\(1\)/s);
    expect(all.text).toMatch(/Lingkungan hidup|lingkungan hidup/);
    const filtered = await server.get('/datasets?q=kecamatan&organization=disdik');
    expect(filtered.status).toBe(200);
    expect(resultIds(filtered.text)).toEqual(['sekolah-kecamatan']);
    // The ticked value links back to the unfiltered state, and "clear" drops every filter.
    expect(filtered.text).toMatch(/<a href="\/datasets\?q=kecamatan"[^>]*data-value="disdik" aria-current="true"/);
    expect(filtered.text).toContain('Hapus semua saringan');
    const two = await server.get('/datasets?organization=disdik&organization=dlh&sort=name');
    expect(resultIds(two.text)).toEqual(['sekolah-kecamatan', 'kualitas-udara']);
  });

  test('sort by name and by recent update; the sort select shows the choice', async () => {
    expect(resultIds((await server.get('/datasets?sort=name')).text)).toEqual(['penduduk-kecamatan', 'sekolah-kecamatan', 'kualitas-udara']);
    const updated = await server.get('/datasets?sort=updated');
    expect(resultIds(updated.text)).toEqual(['penduduk-kecamatan', 'kualitas-udara', 'sekolah-kecamatan']);
    expect(updated.text).toMatch(/<option value="updated" selected[^>]*>Terbaru diperbarui<\/option>/);
    const english = await server.get('/datasets?sort=name&lang=en');
    expect(resultIds(english.text)).toEqual(['kualitas-udara', 'penduduk-kecamatan', 'sekolah-kecamatan']);
    expect(english.text).toContain('Daily Air Quality');
  });

  test('pages: per_page and page in the URL, links to the other pages, past-the-end redirects to the last page', async () => {
    const first = await server.get('/datasets?sort=name&per_page=2');
    expect(resultIds(first.text)).toEqual(['penduduk-kecamatan', 'sekolah-kecamatan']);
    expect(first.text).toContain('Halaman 1 dari 2');
    expect(first.text).toContain('href="/datasets?sort=name&amp;per_page=2&amp;page=2"');
    const second = await server.get('/datasets?sort=name&per_page=2&page=2');
    expect(resultIds(second.text)).toEqual(['kualitas-udara']);
    const beyond = await server.get('/datasets?sort=name&per_page=2&page=9');
    expect(beyond.status).toBe(302);
    expect(beyond.headers.get('location')).toBe('/datasets?sort=name&per_page=2&page=2');
  });

  test('no match shows a helpful empty state, and query text is escaped', async () => {
    const page = await server.get(`/datasets?q=${encodeURIComponent('<script>zzqx</script>')}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Tidak ada dataset yang cocok.');
    expect(page.text).toContain('periksa ejaan');
    expect(page.text).toContain('“&lt;script&gt;zzqx&lt;/script&gt;”');
    expect(page.text).not.toContain('“<script>');
  });

  test('a dataset published while the server runs is searchable without a restart', async () => {
    await publishTestVersion(dataDir, {
      id: 'taman-kota',
      fields: OTHER_FIELDS,
      rows: otherRows,
      metadata: { title: 'Taman Kota dan Ruang Terbuka Hijau', description: 'Lokasi dan luas taman kota (sampel sintetis).', organization: 'dpkp', topics: ['lingkungan hidup'], tags: ['taman'] },
    });
    await waitFor(async () => resultIds((await server.get('/datasets?q=taman')).text).includes('taman-kota'), {
      timeoutMs: 30_000,
      what: 'taman-kota in the search results',
    });
  });
});

describe('home page and sitemap', () => {
  test('the home page shows live figures, the newest datasets and a search form to /datasets', async () => {
    const home = await server.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toMatch(/<form[^>]*method="get"[^>]*action="\/datasets"/);
    expect(home.text).toContain('Dataset terbaru');
    expect(home.text).toContain('href="/datasets/penduduk-kecamatan"');
    expect(home.text).not.toContain('Rahasia');
    expect(home.text).toContain('Perangkat daerah berbagi data');
    for (const link of ['/api-docs', '/sql', '/datasets']) expect(home.text).toContain(`href="${link}"`);
  });

  test('sitemap.xml lists home, catalog and every public dataset page, and nothing restricted', async () => {
    const sitemap = await server.get('/sitemap.xml');
    expect(sitemap.status).toBe(200);
    expect(sitemap.headers.get('content-type')).toContain('application/xml');
    const locs = [...sitemap.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
    expect(locs).toEqual(expect.arrayContaining(['/', '/datasets', '/datasets/penduduk-kecamatan', '/datasets/sekolah-kecamatan', '/datasets/kualitas-udara']));
    expect(locs).not.toContain('/datasets/penduduk-rahasia');
    expect(sitemap.text).toContain('<lastmod>2026-01-15T02:00:00.000Z</lastmod>');
  });
});
