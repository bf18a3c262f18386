import { describe, expect, test } from 'vitest';
import { chartOptions, type ChartRow } from '../../src/lib/charts/build.ts';
import { chartContext } from '../../src/lib/charts/chart.server.ts';
import { renderSvg } from '../../src/lib/charts/render.ts';
import { resolveChart, type Chart } from '../../src/lib/charts/spec.ts';
import type { ColumnProfile } from '../../src/lib/server/lake/manifest.ts';
import type { FieldSpec } from '../../src/lib/server/lake/schema.ts';

/**
 * Chart builders are pure: fixed rows give the same SVG every time (no clock, no randomness), so each mark is
 * snapshot-tested as an SVG file under __snapshots__/ — open one in a browser to see what changed.
 */
const fields: FieldSpec[] = [
  { name: 'kecamatan', type: 'string', title: 'Kecamatan', title_en: 'District' },
  { name: 'jenis', type: 'string', title: 'Jenis' },
  { name: 'tanggal', type: 'date', title: 'Tanggal' },
  { name: 'jumlah', type: 'integer', title: 'Jumlah', title_en: 'Count' },
  { name: 'luas', type: 'number', title: 'Luas' },
  { name: 'lokasi', type: 'geometry', title: 'Lokasi' },
];
const profile = [{ name: 'kecamatan', distinct: 40 }, { name: 'jenis', distinct: 3 }] as ColumnProfile[];
const label = (f: FieldSpec) => f.title;
const context = chartContext('id');

function chart(request: Record<string, string>): Chart {
  const { chart, problems } = resolveChart(request, fields, profile, label);
  expect(problems).toEqual([]);
  return chart!;
}

const svg = (rows: ChartRow[], c: Chart) => renderSvg(chartOptions(rows, c, context), { title: 'Uji' });

const districts = ['Andir', 'Cibiru', 'Coblong', 'Regol'];
const kinds = ['Jalan', 'Taman'];
const byDistrict: ChartRow[] = districts.flatMap((x, i) => kinds.map((color, j) => ({ x, color, y: 10 * (i + 1) + 3 * j })));
const byDate: ChartRow[] = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'].flatMap((x, i) => kinds.map((color, j) => ({ x, color, y: 5 + ((i * 7 + j * 3) % 11) })));

describe('chart SVG snapshots', () => {
  test('bar: stacked by colour, with a legend and tooltips', async () => {
    const out = svg(byDistrict, chart({ mark: 'bar', x: 'kecamatan', y: 'jumlah', color: 'jenis' }));
    expect(out.match(/<rect [^>]*><title>/g)).toHaveLength(8);
    expect(out).toContain('<title>Kecamatan: Andir\nJenis: Jalan\nJumlah: 10</title>');
    await expect(out).toMatchFileSnapshot('__snapshots__/chart-bar.svg');
  });

  test('bar over dates: a band axis labelled in the page language, no Plot warning', async () => {
    const out = svg(byDate.filter((r) => r.color === 'Jalan'), chart({ mark: 'bar', x: 'tanggal', y: 'jumlah' }));
    expect(out).toContain('>1 Feb 2024<');
    expect(out).not.toContain('⚠');
    await expect(out).toMatchFileSnapshot('__snapshots__/chart-bar-dates.svg');
  });

  test('line: one line per colour over a time axis', async () => {
    const out = svg(byDate, chart({ mark: 'line', x: 'tanggal', y: 'jumlah', color: 'jenis' }));
    expect(out.match(/<path [^>]*stroke="#[0-9a-f]{6}"/g)?.length).toBeGreaterThanOrEqual(2);
    await expect(out).toMatchFileSnapshot('__snapshots__/chart-line.svg');
  });

  test('area: stacked areas', async () => {
    await expect(svg(byDate, chart({ mark: 'area', x: 'tanggal', y: 'jumlah', color: 'jenis' }))).toMatchFileSnapshot('__snapshots__/chart-area.svg');
  });

  test('dot: a scatter of raw rows', async () => {
    const rows: ChartRow[] = [1, 2, 3, 4, 5].map((n) => ({ x: n * 1.5, y: n * n, color: n % 2 ? 'Jalan' : 'Taman' }));
    const out = svg(rows, chart({ mark: 'dot', x: 'luas', y: 'jumlah', color: 'jenis' }));
    expect(out.match(/<circle /g)).toHaveLength(5);
    await expect(out).toMatchFileSnapshot('__snapshots__/chart-dot.svg');
  });

  test('cell: a heat map with a binned legend', async () => {
    const rows: ChartRow[] = districts.flatMap((x, i) => kinds.map((y, j) => ({ x, y, color: i * 4 + j })));
    const out = svg(rows, chart({ mark: 'cell', x: 'kecamatan', y: 'jenis' }));
    expect(out.match(/<rect [^>]*><title>/g)).toHaveLength(8);
    expect(out).toContain('Kecamatan: Andir\nJenis: Jalan\nJumlah baris: 0');
    await expect(out).toMatchFileSnapshot('__snapshots__/chart-cell.svg');
  });

  test('facets: one panel per value', async () => {
    const rows = byDistrict.map((r) => ({ ...r, facet: r.color, color: undefined }));
    const out = svg(rows, chart({ mark: 'bar', x: 'kecamatan', y: 'jumlah', facet: 'jenis' }));
    expect(out).toContain('>Jalan<');
    expect(out).toContain('>Taman<');
    await expect(out).toMatchFileSnapshot('__snapshots__/chart-facet.svg');
  });

  test('data text is escaped', () => {
    const out = svg([{ x: '<script>alert(1)</script>', y: 1, color: 'A & B' }], chart({ mark: 'bar', x: 'kecamatan', y: 'jumlah', color: 'jenis' }));
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;');
    expect(out).toContain('A &amp; B');
  });

  test('the same rows render the same SVG', () => {
    const c = chart({ mark: 'line', x: 'tanggal', y: 'jumlah', color: 'jenis' });
    expect(svg(byDate, c)).toBe(svg(byDate, c));
  });
});

