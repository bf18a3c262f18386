import { beforeAll, describe, expect, test } from 'vitest';
import { chartData } from '../../src/lib/charts/data.server.ts';
import { resolveChart, type Chart } from '../../src/lib/charts/spec.ts';
import { readCurrentManifest, versionDataPath } from '../../src/lib/server/lake/read.ts';
import type { FieldSpec } from '../../src/lib/server/lake/schema.ts';
import { parseRowQuery } from '../../src/lib/server/query/filters.ts';
import { baseSpec, createProject } from '../helpers/pipeline-project.ts';
import { seededRandom } from '../helpers/random.ts';
import { queryDirect } from '../helpers/read-parquet.ts';

/**
 * Chart aggregation maths against DuckDB on a fixture published by the real runner: every aggregate, every time
 * bucket, with and without colour series (top N plus the rest grouped), under a filter. The expected numbers come
 * from plain GROUP BY queries written here, not from the chart code.
 */
const KECAMATAN = ['Andir', 'Antapani', 'Arcamanik', 'Astanaanyar', 'Buahbatu', 'Cibiru', 'Cicendo', 'Cidadap', 'Coblong', 'Gedebage', 'Regol', 'Sukajadi'];
const KOMODITAS = ['beras', 'cabai', 'bawang', 'telur'];
let fields: FieldSpec[];
let source: { dataset: string; version: string; fields: FieldSpec[] };
let file: string;

beforeAll(async () => {
  const project = createProject('kota-chart-agg-');
  const rnd = seededRandom(11);
  const lines = ['tanggal,kecamatan,komoditas,harga,jumlah'];
  for (let i = 0; i < 2500; i++) {
    const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(rnd() * 730) * 86_400_000).toISOString().slice(0, 10);
    const harga = rnd() < 0.03 ? '' : (5000 + Math.floor(rnd() * 60000) / 2).toFixed(1);
    lines.push(`${day},${KECAMATAN[Math.floor(rnd() * rnd() * KECAMATAN.length)]},${KOMODITAS[Math.floor(rnd() * 4)]},${harga},${Math.floor(rnd() * 40)}`);
  }
  project.writeFile('datasets/data.csv', lines.join('\n'));
  fields = [
    { name: 'tanggal', type: 'date', title: 'Tanggal' },
    { name: 'kecamatan', type: 'string', title: 'Kecamatan' },
    { name: 'komoditas', type: 'string', title: 'Komoditas' },
    { name: 'harga', type: 'number', title: 'Harga', unit: 'Rp/kg' },
    { name: 'jumlah', type: 'integer', title: 'Jumlah' },
  ];
  project.addPipeline('harga-uji', baseSpec({ schema: { primary_key: [], fields } }));
  expect((await project.run('harga-uji')).exitCode).toBe(0);
  const manifest = (await readCurrentManifest('harga-uji'))!;
  source = { dataset: 'harga-uji', version: manifest.version, fields: manifest.schema.fields };
  file = versionDataPath(source.dataset, source.version);
});


function chart(request: Record<string, string>): Chart {
  const resolved = resolveChart(request, fields, [], (f) => f.title);
  expect(resolved.problems).toEqual([]);
  return resolved.chart!;
}

const SQL: Record<string, (v: string) => string> = {
  sum: (v) => `sum(${v})`,
  mean: (v) => `avg(${v})`,
  median: (v) => `quantile_cont(${v}, 0.5)`,
  count: () => 'count(*)',
  count_distinct: (v) => `count(DISTINCT ${v})`,
  min: (v) => `min(${v})`,
  max: (v) => `max(${v})`,
};
const near = (a: unknown, b: unknown) => Math.abs(Number(a) - Number(b)) <= 1e-6 * Math.max(1, Math.abs(Number(b)));
const FILTER = 'komoditas=cabai';

