import { beforeAll, describe, expect, test } from 'vitest';
import { versionDataPath } from '../../src/lib/server/lake/read.ts';
import { parseRowQuery, type RowQuery } from '../../src/lib/server/query/filters.ts';
import type { ColumnProfile } from '../../src/lib/server/lake/manifest.ts';
import { computeFacets } from '../../src/lib/server/query/facets.ts';
import { rangeCount } from '../../src/lib/server/query/range-count.ts';
import { rangeFacets } from '../../src/lib/server/query/range-facets.ts';
import { clearRangeSubsets, exactBound, rangeSubset } from '../../src/lib/server/query/range-subset.ts';
import { countRows, queryRows, type RowSource } from '../../src/lib/server/query/rows.ts';
import { publishQueryFixture } from '../helpers/query-fixture.ts';
import { seededRandom } from '../helpers/random.ts';
import { queryDirect } from '../helpers/read-parquet.ts';

/**
 * Totals of "other filters + a range on one column" counted in memory (query/range-count.ts) must equal DuckDB's
 * count on the lake file, value for value: at the edges of the range, on ties, with nulls, NaN and infinities,
 * whole numbers beyond 2^53, dates and timestamps with fractions of a second.
 */
const GROUPS = ['Andir', 'Coblong', 'Regol'];
const ROWS = 3000;
let source: RowSource;
let profile: ColumnProfile[];
let file: string;

beforeAll(async () => {
  const rnd = seededRandom(11);
  const lines = ['id,grup,besar,nilai,tanggal,waktu,aktif,kode,ukuran,rasio'];
  const specialNumbers = ['NaN', 'inf', '-inf', '-0.0', '0', '', '1e-300'];
  const bigs = ['9007199254740993', '9007199254740992', '-9223372036854775808', '9223372036854775807', ''];
  for (let i = 1; i <= ROWS; i++) {
    const besar = rnd() < 0.03 ? bigs[Math.floor(rnd() * bigs.length)]! : String(Math.floor(rnd() * 200) - 100);
    const nilai = rnd() < 0.05 ? specialNumbers[Math.floor(rnd() * specialNumbers.length)]! : (rnd() * 50 - 25).toFixed(2);
    const day = new Date(Date.UTC(2023, 11, 25) + Math.floor(rnd() * 20) * 86_400_000).toISOString().slice(0, 10);
    const micros = String(Math.floor(rnd() * 1_000_000)).padStart(6, '0');
    const waktu = rnd() < 0.04 ? '' : `${day} ${String(Math.floor(rnd() * 24)).padStart(2, '0')}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:${rnd() < 0.5 ? '00' : '30'}${rnd() < 0.5 ? `.${micros}` : ''}`;
    // 40 codes, skewed so counts differ and tie: a value facet longer than its 30 listed values.
    const kode = rnd() < 0.03 ? '' : `K${String(1 + Math.floor(40 * rnd() ** 2)).padStart(2, '0')}`;
    const aktif = rnd() < 0.05 ? '' : String(rnd() < 0.5);
    const ukuran = rnd() < 0.04 ? '' : rnd() < 0.02 ? '-0.0' : (rnd() * 10).toFixed(3);
    // NaN without infinities beside it: the histogram's range is then DuckDB's (NaN is the max), not JavaScript's.
    const rasio = rnd() < 0.01 ? 'NaN' : rnd() < 0.03 ? '' : (rnd() * 3).toFixed(2);
    lines.push(`${i},${GROUPS[Math.floor(rnd() * GROUPS.length)]},${besar},${nilai},${rnd() < 0.03 ? '' : day},${waktu},${aktif},${kode},${ukuran},${rasio}`);
  }
  const fields = [
    { name: 'id', type: 'integer', title: 'Id' },
    { name: 'grup', type: 'string', title: 'Grup' },
    { name: 'besar', type: 'integer', title: 'Besar' },
    { name: 'nilai', type: 'number', title: 'Nilai' },
    { name: 'tanggal', type: 'date', title: 'Tanggal' },
    { name: 'waktu', type: 'datetime', title: 'Waktu' },
    { name: 'aktif', type: 'boolean', title: 'Aktif' },
    { name: 'kode', type: 'string', title: 'Kode' },
    { name: 'ukuran', type: 'number', title: 'Ukuran' },
    { name: 'rasio', type: 'number', title: 'Rasio' },
  ];
  const published = await publishQueryFixture('rentang', lines, fields, { sortBy: 'grup', tableCache: true });
  source = published.source;
  profile = published.manifest.profile ?? [];
  file = versionDataPath(source.dataset, source.version);
});