describe('numbers and dates in the page language', () => {
  const monthly: ChartRow[] = ['2024-08-01', '2024-09-01', '2024-10-01', '2024-11-01', '2024-12-01'].map((x, i) => ({ x, y: 1600 + i * 250 }));
  const line = (locale: 'id' | 'en', request: Record<string, string> = {}) =>
    renderSvg(chartOptions(monthly, chart({ mark: 'line', x: 'tanggal', y: 'jumlah', ...request }), chartContext(locale)), { title: 'Uji' });

  test('Indonesian: grouped digits with a dot, Indonesian month names (Agu, Des)', () => {
    const out = line('id');
    expect(out).toContain('>Agu 2024<');
    expect(out).toContain('>Des 2024<');
    expect(out).toMatch(/>1\.600</);
    expect(out).toContain('Tanggal: 1 Agustus 2024');
    expect(out).toContain('Jumlah: 1.600');
  });

  test('English: grouped digits with a comma, English month names', () => {
    const out = line('en');
    expect(out).toContain('>Aug 2024<');
    expect(out).toContain('>Dec 2024<');
    expect(out).toMatch(/>1,600</);
    expect(out).not.toContain('Agu');
  });

  test('a month bucket labels ticks by month; a quarter bucket by quarter (Tw / Q)', () => {
    expect(line('id', { bucket: 'month' })).toContain('>Okt 2024<');
    const quarters: ChartRow[] = ['2024-01-01', '2024-04-01', '2024-07-01', '2024-10-01'].map((x, i) => ({ x, y: i + 1 }));
    const c = chart({ mark: 'bar', x: 'tanggal', y: 'jumlah', bucket: 'quarter' });
    expect(renderSvg(chartOptions(quarters, c, chartContext('id')))).toContain('>Tw3 2024<');
    expect(renderSvg(chartOptions(quarters, c, chartContext('en')))).toContain('>Q3 2024<');
  });

  test('years and codes on a number axis are written as they are', () => {
    const rows: ChartRow[] = [2021, 2022, 2023, 2024].map((x) => ({ x, y: x * 10 }));
    const withYear: FieldSpec[] = [...fields, { name: 'tahun', type: 'integer', title: 'Tahun' }];
    const { chart: c } = resolveChart({ mark: 'dot', x: 'tahun', y: 'jumlah' }, withYear, profile, label);
    const out = renderSvg(chartOptions(rows, c!, chartContext('id')));
    expect(out).toContain('>2022<');
    expect(out).not.toContain('>2.022<');
    expect(out).toMatch(/>20\.2\d0</);
    // On a band axis (bars per year) too.
    const { chart: bars } = resolveChart({ mark: 'bar', x: 'tahun', y: 'jumlah' }, withYear, profile, label);
    const barSvg = renderSvg(chartOptions(rows, bars!, chartContext('en')));
    expect(barSvg).toContain('>2022<');
    expect(barSvg).not.toContain('>2,022<');
  });

  test('large values get short axis labels in the page language, full values in tooltips', () => {
    const rows: ChartRow[] = ['Andir', 'Coblong'].map((x, i) => ({ x, y: 1_342_100_315_000 + i * 1e11 }));
    const c = chart({ mark: 'bar', x: 'kecamatan', y: 'jumlah' });
    const id = renderSvg(chartOptions(rows, c, chartContext('id')));
    expect(id).toMatch(/>1,\d&#160;T</); // 1,4 T(riliun), with a no-break space
    expect(id).toContain('Jumlah: 1.342.100.315.000');
    expect(renderSvg(chartOptions(rows, c, chartContext('en')))).toMatch(/>1\.\dtn</); // British English: 1.4tn
    expect(id).not.toContain('⚠');
  });
});

describe('many series: the top ones in colours that stay apart, the rest as one grey series', () => {
  test('"Lainnya" is last in the legend and grey; no colour repeats', () => {
    const rows: ChartRow[] = [
      ...['A', 'B', 'C'].map((color, i) => ({ x: 'Andir', color, series: i + 1, y: 30 - i })),
      { x: 'Andir', color: null, other: true, y: 5 },
    ];
    const out = renderSvg(chartOptions(rows, chart({ mark: 'bar', x: 'kecamatan', y: 'jumlah', color: 'jenis' }), chartContext('id')));
    const legend = [...out.matchAll(/<rect fill="(#[0-9a-f]{6})" height="13" [^>]*\/><text[^>]*>([^<]+)<\/text>/g)].map((m) => [m[2], m[1]]);
    expect(legend).toEqual([['A', '#4e79a7'], ['B', '#f28e2c'], ['C', '#e15759'], ['Lainnya', '#8c8c8c']]);
  });
});

describe('chart parameters are checked against the schema', () => {
  const problems = (request: Record<string, string>) => resolveChart(request, fields, profile, label).problems.map((p) => `${p.parameter}:${p.code}`);

  test('a valid request resolves with the right aggregate', () => {
    expect(chart({ mark: 'bar', x: 'kecamatan' }).aggregate).toBe('count');
    expect(chart({ mark: 'bar', x: 'kecamatan', y: 'jumlah' }).aggregate).toBe('sum');
    expect(chart({ mark: 'dot', x: 'luas', y: 'jumlah' }).aggregate).toBe('none');
    expect(chart({ mark: 'cell', x: 'kecamatan', y: 'jenis', color: 'luas' }).aggregate).toBe('sum');
    expect(chart({ mark: 'bar', x: 'kecamatan', y: 'jenis', aggregate: 'count_distinct' }).aggregate).toBe('count_distinct');
    expect(chart({ mark: 'line', x: 'tanggal', y: 'jumlah', aggregate: 'mean', bucket: 'month', top: '3' })).toMatchObject({ aggregate: 'mean', bucket: 'month', top: 3 });
  });

  test.each([
    [{ mark: 'pie', x: 'kecamatan' }, ['mark:chart.problem.mark']],
    [{ mark: 'bar' }, ['x:chart.problem.x_required']],
    [{ mark: 'bar', x: 'tidak_ada' }, ['x:chart.problem.column']],
    [{ mark: 'bar', x: 'lokasi' }, ['x:chart.problem.column']],
    [{ mark: 'line', x: 'tanggal', y: 'jenis' }, ['y:chart.problem.y_numeric']],
    [{ mark: 'cell', x: 'kecamatan' }, ['y:chart.problem.y_required']],
    [{ mark: 'cell', x: 'kecamatan', y: 'jenis', color: 'jenis' }, ['color:chart.problem.color_numeric']],
    [{ mark: 'bar', x: 'jenis', facet: 'kecamatan' }, ['facet:chart.problem.facet_many']],
    [{ mark: 'bar', x: 'kecamatan', y: 'jenis', aggregate: 'mean' }, ['y:chart.problem.y_numeric']],
    [{ mark: 'bar', x: 'kecamatan', aggregate: 'median' }, ['y:chart.problem.aggregate_column']],
    [{ mark: 'bar', x: 'kecamatan', y: 'jumlah', aggregate: 'avg' }, ['aggregate:chart.problem.aggregate']],
    [{ mark: 'line', x: 'kecamatan', y: 'jumlah', bucket: 'month' }, ['bucket:chart.problem.bucket_date']],
    [{ mark: 'line', x: 'tanggal', y: 'jumlah', bucket: 'fortnight' }, ['bucket:chart.problem.bucket']],
    [{ mark: 'bar', x: 'kecamatan', y: 'jumlah', color: 'jenis', top: '12' }, ['top:chart.problem.top']],
    [{ mark: 'cell', x: 'kecamatan', y: 'jenis', color: 'luas', aggregate: 'none' }, ['aggregate:chart.problem.aggregate_cell']],
  ])('%o → %o', (request, expected) => {
    expect(problems(request)).toEqual(expected);
  });
});
