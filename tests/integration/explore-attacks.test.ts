import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FieldSpec } from '../../src/lib/server/lake/schema.ts';
import { publishTestVersion } from '../helpers/lake.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/**
 * The exploring features attacked as an outsider would: hostile text in facet values and chart series, SQL in
 * every new parameter (facets, aggregate, bucket, top), and absurd ranges. Each must come back escaped, refused with
 * a message naming the parameter, or answered sanely; never executed, never a 500.
 */
const HOSTILE = ['<img src=x onerror=alert(1)>', '"><script>alert(2)</script>', "'); DROP TABLE catalog_datasets; --"];
const FIELDS: FieldSpec[] = [
  { name: 'nama', type: 'string', title: 'Nama' },
  { name: 'jumlah', type: 'integer', title: 'Jumlah' },
  { name: 'nilai', type: 'number', title: 'Nilai' },
  { name: 'tanggal', type: 'date', title: 'Tanggal' },
];
let root: string;
let server: TestServer;

beforeAll(async () => {
  root = makeTempDir('kota-explore-attacks-');
  mkdirSync(path.join(root, 'pipelines'));
  await publishTestVersion(path.join(root, 'data'), {
    id: 'data-uji',
    fields: FIELDS,
    rows: HOSTILE.flatMap((nama, i) => [1, 2, 3].map((k) => ({ nama, jumlah: i * 10 + k, nilai: k / 3, tanggal: `2025-0${k}-1${i}` }))),
  });
  server = await startTestServer({ dataDir: path.join(root, 'data'), env: { PIPELINES_DIR: path.join(root, 'pipelines') } });
});

afterAll(async () => {
  await server?.stop();
  removeDir(root);
});

/** No element the data could have made: no <img src=x> (the page's own images are the logo), no script that mentions alert (the page's own bundles do not). */
function injected(html: string): string[] {
  const { document } = parseHTML(html);
  return [
    ...[...document.querySelectorAll('img')].filter((e) => e.getAttribute('src') === 'x').map((e) => e.outerHTML),
    ...[...document.querySelectorAll('script')].filter((e) => e.textContent?.includes('alert')).map((e) => e.outerHTML),
    ...[...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).map((e) => e.outerHTML.slice(0, 80)),
  ];
}

describe('hostile data is shown, never run', () => {
  test('facet values on the dataset page are text (and attribute values), never markup', async () => {
    const page = await server.get('/datasets/data-uji?_facet=nama&_facet=jumlah');
    expect(page.status).toBe(200);
    expect(injected(page.text)).toEqual([]);
    const { document } = parseHTML(page.text);
    expect([...document.querySelectorAll('[data-column-facet="nama"] .value')].map((e) => e.textContent).sort()).toEqual([...HOSTILE].sort());
  });

  test('chart series names (legend and tooltips) are text, never markup', async () => {
    for (const url of ['/datasets/data-uji/chart?mark=bar&x=tanggal&y=jumlah&color=nama', '/datasets/data-uji/chart.svg?mark=dot&x=nilai&y=jumlah&color=nama']) {
      const res = await server.get(url);
      expect(res.status).toBe(200);
      expect(injected(res.text)).toEqual([]);
      expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });

  test('the facets API returns the values as data', async () => {
    const res = await server.get('/api/v1/datasets/data-uji/facets?_facet=nama');
    expect(JSON.parse(res.text).facets[0].values.map((v: { value: string }) => v.value).sort()).toEqual([...HOSTILE].sort());
  });
});

describe('SQL in the new parameters is refused with a message naming the parameter', () => {
  test.each([
    ['/api/v1/datasets/data-uji/facets?_facet=nama%22%20OR%201%3D1%20--', '_facet'],
    ['/api/v1/datasets/data-uji/facets?_facet=jumlah);DROP%20TABLE%20x;--', '_facet'],
  ])('%s', async (url, parameter) => {
    const res = await server.get(url);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.problems.map((p: { parameter: string }) => p.parameter)).toEqual([parameter]);
  });

  test.each([
    ['aggregate=sum(1)%3B', 'agregasi &quot;sum(1);&quot; tidak dikenal'],
    ["bucket=month')%20--", 'kelompok waktu &quot;month&#39;) --&quot; tidak dikenal'],
    ['top=1%3BDROP', 'jumlah seri teratas harus bilangan bulat 1 sampai 9'],
    ['top=0', 'jumlah seri teratas harus bilangan bulat 1 sampai 9'],
  ])('chart %s', async (param, message) => {
    const res = await server.get(`/datasets/data-uji/chart?mark=line&x=tanggal&y=jumlah&${param}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    const svg = await server.get(`/datasets/data-uji/chart.svg?mark=line&x=tanggal&y=jumlah&${param}`);
    expect(svg.status).toBe(400);
  });
});

describe('absurd ranges are answered, not crashed on', () => {
  test.each(['nilai__gte=1e308', 'nilai__gte=-1e308&nilai__lte=1e308', 'tanggal__gte=9999-12-31', 'jumlah__gt=9223372036854775806'])('%s', async (filters) => {
    const res = await server.get(`/api/v1/datasets/data-uji/facets?_facet=nilai&_facet=tanggal&_facet=jumlah&${filters}`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    for (const facet of body.facets) expect(facet.bins.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBeLessThanOrEqual(body.total);
  });
});