function parse(params: string): RowQuery {
  const { query, problems } = parseRowQuery(new URLSearchParams(params), source.fields);
  expect(problems).toEqual([]);
  return query;
}

/** The facet test's filters in plain SQL, written apart from filters.ts. */
function sqlOf(params: string): string {
  const ops = { gte: '>=', gt: '>', lte: '<=', lt: '<' } as const;
  const others: Record<string, string> = {
    'grup=Coblong': "grup = 'Coblong'",
    'grup__in=Andir,Regol': "grup IN ('Andir', 'Regol')",
    'aktif=true': 'aktif',
    'kode__isnull=1': 'kode IS NULL',
    'kode__ne=K01': "kode IS DISTINCT FROM 'K01'",
    'q=K1': "concat_ws(' ', grup, kode) ILIKE '%K1%'",
  };
  return params
    .split('&')
    .map((part) => {
      if (others[part]) return others[part];
      const [, column, op, value] = /^(\w+)__(gte|gt|lte|lt)=(.+)$/.exec(part)!;
      const literal = column === 'tanggal' ? `DATE '${value}'` : column === 'waktu' ? `TIMESTAMP '${value}'` : value;
      return `${column} ${ops[op as keyof typeof ops]} ${literal}`;
    })
    .join(' AND ');
}

/** DuckDB's own count on the lake file, with the bounds written as typed literals. */
async function direct(where: string): Promise<number> {
  const [row] = (await queryDirect(`SELECT count(*) AS n FROM read_parquet('${file}') WHERE ${where}`)) as [{ n: string }];
  return Number(row.n);
}

