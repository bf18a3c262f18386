import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { removeDir } from '../helpers/temp.ts';
import { FASKES, PENDUDUK, startApiFixture, TERBATAS, type ApiFixture } from './api-v1-fixture.ts';

/**
 * The SQL page (/sql) and robots.txt on the real server, read the way a person sees them: the form, the
 * tables, the result table, the error box. The sandbox's own rules are tested in sql-sandbox.test.ts.
 */
let f: ApiFixture;

beforeAll(async () => {
  // A short time limit, so that the 408 is reached by a query that is merely big.
  f = await startApiFixture({ KOTA_SQL_TIMEOUT_MS: '1000' });
});

afterAll(async () => {
  await f?.server.stop();
  removeDir(f?.root);
});

async function page(sql: string | null, extra = '') {
  const query = sql === null ? extra.replace(/^&/, '') : `sql=${encodeURIComponent(sql)}${extra}`;
  const response = await f.server.get(`/sql${query ? `?${query}` : ''}`);
  const { document } = parseHTML(response.text);
  // Block children joined by a space, as a reader hears them (linkedom's textContent runs paragraphs together).
  const text = (selector: string) => {
    const element = document.querySelector(selector);
    if (!element) return null;
    const blocks = [...element.querySelectorAll('p, li')];
    return (blocks.length > 0 ? blocks.map((b) => b.textContent).join(' ') : element.textContent)?.replace(/\s+/g, ' ').trim() ?? null;
  };
  const textarea = document.querySelector('textarea[name="sql"]');
  const table = document.querySelector('main table');
  return {
    status: response.status,
    html: response.text,
    document,
    text,
    caption: table?.querySelector('caption')?.textContent?.trim() ?? null,
    // What the box holds in a browser: a textarea's character references are decoded (linkedom leaves them).
    box: textarea ? decode(textarea.textContent ?? '') : null,
    headers: [...(table?.querySelectorAll('thead th') ?? [])].map((th) => ({
      scope: th.getAttribute('scope'),
      name: th.textContent?.replace(th.querySelector('.type')?.textContent ?? '', '').trim(),
    })),
    rows: [...(table?.querySelectorAll('tbody tr') ?? [])].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())),
  };
}