describe('chart values equal DuckDB GROUP BY results', () => {
  for (const aggregate of Object.keys(SQL)) {
    for (const bucket of ['month', 'week', 'quarter', 'year']) {
      test(`${aggregate} of harga by ${bucket}, filtered to ${FILTER}`, async () => {
        const measured = aggregate === 'count_distinct' ? 'kecamatan' : 'harga';
        const c = chart({ mark: 'line', x: 'tanggal', y: measured, aggregate, bucket });
        const { query } = parseRowQuery(new URLSearchParams(FILTER), fields);
        const got = (await chartData(source, c, query)).rows;
        const notNull = aggregate === 'count' ? '' : ` AND ${measured} IS NOT NULL`;
        const expected = await queryDirect(
          `SELECT strftime(date_trunc('${bucket}', tanggal), '%Y-%m-%d') AS x, ${SQL[aggregate]!(measured)} AS y
             FROM read_parquet('${file}') WHERE komoditas = 'cabai' AND tanggal IS NOT NULL${notNull} GROUP BY 1 ORDER BY 1`,
        );
        expect(got.map((r) => r.x)).toEqual(expected.map((r) => r.x));
        got.forEach((r, i) => expect(near(r.y, expected[i]!.y), `${r.x}: ${r.y} vs ${expected[i]!.y}`).toBe(true));
      });
    }
  }

  for (const aggregate of ['sum', 'mean', 'median', 'max']) {
    test(`${aggregate} by year and kecamatan: the top 4 series, the other 8 aggregated from their rows`, async () => {
      const c = chart({ mark: 'bar', x: 'tanggal', y: 'harga', color: 'kecamatan', aggregate, bucket: 'year', top: '4' });
      const got = (await chartData(source, c)).rows;
      const ranking = await queryDirect(
        `SELECT kecamatan FROM read_parquet('${file}') WHERE harga IS NOT NULL GROUP BY 1 ORDER BY ${SQL[aggregate]!('harga')} DESC, kecamatan LIMIT 4`,
      );
      const top = ranking.map((r) => String(r.kecamatan));
      const series = [...new Set(got.filter((r) => !r.other).map((r) => String(r.color)))];
      expect(series.sort()).toEqual([...top].sort());
      // The rank travels with the rows, for the legend's order.
      for (const r of got.filter((row) => !row.other)) expect(Number(r.series)).toBe(top.indexOf(String(r.color)) + 1);
      const list = top.map((k) => `'${k}'`).join(', ');
      const expected = await queryDirect(
        `SELECT strftime(date_trunc('year', tanggal), '%Y-%m-%d') AS x, kecamatan IN (${list}) AS named, CASE WHEN kecamatan IN (${list}) THEN kecamatan END AS color,
                ${SQL[aggregate]!('harga')} AS y
           FROM read_parquet('${file}') WHERE harga IS NOT NULL GROUP BY ALL`,
      );
      expect(got).toHaveLength(expected.length);
      for (const e of expected) {
        const match = got.find((r) => r.x === e.x && (e.named ? r.color === e.color : r.other === true));
        expect(match, `${String(e.x)} ${String(e.color ?? 'other')}`).toBeDefined();
        expect(near(match!.y, e.y), `${String(e.x)} ${String(e.color ?? 'other')}: ${match!.y} vs ${e.y}`).toBe(true);
      }
    });
  }

  test('none with colour: rows as they are, the 3 series with most rows named, the rest grouped', async () => {
    const c = chart({ mark: 'dot', x: 'jumlah', y: 'harga', color: 'kecamatan', top: '3' });
    const got = (await chartData(source, c)).rows;
    const top = (await queryDirect(`SELECT kecamatan FROM read_parquet('${file}') WHERE jumlah IS NOT NULL AND harga IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, kecamatan LIMIT 3`)).map((r) => String(r.kecamatan));
    const expected = await queryDirect(
      `SELECT jumlah AS x, harga AS y, kecamatan FROM read_parquet('${file}', file_row_number = true) WHERE jumlah IS NOT NULL AND harga IS NOT NULL ORDER BY file_row_number`,
    );
    expect(got.map((r) => [Number(r.x), Number(r.y), r.other ? 'other' : r.color])).toEqual(
      expected.map((r) => [Number(r.x), Number(r.y), top.includes(String(r.kecamatan)) ? r.kecamatan : 'other']),
    );
  });

  test('none: rows as they are, in file order', async () => {
    const c = chart({ mark: 'dot', x: 'jumlah', y: 'harga' });
    expect(c.aggregate).toBe('none');
    const got = (await chartData(source, c)).rows;
    const expected = await queryDirect(`SELECT jumlah AS x, harga AS y FROM read_parquet('${file}', file_row_number = true) WHERE jumlah IS NOT NULL AND harga IS NOT NULL ORDER BY file_row_number`);
    expect(got.map((r) => [Number(r.x), Number(r.y)])).toEqual(expected.map((r) => [Number(r.x), Number(r.y)]));
  });
});
