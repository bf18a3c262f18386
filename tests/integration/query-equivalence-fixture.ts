import { expect } from 'vitest';
import { versionDataPath } from '../../src/lib/server/lake/read.ts';
import type { Manifest } from '../../src/lib/server/lake/manifest.ts';
import { computeFacets } from '../../src/lib/server/query/facets.ts';
import { parseRowQuery, type RowQuery } from '../../src/lib/server/query/filters.ts';
import { queryRows, type RowSource } from '../../src/lib/server/query/rows.ts';
import { publishQueryFixture } from '../helpers/query-fixture.ts';
import { seededRandom } from '../helpers/random.ts';
import { queryDirect } from '../helpers/read-parquet.ts';

/**
 * The speed work must not change a single answer: rows, totals and facet counts from the server's query code
 * equal a direct DuckDB query on the lake's Parquet file, for a set of seeded random filters. Two test files use
 * this fixture, one reading Parquet and one reading the native table cache (separate processes, so no in-memory
 * page cache carries answers from one to the other). The expected SQL is written here independently of
 * src/lib/server/query/filters.ts.
 */
const KECAMATAN = ['Andir', 'Antapani', 'Cibiru', 'Coblong', 'Regol', 'Sukajadi', 'Lengkong', 'Cicendo'];
const ROWS = 6000;
export let manifest: Manifest;
export let source: RowSource;

/** Publishes the fixture (6,000 rows, sorted by kecamatan) and indexes it; `tableCache` fills the native cache. */
export async function setUpFixture(tableCache: boolean): Promise<void> {
  const rnd = seededRandom(7);
  const lines = ['id,kecamatan,jumlah,nilai,tanggal,aktif,kategori,kode'];
  for (let i = 1; i <= ROWS; i++) {
    const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(rnd() * 700) * 86_400_000).toISOString().slice(0, 10);
    const jumlah = rnd() < 0.05 ? '' : String(Math.floor(rnd() * 1000));
    // 45 codes, skewed so counts differ and tie: a value facet longer than its 30 listed values.
    const kode = rnd() < 0.03 ? '' : `K${String(1 + Math.floor(45 * rnd() ** 2)).padStart(2, '0')}`;
    lines.push(`${i},${KECAMATAN[Math.floor(rnd() * KECAMATAN.length)]},${jumlah},${(rnd() * 100).toFixed(1)},${day},${rnd() < 0.5},${'ABC'[Math.floor(rnd() * 3)]},${kode}`);
  }
  const fields = [
    { name: 'id', type: 'integer', title: 'Id' },
    { name: 'kecamatan', type: 'string', title: 'Kecamatan' },
    { name: 'jumlah', type: 'integer', title: 'Jumlah' },
    { name: 'nilai', type: 'number', title: 'Nilai' },
    { name: 'tanggal', type: 'date', title: 'Tanggal' },
    { name: 'aktif', type: 'boolean', title: 'Aktif' },
    { name: 'kategori', type: 'string', title: 'Kategori' },
    { name: 'kode', type: 'string', title: 'Kode' },
  ];
  ({ manifest, source } = await publishQueryFixture('uji-cepat', lines, fields, { sortBy: 'kecamatan', tableCache }));
}

/** Filters drawn from the column types: equality, ranges, in-lists, text, nulls. */
function randomFilters(seed: number): string[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const candidates = [
    () => `kecamatan=${pick(KECAMATAN)}`,
    () => `kecamatan__in=${pick(KECAMATAN)},${pick(KECAMATAN)}`,
    () => `jumlah__gte=${Math.floor(rnd() * 1000)}`,
    () => `jumlah__lt=${Math.floor(rnd() * 1000)}`,
    () => `nilai__lte=${(rnd() * 100).toFixed(1)}`,
    () => `tanggal__gte=2024-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-01`,
    () => `aktif=${rnd() < 0.5}`,
    () => `kategori__ne=${pick(['A', 'B', 'C'])}`,
    () => `jumlah__isnull=1`,
    () => `kecamatan__contains=${pick(['an', 'ir', 'o'])}`,
  ];
  const n = 1 + Math.floor(rnd() * 3);
  return Array.from({ length: n }, () => pick(candidates)());
}