function decode(html: string): string {
  return html.replace(/&(quot|#39|lt|gt|amp);/g, (_, name: string) => ({ quot: '"', '#39': "'", lt: '<', gt: '>', amp: '&' })[name]!);
}

describe('/sql', () => {
  test('without a query: an example in the box, the public tables with their columns, and the limits', async () => {
    const p = await page(null);
    expect(p.status).toBe(200);
    const textarea = p.document.querySelector('textarea[name="sql"]');
    expect(p.document.querySelector(`label[for="${textarea?.getAttribute('id')}"]`)?.textContent).toBe('Kueri SQL (satu SELECT)');
    expect(p.box).toMatch(/^SELECT .*count\(\*\)/);
    expect(p.document.querySelector('form')?.getAttribute('method')).toBe('get');
    const tables = [...p.document.querySelectorAll('.tables li')].map((li) => li.textContent?.replace(/\s+/g, ' ').trim());
    expect(tables).toHaveLength(2);
    expect(tables.join('\n')).toContain(`"${FASKES}" — Fasilitas Kesehatan`);
    expect(tables.join('\n')).toContain('Kolom: nama (string), jenis (string), tempat_tidur (integer), dibuka (date)');
    expect(p.document.querySelector(`a[href="/datasets/${PENDUDUK}"]`)).not.toBeNull();
    expect(p.html).not.toContain(TERBATAS);
    expect(p.text('#sql-limits')).toContain('Waktu: 1 detik per kueri');
    expect(p.text('#sql-limits')).toContain('Memori: 256MB');
    expect(p.document.querySelector('main table')).toBeNull();
    expect(p.document.querySelector('meta[name="robots"]')).toBeNull();
  });

  test('the example query runs as it stands', async () => {
    const example = (await page(null)).box!;
    const p = await page(example);
    expect(p.status).toBe(200);
    expect(p.rows.length).toBeGreaterThan(0);
  });

  test('a query shows its rows in a captioned table, with row count, time and download links', async () => {
    const sql = `SELECT kecamatan, jumlah_penduduk FROM "${PENDUDUK}" WHERE kecamatan IN ('Kecamatan 01', 'Kecamatan 02', 'Kecamatan 06') ORDER BY kecamatan`;
    const p = await page(sql);
    expect(p.status).toBe(200);
    expect(p.box).toBe(sql);
    expect(p.caption).toMatch(/^Hasil kueri: 3 baris, \d+ milidetik$/);
    expect(p.headers).toEqual([
      { scope: 'col', name: 'kecamatan' },
      { scope: 'col', name: 'jumlah_penduduk' },
    ]);
    expect(p.rows).toEqual([
      ['Kecamatan 01', '0'],
      ['Kecamatan 02', '7001'],
      ['Kecamatan 06', 'kosong'],
    ]);
    expect(p.text('[role="status"]')).toMatch(/^3 baris dalam \d+ milidetik\.$/);
    expect(p.document.querySelector('.truncated')).toBeNull();
    // results are for people who asked, not for search engines
    expect(p.document.querySelector('head meta[name="robots"]')?.getAttribute('content')).toBe('noindex');
    const csvHref = p.document.querySelector('a[href*="format=csv"]')?.getAttribute('href');
    expect(csvHref).toBe(`/api/v1/sql?${new URLSearchParams({ sql, format: 'csv' })}`);
    const csv = await f.server.get(csvHref!);
    expect(csv.text).toBe('kecamatan,jumlah_penduduk\r\nKecamatan 01,0\r\nKecamatan 02,7001\r\nKecamatan 06,\r\n');
    const json = await f.server.get(p.document.querySelector('a[href*="format=json"]')!.getAttribute('href')!);
    expect(JSON.parse(json.text).rows).toHaveLength(3);
  });

  test('a result longer than the page limit says it is truncated', async () => {
    const t = `"${PENDUDUK}"`;
    const p = await page(`SELECT a.kecamatan FROM ${t} a, ${t} b, ${t} c`);
    expect(p.status).toBe(200);
    expect(p.rows).toHaveLength(1000);
    expect(p.text('.truncated')).toMatch(/^Hasil terpotong: hanya 1\.000 baris pertama yang ditampilkan/);
  });

  test('data and the query are shown as text, never as markup', async () => {
    const p = await page(`SELECT '<script>alert(1)</script>' AS "<b>x</b>"`);
    expect(p.status).toBe(200);
    expect(p.rows).toEqual([['<script>alert(1)</script>']]);
    expect(p.headers[0]?.name).toBe('<b>x</b>');
    expect(p.html).not.toContain('<script>alert(1)');
    expect(p.html).not.toContain('<b>x</b>');
  });

  test.each([
    { name: 'COPY', sql: `COPY "${PENDUDUK}" TO '/tmp/x.csv'` },
    { name: 'a file read', sql: `SELECT * FROM read_csv('/etc/passwd')` },
    { name: 'a dataset that is not public', sql: `SELECT * FROM "${TERBATAS}"` },
    { name: 'a syntax error', sql: 'SELEC 1' },
  ])('$name is refused with 400 and the reason in an alert', async ({ sql }) => {
    const p = await page(sql);
    expect(p.status).toBe(400);
    expect(p.text('[role="alert"]')).toMatch(/^Kueri tidak dapat dijalankan \(status 400\) .+ Perbaiki kueri/);
    expect(p.box).toBe(sql);
    expect(p.document.querySelector('main table')).toBeNull();
    expect(p.html).not.toContain('root:');
    expect(p.html).not.toContain('Rahasia');
  });

  test('a query past the time limit is a 408 with the reason', async () => {
    const t = `"${PENDUDUK}"`;
    const p = await page(`SELECT sum(a.jumlah_penduduk * b.jumlah_penduduk + c.jumlah_penduduk - d.jumlah_penduduk) FROM ${t} a, ${t} b, ${t} c, ${t} d, ${t} e, ${t} g, ${t} h, ${t} i`);
    expect(p.status).toBe(408);
    expect(p.text('[role="alert"]')).toContain('berjalan lebih lama dari batas 1 detik');
  });

  test('in English with ?lang=en', async () => {
    const p = await page(`SELECT nama FROM "${FASKES}" WHERE nama = 'RSUD Kota'`, '&lang=en');
    expect(p.status).toBe(200);
    expect(p.document.querySelector('html')?.getAttribute('lang')).toBe('en');
    expect(p.text('h1')).toBe('SQL query');
    expect(p.caption).toMatch(/^Query result: 1 row, \d+ milliseconds$/);
    expect(p.rows).toEqual([['RSUD Kota']]);
    expect(p.text('.tables')).toContain('Health Facilities');
    const refused = await page('DROP TABLE x', '&lang=en');
    expect(refused.status).toBe(400);
    expect(refused.text('[role="alert"]')).toMatch(/^The query could not run \(status 400\) only SELECT queries are allowed/);
  });
});

test('robots.txt allows everything and points to the sitemap by its absolute URL', async () => {
  const robots = await f.server.get('/robots.txt');
  expect(robots.status).toBe(200);
  expect(robots.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(robots.text).toBe(`User-agent: *\nAllow: /\n\nSitemap: ${f.server.url}/sitemap.xml\n`);
});
