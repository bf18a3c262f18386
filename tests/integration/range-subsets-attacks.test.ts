import { cpSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { syncCatalog } from '../../src/lib/server/catalog/sync.ts';
import type { ColumnProfile } from '../../src/lib/server/lake/manifest.ts';
import { readCurrentManifest, versionDataPath } from '../../src/lib/server/lake/read.ts';
import { computeFacets, type Facet } from '../../src/lib/server/query/facets.ts';
import { parseRowQuery, whereClause, type RowQuery } from '../../src/lib/server/query/filters.ts';
import { rangeCount } from '../../src/lib/server/query/range-count.ts';
import { rangeFacets } from '../../src/lib/server/query/range-facets.ts';
import { clearRangeSubsets } from '../../src/lib/server/query/range-subset.ts';
import { readObjects } from '../../src/lib/server/query/read-pool.ts';
import { countRows, versionRelation, type RowSource } from '../../src/lib/server/query/rows.ts';
import { cachedTable, refreshTableCache } from '../../src/lib/server/query/table-cache.ts';
import { baseSpec, createProject, type TestProject } from '../helpers/pipeline-project.ts';
import { seededRandom } from '../helpers/random.ts';
import { queryDirect } from '../helpers/read-parquet.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTempDir, removeDir } from '../helpers/temp.ts';

/**
 * Adversarial review of the range subsets (query/range-subset.ts, range-count.ts, range-facets.ts): requests
 * whose in-memory answer could differ from DuckDB's statements (the server with KOTA_RANGE_SUBSETS=off). The
 * reference for a total is the server's own DuckDB count statement (same whereClause, same CASTs of the same
 * bound texts); for facets, computeFacets with the subsets off. Every in-memory answer is asked until it is
 * answered in memory (the second ask of a subset), and must be answered there.
 */
const FIELDS = [
  { name: 'id', type: 'integer', title: 'Id' },
  { name: 'grup', type: 'string', title: 'Grup' },
  { name: 'nama', type: 'string', title: 'Nama' },
  { name: 'besar', type: 'integer', title: 'Besar' },
  { name: 'nilai', type: 'number', title: 'Nilai' },
  { name: 'rasio', type: 'number', title: 'Rasio' },
  { name: 'tanggal', type: 'date', title: 'Tanggal' },
  { name: 'waktu', type: 'datetime', title: 'Waktu' },
  { name: 'aktif', type: 'boolean', title: 'Aktif' },
];
// Text that sorts differently by UTF-16 units (JavaScript) and by UTF-8 bytes (DuckDB): U+FFFD, U+FF41 and
// U+FF5E against characters beyond U+FFFF; plus accents and case.
const NAMES = ['\uFFFD', '😀', 'e', 'é', 'Z', '\uFF41', '𝔸', '\uFF5E', 'z'];
const GROUPS = ['Andir', 'Coblong', 'Regol'];
const ROWS = 1800;

let project: TestProject;
let source: RowSource;
let profile: ColumnProfile[];

function csv(seed: number, rows: number): string[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const lines = ['id,grup,nama,besar,nilai,rasio,tanggal,waktu,aktif'];
  const specials = ['NaN', '-nan', 'inf', '-inf', '-0.0', '0', '5e-324', '1.7976931348623157e308', '-1.7976931348623157e308', '', '1e-310'];
  const bigs = ['9007199254740993', '9007199254740992', '-9007199254740993', '-9223372036854775808', '9223372036854775807', '', '0'];
  const days = ['0999-12-31', '1000-01-01', '1969-12-31', '1970-01-01', '2024-02-29', '9999-12-31', 'infinity', '-infinity', ''];
  const moments = ['2024-01-01 10:00:00.5', '2024-01-01 10:00:00.499999', '2023-12-31 23:59:59.999999', '1000-01-01 00:00:00', '0999-12-31 23:59:59', '2024-02-29 23:59:59', 'infinity', '-infinity', ''];
  for (let i = 1; i <= rows; i++) {
    // Names cycle, so their counts under a window are near equal: ties ordered by value, the ordering attacked.
    const nama = rnd() < 0.05 ? '' : NAMES[i % NAMES.length]!;
    const besar = rnd() < 0.08 ? pick(bigs) : String(Math.floor(rnd() * 100) - 50);
    const nilai = rnd() < 0.1 ? pick(specials) : (rnd() * 40 - 20).toFixed(1);
    const rasio = rnd() < 0.05 ? pick(['', '-0.0', '0']) : (rnd() * 3).toFixed(2);
    const tanggal = rnd() < 0.1 ? pick(days) : new Date(Date.UTC(2024, 0, 1) + Math.floor(rnd() * 90) * 86_400_000).toISOString().slice(0, 10);
    const waktu = rnd() < 0.1 ? pick(moments) : `2024-01-0${1 + Math.floor(rnd() * 3)} ${String(Math.floor(rnd() * 24)).padStart(2, '0')}:00:0${Math.floor(rnd() * 2)}.${String(Math.floor(rnd() * 1e6)).padStart(6, '0')}`;
    const aktif = rnd() < 0.1 ? '' : String(rnd() < 0.5);
    lines.push([i, pick(GROUPS), nama, besar, nilai, rasio, tanggal, waktu, aktif].join(','));
  }
  return lines;
}

async function publish(id: string, lines: string[], fields: { name: string; type: string; title: string }[]): Promise<{ source: RowSource; profile: ColumnProfile[] }> {
  project.writeFile(`datasets/${id}.csv`, lines.join('\n'));
  project.addPipeline(id, baseSpec({ source: { path: `datasets/${id}.csv`, format: 'csv' }, schema: { primary_key: ['id'], sort_by: ['id'], fields } }));
  const run = await project.run(id);
  expect(run.exitCode, JSON.stringify(run).slice(0, 2000)).toBe(0);
  await syncCatalog();
  await refreshTableCache();
  const manifest = (await readCurrentManifest(id))!;
  return { source: { dataset: id, version: manifest.version, fields: manifest.schema.fields }, profile: manifest.profile ?? [] };
}

beforeAll(async () => {
  project = createProject();
  Object.assign(process.env, { KOTA_TABLE_CACHE: 'on', KOTA_TABLE_CACHE_MIN_ROWS: '0', KOTA_RANGE_SUBSETS: 'on' });
  ({ source, profile } = await publish('serangan', csv(3, ROWS), FIELDS));
  expect(cachedTable(source.dataset, source.version)).not.toBeNull();
});

afterAll(() => {
  process.env.KOTA_RANGE_SUBSETS = 'on';
  clearRangeSubsets();
});

function parse(params: string, on: RowSource = source): RowQuery {
  const { query, problems } = parseRowQuery(new URLSearchParams(params), on.fields);
  expect(problems, params).toEqual([]);
  return query;
}

/** The server's own DuckDB count statement (countRows with the subsets off). */
async function duckCount(query: RowQuery, on: RowSource = source): Promise<number> {
  const relation = versionRelation(on, false);
  const where = whereClause(query, on.fields, relation.values.length + 1);
  const [row] = await readObjects<{ n: string }>(`SELECT count(*) AS n FROM ${relation.sql} WHERE ${where.sql}`, [...relation.values, ...where.values]);
  return Number(row!.n);
}

/** The in-memory total: asked until the subset is read (at most twice), null if it never is. */
async function memoryCount(query: RowQuery, on: RowSource = source): Promise<number | null> {
  for (let ask = 0; ask < 2; ask++) {
    const n = await rangeCount(on, query);
    if (n !== null) return n;
  }
  return null;
}

async function duckFacets(query: RowQuery, columns: string[], on = { source, profile }): Promise<Facet[]> {
  process.env.KOTA_RANGE_SUBSETS = 'off';
  try {
    return await computeFacets(on.source, on.profile, query, columns);
  } finally {
    process.env.KOTA_RANGE_SUBSETS = 'on';
  }
}

async function memoryFacets(query: RowQuery, columns: string[], on = { source, profile }): Promise<Facet[] | null> {
  for (let ask = 0; ask < 2; ask++) {
    const facets = await rangeFacets(on.source, on.profile, query, columns);
    if (facets) return facets;
  }
  return null;
}

describe('fixture', () => {
  // '-0.0' in the CSV arrives as 0.0 (the pipeline's number reading drops the sign), so -0 is attacked as a bound only.
  test('holds the edge values attacked: -nan, ±inf, denormals, ±max double, 2^53+1, BIGINT ends, infinite and pre-1000 dates', async () => {
    const file = versionDataPath(source.dataset, source.version);
    const [row] = (await queryDirect(`SELECT
        count(*) FILTER (isnan(nilai) AND signbit(nilai)) AS negnan, count(*) FILTER (nilai = '-inf'::DOUBLE) AS neginf,
        count(*) FILTER (nilai = 5e-324) AS denormal, count(*) FILTER (besar = 9007199254740993) AS big,
        count(*) FILTER (isinf(tanggal)) AS infdate, count(*) FILTER (tanggal < DATE '1000-01-01') AS early,
        count(*) FILTER (isinf(waktu)) AS inftime, count(*) FILTER (rasio = 0) AS zero
      FROM read_parquet('${file}')`)) as [Record<string, string>];
    for (const [k, v] of Object.entries(row)) expect(Number(v), k).toBeGreaterThan(0);
  });
});

describe('bound texts DuckDB casts', () => {
  const bounds: Record<string, string[]> = {
    nilai: ['1e-400', '-1e-400', '5e-324', '2.5e-324', '2.4703282292062328e-324', '1e-310', '-0', '+0', '-0.0', '0e999999', '1.7976931348623157e308', '1.7976931348623158e308', '-1.7976931348623157e308', '+.5e-3', '9007199254740993', '0.1000000000000000055511151231257827021181583404541015625', `1${'0'.repeat(400)}e-400`, `0.${'0'.repeat(400)}1e400`, '00000000000000000000000000000000000000001.5', '1.5E+1', '3.', '.5', '-.5', '5.e1', '+0e0', '0E-0'],
    besar: ['-9223372036854775808', '+9223372036854775807', '-0', '+0', '-000', `${'0'.repeat(40)}42`, '9007199254740993', '-9007199254740993', '9007199254740992'],
    tanggal: ['1000-01-01', '2024-02-29', '9999-12-31', '1970-01-01', '1969-12-31', '1000-01-02'],
    waktu: ['2024-01-01T10:00:00.5', '2024-01-01 10:00:00.500000', '2024-01-01 10:00:00.499999', '2024-01-01', '2023-12-31 23:59:59.999999', '2023-12-31T23:59:59.999999', '1000-01-01 00:00', '1000-01-01', '2024-02-29T23:59:59', '2024-01-02 05:00', '2024-01-01T10:00:00.000000', '2024-01-01T10:00'],
  };

  test.each(Object.keys(bounds))('every operator on %s, alone and beside filters on the range column itself', async (column) => {
    clearRangeSubsets();
    let compared = 0;
    for (const value of bounds[column]!) {
      const v = encodeURIComponent(value);
      const rests = ['', 'grup=Coblong', `${column}__notnull=1`, `${column}__isnull=1`, `${column}__isnull=0`, `${column}__ne=${v}`, `${column}=${v}`, `${column}__in=${v},${v}`, `nama=${encodeURIComponent('😀')}`, 'aktif__isnull=1', 'nama__contains=e', 'grup__startswith=c'];
      for (const rest of rests) {
        for (const op of ['gt', 'gte', 'lt', 'lte']) {
          const params = [`${column}__${op}=${v}`, rest].filter(Boolean).join('&');
          const query = parse(params);
          const counted = await memoryCount(query);
          expect(counted, `${params} answered in memory`).not.toBeNull();
          expect(counted, params).toBe(await duckCount(query));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(200);
  });

  test('several bounds on one column: gt and gte both, crossing ranges, empty windows, the same bound twice', async () => {
    clearRangeSubsets();
    const cases = [
      'besar__gt=5&besar__gte=5', 'besar__gte=5&besar__gt=5', 'besar__gte=10&besar__lte=-10', 'besar__gt=3&besar__lt=4', 'besar__gte=3&besar__lte=3',
      'besar__lt=0&besar__lt=-20&besar__lte=-30', 'nilai__gte=-0&nilai__lte=0', 'nilai__gt=-0&nilai__lt=0', 'nilai__gte=1.7976931348623157e308',
      'nilai__gt=1.7976931348623157e308', 'nilai__lt=-1.7976931348623157e308', 'nilai__gte=-1.7976931348623157e308&nilai__lte=1.7976931348623157e308',
      'tanggal__gt=9999-12-31', 'tanggal__lt=1000-01-01', 'tanggal__gte=2024-02-29&tanggal__lte=2024-02-29', 'waktu__gt=2024-01-01 10:00:00.499999&waktu__lt=2024-01-01 10:00:00.5',
      'waktu__gte=2024-01-01 10:00:00.5&waktu__lte=2024-01-01T10:00:00.5', 'besar__gte=-9223372036854775808&besar__lte=9223372036854775807',
      'besar__gt=9223372036854775807', 'besar__lt=-9223372036854775808', 'besar__in=1,1,2,2&besar__gte=2', 'besar=1&besar__ne=1&besar__gte=0',
      'grup=Tidak%20ada&besar__gte=0', 'grup=Tidak%20ada&waktu__lt=2024-01-01', 'besar__isnull=2&besar__gte=0', 'besar__notnull=0&besar__lt=0',
    ];
    for (const params of cases) {
      const query = parse(params);
      const counted = await memoryCount(query);
      expect(counted, `${params} answered in memory`).not.toBeNull();
      expect(counted, params).toBe(await duckCount(query));
    }
  });
});

describe('facets counted in memory against the DuckDB statements', () => {
  const cases: [string, string[]][] = [
    // One text facet alone: DuckDB's single statement orders ties with ORDER BY (not facet-batch's topValues).
    ['besar__gte=-20', ['nama']],
    ['besar__gte=-50&besar__lte=50', ['nama']],
    ['nilai__gt=0', ['nama']],
    ['tanggal__gte=2024-01-15&grup=Andir', ['nama']],
    ['waktu__lt=2024-01-02', ['nama']],
    ['besar__lt=10&grup__ne=Regol', ['nama']],
    ['besar__gte=0', ['aktif']],
    ['besar__gte=0', ['nama', 'aktif']],
    // Histograms alone (single statement) and batched, on the range column itself and beside it.
    ['nilai__gt=-5', ['nilai']],
    ['nilai__lt=5', ['nilai']],
    ['nilai__gte=-5&nilai__lte=5', ['nilai']],
    ['nilai__gte=-0&nilai__lte=0', ['nilai']],
    ['nilai__gte=-1e-300&nilai__lte=1e-300', ['nilai']],
    ['nilai__gt=19.9', ['nilai', 'nama']],
    ['besar__gte=0', ['nilai']],
    ['besar__gte=0&nilai=-0', ['nilai']],
    ['besar__gte=-9223372036854775808', ['besar']],
    ['besar__gte=9007199254740990', ['besar']],
    ['besar__gt=-9007199254740994&besar__lt=9007199254740994', ['besar']],
    ['besar__gte=-10&besar__lte=10', ['besar', 'rasio']],
    ['rasio__gte=-0', ['rasio']],
    ['rasio__lte=0', ['rasio']],
    ['rasio__gte=0.5&rasio__lte=0.5', ['rasio']],
    ['rasio__gte=2&rasio__lte=1', ['rasio', 'nama']],
    ['tanggal__gte=1000-01-01', ['besar', 'rasio', 'nama', 'aktif']],
    ['waktu__gte=2024-01-02&aktif=true', ['rasio', 'nama']],
    ['besar__gt=1000', ['nama', 'rasio']],
    // Facet columns with no value in the window: an empty histogram, a values facet of missing values only.
    ['nilai__isnull=1&besar__gte=0', ['nilai']],
    ['nilai__isnull=1&besar__gte=0', ['nilai', 'rasio']],
    ['nama__isnull=1&rasio__lt=2', ['nama']],
    ['nama__isnull=1&rasio__lt=2', ['nama', 'aktif']],
    // A subset with no rows at all.
    ['grup=Tidak%20ada&besar__gte=0', ['nama']],
    ['grup=Tidak%20ada&besar__gte=0', ['nama', 'besar', 'aktif']],
  ];

  test.each(cases)('%s, facets %j', async (params, columns) => {
    clearRangeSubsets();
    const query = parse(params);
    const expected = await duckFacets(query, columns);
    const got = await memoryFacets(query, columns);
    expect(got, 'answered in memory').not.toBeNull();
    expect(got).toEqual(expected);
    // The facets remember the window's length as the total (rememberTotal): the page's count beside them.
    expect(await countRows(source, query)).toBe(await duckCount(query));
  });
});

describe('date histograms over the edge dates (infinity, years before 1000): in memory, or left to DuckDB', () => {
  const cases: [string, string[]][] = [
    ['besar__gte=-50', ['tanggal']],
    ['besar__gte=-50', ['waktu', 'tanggal']],
    ['tanggal__gte=2024-01-15', ['tanggal', 'nama']],
    ['tanggal__gte=2024-01-01&tanggal__lt=2024-03-01', ['tanggal', 'waktu']],
    ['waktu__gte=2024-01-01 10:00:00.5&waktu__lt=2024-01-03', ['waktu']],
    ['waktu__gt=2023-12-31 23:59:59.999999&waktu__lte=2024-01-02 05:00', ['waktu', 'aktif']],
    ['tanggal__gte=1000-01-01', ['tanggal']],
    ['tanggal__lt=1000-01-02', ['tanggal', 'waktu']],
    ['waktu__gte=1000-01-01', ['waktu']],
    ['grup=Andir&tanggal__gt=1969-12-31', ['tanggal', 'waktu']],
    // Windows that leave the edge dates out, so the histogram of the range column itself is counted in memory.
    ['tanggal__gte=2024-01-15&tanggal__lte=2024-03-01', ['tanggal']],
    ['grup=Regol&tanggal__gt=2024-01-01&tanggal__lt=2024-02-10', ['tanggal', 'aktif']],
    ['waktu__gte=2024-01-01 10:00:00.5&waktu__lt=2024-01-02 05:00', ['waktu', 'nama']],
  ];
  let answered = 0;

  test.each(cases)('%s, facets %j', async (params, columns) => {
    clearRangeSubsets();
    const query = parse(params);
    const expected = await duckFacets(query, columns);
    const got = await memoryFacets(query, columns);
    if (got !== null) {
      answered++;
      expect(got).toEqual(expected);
    }
  });

  test('those whose range stays within the years 1000–9999 were answered in memory', () => {
    expect(answered).toBeGreaterThanOrEqual(4);
  });
});

describe('concurrency', () => {
  test('forty totals at once over a subset being read, each with its own range, equal DuckDB', async () => {
    clearRangeSubsets();
    const rnd = seededRandom(17);
    const queries = Array.from({ length: 40 }, () => parse(`grup=Regol&besar__gte=${Math.floor(rnd() * 100) - 50}&besar__lt=${Math.floor(rnd() * 100)}`));
    await rangeCount(source, queries[0]!); // the first ask: remembered
    const counted = await Promise.all(queries.map((q) => rangeCount(source, q)));
    const expected = await Promise.all(queries.map((q) => duckCount(q)));
    expect(counted).toEqual(expected);
  });

  test('forty first asks at once of a subset nobody asked before: those answered in memory equal DuckDB', async () => {
    clearRangeSubsets();
    const queries = Array.from({ length: 40 }, (_, i) => parse(`grup=Andir&nama__ne=e&tanggal__gte=2024-01-${String(1 + (i % 28)).padStart(2, '0')}`));
    const counted = await Promise.all(queries.map((q) => rangeCount(source, q)));
    expect(counted.filter((n) => n !== null).length).toBeGreaterThan(30);
    for (const [i, q] of queries.entries()) if (counted[i] !== null) expect(counted[i]).toBe(await duckCount(q));
  });

  test('facets at once over one subset being read, with totals beside them', async () => {
    clearRangeSubsets();
    const queries = Array.from({ length: 12 }, (_, i) => parse(`aktif=true&rasio__gte=${(i * 0.2).toFixed(1)}`));
    await rangeFacets(source, profile, queries[0]!, ['nama', 'rasio']);
    const got = await Promise.all(queries.map((q) => rangeFacets(source, profile, q, ['nama', 'rasio'])));
    for (const [i, q] of queries.entries()) expect(got[i], JSON.stringify(q.filters)).toEqual(await duckFacets(q, ['nama', 'rasio']));
  });
});

describe('eviction', () => {
  test('past 500 kept subsets the oldest are dropped, and every answer after that (dropped, kept, read again) is right', async () => {
    clearRangeSubsets();
    const query = (k: number, bound: number) => parse(`id__ne=${k}&besar__gte=${bound}`);
    for (let k = 1; k <= 520; k++) expect(await memoryCount(query(k, 0)), `subset ${k}`).not.toBeNull();
    // The first subsets were dropped: their next ask is DuckDB's again (null here), the ones after are read anew.
    expect(await rangeCount(source, query(1, 5))).toBeNull();
    for (const k of [1, 2, 19, 21, 300, 520]) {
      const q = query(k, k % 40 - 20);
      expect(await memoryCount(q), `subset ${k}`).toBe(await duckCount(q));
    }
  });
});

describe('versions', () => {
  test('a re-published dataset: the new version counted from its own rows, the old one (now read from Parquet) from its own', async () => {
    clearRangeSubsets();
    const query = parse('grup=Andir&besar__gte=0');
    const old = source;
    expect(await memoryCount(query, old)).toBe(await duckCount(query, old));
    const republished = await publish('serangan', csv(4, ROWS + 50), FIELDS);
    expect(republished.source.version).not.toBe(old.version);
    // The table cache now holds the new version only: the old one is read from its Parquet file.
    expect(cachedTable(old.dataset, old.version)).toBeNull();
    const q2 = parse('grup=Andir&besar__gte=0', republished.source);
    const newCount = await memoryCount(q2, republished.source);
    expect(newCount).toBe(await duckCount(q2, republished.source));
    expect(newCount).not.toBe(await duckCount(query, old));
    // The old version's kept subset still answers for the old version, and a fresh one read from Parquet too.
    expect(await rangeCount(old, parse('grup=Andir&besar__gte=10'))).toBe(await duckCount(parse('grup=Andir&besar__gte=10'), old));
    for (const params of ['grup=Coblong&nilai__lt=0', 'grup=Coblong&tanggal__gte=1000-01-01', 'grup=Coblong&waktu__lt=2024-01-01 10:00:00.5']) {
      const q3 = parse(params);
      expect(await memoryCount(q3, old), `${params} (old version, from Parquet)`).toBe(await duckCount(q3, old));
    }
    const fq = parse('aktif=false&besar__gte=-5');
    const onOld = { source: old, profile };
    expect(await memoryFacets(fq, ['nama', 'rasio', 'besar'], onOld)).toEqual(await duckFacets(fq, ['nama', 'rasio', 'besar'], onOld));
    source = republished.source;
    profile = republished.profile;
  });
});

describe('memory', () => {
  test('kept subsets stay within the 64 MB budget when a facet column has long text values', async () => {
    clearRangeSubsets();
    // 1,000 distinct texts of 800 characters: a text facet with few enough values to be answered in memory.
    const lines = ['id,teks,angka'];
    for (let i = 1; i <= 1000; i++) lines.push(`${i},${String(i).padStart(4, '0')}${'x'.repeat(796)},${i % 97}`);
    const long = await publish('panjang', lines, [
      { name: 'id', type: 'integer', title: 'Id' },
      { name: 'teks', type: 'string', title: 'Teks' },
      { name: 'angka', type: 'integer', title: 'Angka' },
    ]);
    expect(long.profile.find((p) => p.name === 'teks')).toMatchObject({ distinct: 1000, distinct_approximate: false });
    // First, the answer: 1,000 values tied at one row each, cut at 30 (DuckDB's single ORDER BY statement, and batched).
    for (const columns of [['teks'], ['teks', 'angka']]) {
      const query = parse('id__ne=500&angka__gte=3&angka__lt=90', long.source);
      expect(await memoryFacets(query, columns, long), columns.join(',')).toEqual(await duckFacets(query, columns, long));
    }
    clearRangeSubsets();
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    // 200 different subsets (one row left out each), each asked twice so it is read and kept.
    for (let k = 1; k <= 200; k++) {
      const query = parse(`id__ne=${k}&angka__gte=0`, long.source);
      expect(await memoryFacets(query, ['teks'], long), `subset ${k}`).not.toBeNull();
    }
    gc();
    const grown = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    clearRangeSubsets();
    gc();
    const freed = grown - (process.memoryUsage().heapUsed - before) / 2 ** 20;
    // What grew is what the subsets held (forgetting them frees it), and it must fit the budget. Each subset keeps
    // its own copy of the 1,000 texts (~1.6 MB as UTF-16): they count, not only its 4 KB of codes (they did not).
    expect(freed, `MB freed by forgetting the subsets, of ${grown.toFixed(1)} MB grown`).toBeGreaterThan(grown * 0.8);
    expect(grown, 'MB kept by 200 facet subsets').toBeLessThan(64 + 16);
  });
});

describe('the real server, subsets on against subsets off', () => {
  const servers: TestServer[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    dirs.forEach((d) => removeDir(d));
  });

  test('rows and facets APIs answer the same, request after request, for the current and a pinned older version', async () => {
    // Two copies of the lake; the catalog index is a cache each server rebuilds (this process holds the original).
    const started = await Promise.all(
      ['on', 'off'].map((mode) => {
        const dir = makeTempDir('kota-range-');
        dirs.push(dir);
        cpSync(project.dataDir, dir, { recursive: true });
        for (const f of readdirSync(dir)) if (f.startsWith('catalog.duckdb')) rmSync(path.join(dir, f));
        return startTestServer({ dataDir: dir, env: { KOTA_ROOT: project.root, KOTA_RANGE_SUBSETS: mode, KOTA_TABLE_CACHE: 'on', KOTA_TABLE_CACHE_MIN_ROWS: '0' } });
      }),
    );
    servers.push(...started);
    const [on, off] = started as [TestServer, TestServer];
    // The version the 'versions' test replaced (the current one when that test did not run).
    const lake = path.join(project.dataDir, 'lake', 'serangan');
    const old = readdirSync(lake, { withFileTypes: true }).find((e) => e.isDirectory() && e.name !== source.version)?.name ?? source.version;
    const requests: string[] = [];
    for (const version of ['', `&version=${old}`]) {
      for (let i = 0; i < 6; i++) {
        requests.push(`/api/v1/datasets/serangan/rows?limit=3&grup=Regol&besar__gte=${i * 7 - 20}${version}`);
        requests.push(`/api/v1/datasets/serangan/rows?limit=3&waktu__lt=2024-01-0${1 + (i % 3)}T12:00${version}`);
        requests.push(`/api/v1/datasets/serangan/facets?_facet=nama&_facet=rasio&aktif=true&nilai__gte=${i * 3 - 9}${version}`);
        requests.push(`/api/v1/datasets/serangan/facets?_facet=aktif&tanggal__gte=2024-01-${String(1 + i * 5).padStart(2, '0')}${version}`);
      }
    }
    let compared = 0;
    for (const url of requests) {
      const [a, b] = await Promise.all([on.get(url), off.get(url)]);
      expect(a.status, `${url}: ${a.text.slice(0, 300)}`).toBe(200);
      // The servers differ in port only: links are compared without their origin.
      expect(JSON.parse(a.text.replaceAll(on.url, '')), url).toEqual(JSON.parse(b.text.replaceAll(off.url, '')));
      compared++;
    }
    expect(compared).toBe(48);
    // The dataset page's facets (and its total) under brushed ranges: the same page, but for per-response tokens.
    const normal = (html: string, server: TestServer) => html.replaceAll(server.url, '').replace(/nonce="[^"]*"/g, '').replace(/name="(csrf|_csrf)[^"]*" value="[^"]*"/g, '').replace(/"csrf[^"]*":"[^"]*"/g, '');
    for (let i = 0; i < 4; i++) {
      const url = `/datasets/serangan?_facet=nama&_facet=rasio&_facet=aktif&grup=Andir&besar__gte=${i * 10 - 20}&besar__lte=40`;
      const [a, b] = await Promise.all([on.get(url), off.get(url)]);
      expect(a.status, url).toBe(200);
      for (const column of ['nama', 'rasio', 'aktif']) expect(a.text, url).toContain(`data-column-facet="${column}"`);
      expect(normal(a.text, on), url).toBe(normal(b.text, off));
    }
  });
});
