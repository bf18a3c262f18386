import { beforeAll, describe, expect, test } from 'vitest';
import { readCurrent } from '../../src/lib/server/lake/read.ts';
import { problemText } from '../../src/lib/server/validation/problem.ts';
import { parseRowQuery, queryToParams } from '../../src/lib/server/query/filters.ts';
import { queryRows, RowQueryError, type RowSource } from '../../src/lib/server/query/rows.ts';
import { baseSpec, createProject } from '../helpers/pipeline-project.ts';

const fields = [
  { name: 'kecamatan', type: 'string', title: 'Kecamatan' },
  { name: 'jumlah', type: 'integer', title: 'Jumlah' },
  { name: 'rasio', type: 'number', title: 'Rasio' },
  { name: 'tanggal', type: 'date', title: 'Tanggal' },
];
let source: RowSource;

beforeAll(async () => {
  const project = createProject();
  const lines = ['kecamatan,jumlah,rasio,tanggal'];
  const names = ['Andir', 'Cibiru', 'Coblong', 'Regol', 'Sukajadi'];
  for (let i = 0; i < 25; i++) lines.push(`${names[i % 5]},${i % 7 === 0 ? '' : i * 10},${(i / 4).toFixed(2)},2024-01-${String(1 + i).padStart(2, '0')}`);
  project.writeFile('datasets/data.csv', lines.join('\n'));
  project.addPipeline('uji-rows', baseSpec({ schema: { primary_key: [], fields } }));
  expect((await project.run('uji-rows')).exitCode).toBe(0);
  source = { dataset: 'uji-rows', version: (await readCurrent('uji-rows'))!.version, fields: fields as RowSource['fields'] };
});

function parse(qs: string) {
  const { query, problems } = parseRowQuery(new URLSearchParams(qs), source.fields);
  expect(problems).toEqual([]);
  return query;
}

describe('row queries over a published version', () => {
  test('filters bind values and count exactly', async () => {
    const page = await queryRows(source, parse('kecamatan=Andir&jumlah__gte=50'), { limit: 100 });
    expect(page.rows.map((r) => r.jumlah)).toEqual([50, 100, 150, 200]);
    expect(page.total).toBe(4);
    expect(page.next).toBeNull();
  });

  test('in, contains, isnull and date ranges', async () => {
    expect((await queryRows(source, parse('kecamatan__in=Regol,Cibiru'), { limit: 100 })).total).toBe(10);
    expect((await queryRows(source, parse('kecamatan__contains=OBL'), { limit: 100 })).total).toBe(5);
    expect((await queryRows(source, parse('jumlah__isnull=1'), { limit: 100 })).rows.map((r) => r.tanggal)).toEqual(['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22']);
    expect((await queryRows(source, parse('tanggal__gte=2024-01-20&tanggal__lt=2024-01-23'), { limit: 100 })).total).toBe(3);
  });

  test('a value that injects SQL is only ever a value', async () => {
    const page = await queryRows(source, parse("kecamatan=Andir' OR '1'='1"), { limit: 100 });
    expect(page.total).toBe(0);
  });

  test('keyset paging visits every row exactly once, in sort order, nulls last', async () => {
    for (const sort of ['', '_sort=jumlah', '_sort=-jumlah', '_sort=kecamatan']) {
      const query = parse(sort);
      const seen: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page = await queryRows(source, query, { limit: 4, cursor });
        seen.push(...page.rows.map((r) => r.tanggal));
        cursor = page.next;
      } while (cursor);
      expect(seen).toHaveLength(25);
      expect(new Set(seen).size).toBe(25);
      if (sort === '_sort=-jumlah') {
        const all = await queryRows(source, query, { limit: 1000 });
        expect(all.rows.map((r) => r.tanggal)).toEqual(seen);
        expect(all.rows.at(-1)!.jumlah).toBeNull();
        expect(all.rows[0]!.jumlah).toBe(240);
      }
    }
  });

  test('a cursor made for another sort is refused', async () => {
    const first = await queryRows(source, parse('_sort=jumlah'), { limit: 2 });
    await expect(queryRows(source, parse('_sort=-jumlah'), { limit: 2, cursor: first.next })).rejects.toThrow(RowQueryError);
    await expect(queryRows(source, parse(''), { limit: 2, cursor: 'garbage' })).rejects.toThrow(/not a cursor/);
  });

  test('crafted cursors and out-of-range values are refused as bad requests, not server errors', async () => {
    const { encodeCursor } = await import('../../src/lib/server/query/cursor.ts');
    await expect(queryRows(source, parse(''), { limit: 2, cursor: encodeCursor({ s: '', r: 1e308 }) })).rejects.toThrow(RowQueryError);
    await expect(queryRows(source, parse('_sort=jumlah'), { limit: 2, cursor: encodeCursor({ s: 'jumlah', v: 'banyak', r: 3 }) })).rejects.toThrow(RowQueryError);
    const { problems } = parseRowQuery(new URLSearchParams('jumlah__gt=99999999999999999999999'), source.fields);
    expect(problems[0]!.message).toContain('between -9223372036854775808 and 9223372036854775807');
  });

  test('bad parameters are explained', () => {
    const { problems } = parseRowQuery(new URLSearchParams('jumlah__gte=banyak&warna=biru&kecamatan__like=x&_sort=zzz&fields=kecamatan,zz'), source.fields);
    expect(problems.map(({ parameter, message }) => ({ parameter, message }))).toEqual([
      { parameter: 'jumlah__gte', message: 'column "jumlah" is integer: expected a whole number, found "banyak"' },
      { parameter: 'warna', message: 'unknown column "warna"; columns are: kecamatan, jumlah, rasio, tanggal' },
      { parameter: 'kecamatan__like', message: 'unknown operator "like"; expected one of eq, ne, gt, gte, lt, lte, in, contains, startswith, isnull, notnull' },
      { parameter: '_sort', message: 'cannot sort by unknown column "zzz"' },
      { parameter: 'fields', message: 'unknown column(s): zz' },
    ]);
    // Each says it again in Indonesian, the default language of pages and the API.
    expect(problemText(problems[0]!, 'id')).toBe('kolom "jumlah" bertipe integer: diharapkan bilangan bulat, ditemukan "banyak"');
  });

  test.each([
    ['tanggal=2024-02-31', 'tanggal', '2024-02-31', 'date'],
    ['tanggal__gte=2023-02-29', 'tanggal__gte', '2023-02-29', 'date'],
    ['tanggal__in=2024-01-01,2024-13-01', 'tanggal__in', '2024-13-01', 'date'],
    ['tanggal__lt=2024-04-31', 'tanggal__lt', '2024-04-31', 'date'],
  ])('an impossible date (%s) is a problem naming the column and value, not a failure inside DuckDB', (qs, parameter, value, type) => {
    const { problems } = parseRowQuery(new URLSearchParams(qs), source.fields);
    expect(problems.map(({ parameter, message }) => ({ parameter, message }))).toEqual([{ parameter, message: `column "tanggal" is ${type}: "${value}" is not a real date` }]);
  });

  test('real dates pass, leap days included', () => {
    expect(parseRowQuery(new URLSearchParams('tanggal=2024-02-29&tanggal__lt=2000-02-29'), source.fields).problems).toEqual([]);
  });

  test('a query round-trips through URL parameters', () => {
    const query = parse('kecamatan__in=Andir,Regol&jumlah__gte=10&q=and&_sort=-jumlah&fields=kecamatan,jumlah');
    expect(parse(queryToParams(query).toString())).toEqual(query);
  });
});