describe('range totals counted in memory equal DuckDB', () => {
  test('the fixture holds the edge values (NaN, infinities, -0, nulls, integers beyond 2^53, fractions of a second)', async () => {
    expect(await direct(`isnan(nilai)`)).toBeGreaterThan(0);
    expect(await direct(`nilai = 'inf'::DOUBLE`)).toBeGreaterThan(0);
    expect(await direct(`nilai IS NULL`)).toBeGreaterThan(0);
    expect(await direct(`besar = 9007199254740993`)).toBeGreaterThan(0);
    expect(await direct(`besar = -9223372036854775808`)).toBeGreaterThan(0);
    expect(await direct(`microsecond(waktu) % 1000000 <> 0`)).toBeGreaterThan(0);
  });

  test('random ranges, alone and with other filters, on whole numbers, numbers, dates and timestamps', async () => {
    clearRangeSubsets();
    const rnd = seededRandom(5);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const ops = ['gt', 'gte', 'lt', 'lte'] as const;
    const sqlOp = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
    const columns = {
      besar: () => pick([String(Math.floor(rnd() * 220) - 110), '9007199254740992', '9007199254740993', '-9223372036854775808', '9223372036854775807', '+7', '007']),
      nilai: () => pick([(rnd() * 60 - 30).toFixed(2), '0', '-0.0', '1e-300', '25', '.5', '3.', '1e1']),
      tanggal: () => `2023-12-${String(25 + Math.floor(rnd() * 7)).padStart(2, '0')}`,
      waktu: () => pick(['2023-12-28', '2023-12-28 10:15', '2023-12-30T23:59:30', '2024-01-02 12:00:30.5', '2024-01-03 07:07:00.000001']),
    } as const;
    const literal = (column: keyof typeof columns, v: string) =>
      column === 'tanggal' ? `DATE '${v}'` : column === 'waktu' ? `TIMESTAMP '${v.replace('T', ' ')}'` : column === 'nilai' ? `CAST('${v}' AS DOUBLE)` : `CAST('${v}' AS BIGINT)`;
    let answeredInMemory = 0;
    for (let round = 0; round < 160; round++) {
      const column = pick(Object.keys(columns) as (keyof typeof columns)[]);
      const bounds = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => ({ op: pick([...ops]), value: columns[column]() }));
      const others = pick(['', 'grup=Coblong', 'grup__in=Andir,Regol', 'grup__ne=Regol', 'besar__isnull=1', 'tanggal__notnull=1', 'q=K1', 'q=bl&grup__ne=Andir']);
      const params = [...bounds.map((b) => `${column}__${b.op}=${encodeURIComponent(b.value)}`), ...(others ? [others] : [])].join('&');
      const query = parse(params);
      const sqlOthers = others
        .replace('grup=Coblong', "grup = 'Coblong'")
        .replace('grup__in=Andir,Regol', "grup IN ('Andir', 'Regol')")
        .replace('grup__ne=Regol', "grup IS DISTINCT FROM 'Regol'")
        .replace('besar__isnull=1', 'besar IS NULL')
        .replace('tanggal__notnull=1', 'tanggal IS NOT NULL')
        // q: any text column contains it, case-insensitively (the text columns: grup and kode).
        .replace(/q=(\w+)/, (_, text: string) => `concat_ws(' ', grup, kode) ILIKE '%${text}%'`)
        .replace('&grup__ne=Andir', " AND grup IS DISTINCT FROM 'Andir'");
      const where = [...bounds.map((b) => `${column} ${sqlOp[b.op]} ${literal(column, b.value)}`), ...(sqlOthers ? [sqlOthers] : [])].join(' AND ');
      const expected = await direct(where);
      // Asked twice: the first ask of a subset is DuckDB's, the next ones are counted in memory.
      for (let ask = 0; ask < 2; ask++) {
        const counted = await rangeCount(source, query);
        if (counted !== null) {
          answeredInMemory++;
          expect(counted, `${params} (${where})`).toBe(expected);
        }
      }
      expect(await countRows(source, query), `${params} (${where})`).toBe(expected);
    }
    // Most of them were answered in memory, so the comparison above is a comparison of the in-memory counts.
    expect(answeredInMemory).toBeGreaterThan(250);
  });

  test('a page of rows carries the same total whether it was counted by DuckDB or in memory', async () => {
    clearRangeSubsets();
    const first = await queryRows(source, parse('grup=Andir&besar__gte=-50'), { limit: 5 });
    const second = await queryRows(source, parse('grup=Andir&besar__gte=-40'), { limit: 5 });
    const third = await queryRows(source, parse('grup=Andir&besar__gte=-30&besar__lt=60'), { limit: 5 });
    expect(first.total).toBe(await direct(`grup = 'Andir' AND besar >= -50`));
    expect(second.total).toBe(await direct(`grup = 'Andir' AND besar >= -40`));
    expect(third.total).toBe(await direct(`grup = 'Andir' AND besar >= -30 AND besar < 60`));
    expect(await rangeCount(source, parse('grup=Andir&besar__gt=0'))).toBe(await direct(`grup = 'Andir' AND besar > 0`));
  });

  test('a text search beside a range chooses the subset like any other filter', async () => {
    clearRangeSubsets();
    const asked = [-80, -40, 0, 40].map((b) => `q=bl&besar__gte=${b}`);
    const answers: (number | null)[] = [];
    for (const params of asked) answers.push(await rangeCount(source, parse(params)));
    const expected = await Promise.all([-80, -40, 0, 40].map((b) => direct(`concat_ws(' ', grup, kode) ILIKE '%bl%' AND besar >= ${b}`)));
    // The first ask is DuckDB's; the next ones are counted in memory, over the rows that match the search.
    expect(answers).toEqual([null, ...expected.slice(1)]);
    expect(expected[1]).toBeGreaterThan(0);
  });

  test('filters it cannot count exactly are left to DuckDB', async () => {
    clearRangeSubsets();
    for (const params of ['grup=Andir', 'grup__gte=B', 'tanggal__gte=0999-01-01', 'tanggal__gte=0999-01-01&grup=Andir', 'q=K1&grup__gte=B']) {
      const query = parse(params);
      expect(await rangeCount(source, query), params).toBeNull();
      expect(await rangeCount(source, query), `${params}, asked again`).toBeNull();
    }
  });

  test('bounds are the values DuckDB casts the same text to', () => {
    expect(exactBound('integer', '+7')).toBe(7n);
    expect(exactBound('integer', '-9223372036854775808')).toBe(-9223372036854775808n);
    expect(exactBound('number', '.5')).toBe(0.5);
    expect(exactBound('number', '1e400')).toBeNull();
    expect(exactBound('date', '1970-01-02')).toBe(1);
    expect(exactBound('date', '2024-02-30')).toBeNull();
    expect(exactBound('datetime', '1970-01-01 00:00:01.5')).toBe(1_500_000n);
    expect(exactBound('datetime', '1970-01-02T00:01')).toBe(86_460_000_000n);
    expect(exactBound('datetime', '1970-01-01 00:00:00.1234567')).toBeNull();
  });

  test('facets of a range counted in memory equal the DuckDB queries: top values, missing values, truncation, histograms', async () => {
    const rnd = seededRandom(9);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    let compared = 0;
    let binsCompared = 0;
    let truncated = 0;
    const units = new Set<string>();
    for (let round = 0; round < 90; round++) {
      const params = [
        pick([
          `tanggal__gte=2023-12-${String(25 + Math.floor(rnd() * 6)).padStart(2, '0')}`,
          // A window under two days: hourly bins for the date-times.
          `waktu__gte=2023-12-28 ${String(Math.floor(rnd() * 24)).padStart(2, '0')}:30&waktu__lt=2023-12-30 00:00`,
          `waktu__gt=2024-01-02 12:00:30.5`,
          `besar__gte=${Math.floor(rnd() * 200) - 100}`, `rasio__lte=${(rnd() * 3).toFixed(2)}`, `ukuran__lt=${(rnd() * 10).toFixed(2)}`, `ukuran__gte=${(rnd() * 5).toFixed(1)}&ukuran__lte=${(5 + rnd() * 5).toFixed(1)}`, `nilai__gt=${(rnd() * 40 - 20).toFixed(1)}`]),
        ...(rnd() < 0.6 ? [pick(['grup=Coblong', 'grup__in=Andir,Regol', 'aktif=true', 'kode__isnull=1', 'kode__ne=K01', 'q=K1'])] : []),
      ].join('&');
      const query = parse(params);
      const columns = pick([['grup', 'aktif', 'kode', 'ukuran', 'besar'], ['kode', 'ukuran'], ['nilai', 'aktif'], ['rasio', 'grup'], ['tanggal', 'grup'], ['waktu', 'kode', 'tanggal']]);
      clearRangeSubsets();
      // First ask of the subset: DuckDB's statements (range scan and batch) answer; the next ask reads the subset.
      const byDuckDB = await computeFacets(source, profile, query, columns);
      const inMemory = await rangeFacets(source, profile, query, columns);
      expect(inMemory, params).not.toBeNull();
      expect(inMemory, `${params}: ${columns.join(',')}`).toEqual(byDuckDB);
      expect(await countRows(source, query), params).toBe(await direct(sqlOf(params)));
      compared++;
      for (const facet of byDuckDB) {
        if (facet.kind === 'values') {
          if (facet.truncated) truncated++;
          continue;
        }
        binsCompared += facet.bins.length;
        if (facet.unit && facet.bins.length > 0) units.add(facet.unit);
      }
    }
    expect(compared).toBe(90);
    // Histograms with bins were among them (not only empty ones), and a truncated value facet.
    expect(binsCompared).toBeGreaterThan(200);
    expect(truncated).toBeGreaterThan(0);
    // Date histograms by day and date-time histograms by hour were compared too.
    expect([...units].sort()).toEqual(['day', 'hour']);
  });

  test('facets it cannot count exactly (no range, a bound it cannot convert) are left to DuckDB', async () => {
    clearRangeSubsets();
    for (const [params, columns] of [['grup=Andir', ['kode']], ['tanggal__gte=0999-01-01', ['kode']]] as const) {
      expect(await rangeFacets(source, profile, parse(params), [...columns]), params).toBeNull();
      expect(await rangeFacets(source, profile, parse(params), [...columns]), `${params}, asked again`).toBeNull();
    }
  });

  test('a subset whose read fails (its time limit, an interrupted connection) is left to DuckDB, and not read again', async () => {
    clearRangeSubsets();
    let reads = 0;
    const failing = async () => {
      reads++;
      throw new Error('query stopped after 1000 ms');
    };
    const query = parse('besar__gte=1');
    expect(await rangeSubset(source, query, 'failing', failing)).toBeNull(); // first ask: not read
    expect(await rangeSubset(source, query, 'failing', failing)).toBeNull(); // second ask: read, failed, answered by DuckDB
    expect(await rangeSubset(source, query, 'failing', failing)).toBeNull();
    expect(reads).toBe(1);
  });

  test('two ranges brushed one after the other: the range that moves is counted over the subset the other one keeps', async () => {
    clearRangeSubsets();
    const answered = { count: 0, facets: 0 };
    const series = [
      // besar moves while ukuran stays, then ukuran moves while besar stays.
      ...[-60, -30, 0, 30, 60].map((b) => `ukuran__lt=6&besar__gte=${b}`),
      ...['2', '4', '6', '8'].map((u) => `besar__gte=0&ukuran__lt=${u}`),
      ...['2023-12-27', '2023-12-30', '2024-01-02'].map((d) => `grup=Regol&ukuran__gte=3&tanggal__gte=${d}`),
    ];
    for (const params of series) {
      const query = parse(params);
      const where = params.split('&').map((part) => {
        const [, column, op, value] = /^([a-z]+)(?:__(gte|lt))?=(.+)$/.exec(part)!;
        const literal = column === 'tanggal' ? `DATE '${value}'` : column === 'grup' ? `'${value}'` : value;
        return `${column} ${op === 'gte' ? '>=' : op === 'lt' ? '<' : '='} ${literal}`;
      });
      const expected = await direct(where.join(' AND '));
      for (let ask = 0; ask < 2; ask++) {
        const counted = await rangeCount(source, query);
        if (counted !== null) {
          answered.count++;
          expect(counted, params).toBe(expected);
        }
      }
      // The same facets from DuckDB's statements: with the range subsets turned off.
      process.env.KOTA_RANGE_SUBSETS = 'off';
      const byDuckDB = await computeFacets(source, profile, query, ['kode', 'ukuran']);
      delete process.env.KOTA_RANGE_SUBSETS;
      for (let ask = 0; ask < 2; ask++) {
        const facets = await rangeFacets(source, profile, query, ['kode', 'ukuran']);
        if (facets) {
          answered.facets++;
          expect(facets, params).toEqual(byDuckDB);
        }
      }
    }
    // Every ask after the first of each series was answered in memory (the first ask of a series is DuckDB's).
    expect(answered.count).toBe(series.length * 2 - 3);
    expect(answered.facets).toBe(series.length * 2 - 3);
  });

  // Last: it publishes a dataset of its own, in a project of its own (the lake above is no longer the current one).
  test('date and date-time histograms by hour, day, month and year, before 1970 too, equal the DuckDB statements', async () => {
    const rnd = seededRandom(21);
    const lines = ['id,grup,angka,tanggal,waktu'];
    for (let i = 1; i <= 1500; i++) {
      // 1962–2031: years, months and days on both sides of 1970; fractions of a second on the timestamps.
      const ms = Date.UTC(1962, 0, 1) + Math.floor(rnd() * 70 * 365.25 * 86_400_000);
      const fraction = String(Math.floor(rnd() * 1_000_000)).padStart(6, '0');
      const waktu = `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}.${fraction}`;
      lines.push(`${i},${GROUPS[i % 3]},${Math.floor(rnd() * 100)},${rnd() < 0.05 ? '' : new Date(ms).toISOString().slice(0, 10)},${rnd() < 0.05 ? '' : waktu}`);
    }
    // Half a millisecond before an hour, a day and a year begin, before 1970: rounded towards zero it would change bin.
    lines.push('1501,Andir,50,1969-12-31,1969-12-31 23:59:59.999500', '1502,Andir,50,1969-12-31,1969-12-31 21:59:59.9995', '1503,Andir,50,1969-12-31,1969-12-31 22:30:00');
    const published = await publishQueryFixture('tahunan', lines, [
      { name: 'id', type: 'integer', title: 'Id' },
      { name: 'grup', type: 'string', title: 'Grup' },
      { name: 'angka', type: 'integer', title: 'Angka' },
      { name: 'tanggal', type: 'date', title: 'Tanggal' },
      { name: 'waktu', type: 'datetime', title: 'Waktu' },
    ], { sortBy: 'grup', tableCache: true });
    const yearly = { source: published.source, profile: published.manifest.profile ?? [] };
    const units = new Set<string>();
    for (const params of ['angka__gte=10', 'grup=Regol&angka__lt=70', 'tanggal__gte=1966-03-01&tanggal__lt=1971-02-01', 'waktu__gte=1968-06-01 00:00&waktu__lte=1973-01-01', 'waktu__gt=1969-12-31 12:00&waktu__lt=1970-01-01 04:00', 'waktu__gte=1969-12-31 21:59:59.9995&waktu__lt=1970-01-01 04:00', 'tanggal__gte=1969-11-15&tanggal__lte=1970-02-10']) {
      const { query, problems } = parseRowQuery(new URLSearchParams(params), yearly.source.fields);
      expect(problems).toEqual([]);
      clearRangeSubsets();
      const byDuckDB = await computeFacets(yearly.source, yearly.profile, query, ['tanggal', 'waktu', 'grup']);
      const inMemory = await rangeFacets(yearly.source, yearly.profile, query, ['tanggal', 'waktu', 'grup']);
      expect(inMemory, params).toEqual(byDuckDB);
      for (const facet of byDuckDB) if (facet.kind === 'histogram' && facet.unit && facet.bins.some((b) => b.count > 0)) units.add(facet.unit);
    }
    expect([...units].sort()).toEqual(['day', 'hour', 'month', 'year']);
  });
});