/** The same filter in plain SQL with literals, written independently of filters.ts. */
function expectedWhere(param: string): string {
  const [key, value] = param.split('=') as [string, string];
  const [column, op = 'eq'] = key.split('__') as [string, string?];
  const literal = (v: string) => (/^-?\d+(\.\d+)?$/.test(v) || v === 'true' || v === 'false' ? v : `'${v.replaceAll("'", "''")}'`);
  const c = `"${column}"`;
  const typed = (v: string) => (column === 'tanggal' ? `DATE '${v}'` : literal(v));
  switch (op) {
    case 'eq': return `${c} = ${typed(value)}`;
    case 'ne': return `${c} IS DISTINCT FROM ${typed(value)}`;
    case 'gte': return `${c} >= ${typed(value)}`;
    case 'lt': return `${c} < ${typed(value)}`;
    case 'lte': return `${c} <= ${typed(value)}`;
    case 'in': return `${c} IN (${value.split(',').map(typed).join(', ')})`;
    case 'contains': return `lower(${c}) LIKE '%${value.toLowerCase()}%'`;
    case 'isnull': return `${c} IS NULL`;
    default: throw new Error(op);
  }
}


function parse(params: string[]): RowQuery {
  const { query, problems } = parseRowQuery(new URLSearchParams(params.join('&')), source.fields);
  expect(problems).toEqual([]);
  return query;
}

async function allRows(query: RowQuery): Promise<{ ids: number[]; total: number }> {
  const ids: number[] = [];
  let cursor: string | null = null;
  let total = -1;
  do {
    const page = await queryRows(source, query, { limit: 700, cursor });
    ids.push(...page.rows.map((r) => Number(r.id)));
    total = page.total;
    cursor = page.next;
  } while (cursor);
  return { ids, total };
}

const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);

export async function checkAgainstDuckDB(label: string): Promise<void> {
  const file = versionDataPath(source.dataset, source.version);
  let truncatedSeen = 0;
  for (const seed of SEEDS) {
    const params = randomFilters(seed);
    const where = params.map(expectedWhere).join(' AND ');
    for (const sort of [null, '-jumlah']) {
      const query = parse(sort ? [...params, `_sort=${sort}`] : params);
      const order = sort ? 'ORDER BY jumlah DESC NULLS LAST, file_row_number' : 'ORDER BY file_row_number';
      const expected = await queryDirect(`SELECT id FROM read_parquet('${file}', file_row_number = true) WHERE ${where} ${order}`);
      const got = await allRows(query);
      expect(got.total, `${label}: total for ${params.join('&')}`).toBe(expected.length);
      expect(got.ids, `${label}: rows for ${params.join('&')} ${sort ?? ''}`).toEqual(expected.map((r) => Number(r.id)));
    }
    const facets = await computeFacets(source, manifest.profile, parse(params), ['kategori', 'kecamatan', 'kode', 'jumlah', 'tanggal']);
    for (const column of ['kategori', 'kecamatan', 'kode']) {
      const groups = await queryDirect(`SELECT ${column} AS value, count(*) AS n FROM read_parquet('${file}') WHERE ${where} GROUP BY ALL ORDER BY n DESC, value NULLS LAST LIMIT 31`);
      const facet = facets.find((f) => f.column === column)!;
      expect(facet.kind).toBe('values');
      if (facet.kind !== 'values') continue;
      // In DuckDB's order (count, then value), whether the facet was counted alone or with the others in one scan.
      expect(
        facet.values.map((v) => [v.value, v.count]),
        `${label}: facet ${column} under ${params.join('&')}`,
      ).toEqual(groups.slice(0, 30).map((g) => [g.value, Number(g.n)]));
      expect(facet.truncated, `${label}: facet ${column} truncated`).toBe(groups.length > 30);
      if (facet.truncated) truncatedSeen++;
    }
    for (const column of ['jumlah', 'tanggal']) {
      const facet = facets.find((f) => f.column === column)!;
      if (facet.kind !== 'histogram') throw new Error('expected a histogram');
      // Every matching row with a value falls in exactly one bin…
      const [{ n: withValue }] = (await queryDirect(`SELECT count(${column}) AS n FROM read_parquet('${file}') WHERE ${where}`)) as [{ n: string }];
      expect(facet.bins.reduce((sum, b) => sum + b.count, 0), `${label}: ${column} histogram under ${params.join('&')}`).toBe(Number(withValue));
      // …and each bin's count is what the filter a click on it applies (from ≤ value < to) finds.
      const lit = (v: string) => (column === 'tanggal' ? `DATE '${v}'` : v);
      for (const bin of facet.bins) {
        const [{ n }] = (await queryDirect(
          `SELECT count(*) AS n FROM read_parquet('${file}') WHERE ${where} AND ${column} >= ${lit(bin.from)} AND ${column} < ${lit(bin.to)}`,
        )) as [{ n: string }];
        expect(bin.count, `${label}: ${column} bin ${bin.from}–${bin.to} under ${params.join('&')}`).toBe(Number(n));
      }
    }
  }
  // The value facet longer than its list (kode) was among them, so the top-30 cut was checked too.
  expect(truncatedSeen, `${label}: a truncated value facet`).toBeGreaterThan(0);
}