describe('rows written as JSON text by DuckDB', () => {
  test('hold the values the JS conversion gave: unsafe whole numbers as strings, text escaped, dates and times as text', async () => {
    const project = createProject();
    const kinds = [
      { name: 'n', type: 'integer', title: 'N' },
      { name: 'x', type: 'number', title: 'X' },
      { name: 'teks', type: 'string', title: 'Teks' },
      { name: 'ya', type: 'boolean', title: 'Ya' },
      { name: 'hari', type: 'date', title: 'Hari' },
      { name: 'waktu', type: 'datetime', title: 'Waktu' },
    ];
    project.writeFile(
      'datasets/data.csv',
      [
        'n,x,teks,ya,hari,waktu',
        '9007199254740991,0.1,"kata ""kutip"" \\ ☃",true,2024-02-29,2024-02-29 13:45:00',
        '9007199254740993,-2.5,"dua',
        'baris",false,0001-01-01,2025-01-02 03:04:05.5',
        '-9223372036854775808,100000,,,,',
      ].join('\n'),
    );
    project.addPipeline('uji-json', baseSpec({ schema: { primary_key: [], fields: kinds } }));
    expect((await project.run('uji-json')).exitCode).toBe(0);
    const json = { dataset: 'uji-json', version: (await readCurrent('uji-json'))!.version, fields: kinds as RowSource['fields'] };
    const page = await queryRows(json, { filters: [], sort: null, q: null, fields: null }, { limit: 10 });
    expect(page.rows).toEqual([
      { n: 9007199254740991, x: 0.1, teks: 'kata "kutip" \\ ☃', ya: true, hari: '2024-02-29', waktu: '2024-02-29 13:45:00' },
      { n: '9007199254740993', x: -2.5, teks: 'dua\nbaris', ya: false, hari: '0001-01-01', waktu: '2025-01-02 03:04:05.5' },
      { n: '-9223372036854775808', x: 100000, teks: null, ya: null, hari: null, waktu: null },
    ]);
    expect(JSON.parse(page.rowsJson)).toEqual(page.rows);
    // A column named twice is one key, as it was when rows were JS objects.
    const twice = await queryRows(json, { filters: [], sort: null, q: null, fields: ['teks', 'teks', 'n'] }, { limit: 1 });
    expect(twice.columns).toEqual(['teks', 'n']);
    expect(twice.rows).toEqual([{ teks: 'kata "kutip" \\ ☃', n: 9007199254740991 }]);
  });
});
