import { tableFromIPC } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import { sqlResultToArrow } from '../../src/lib/server/api/arrow.ts';
import { csvText } from '../../src/lib/server/api/csv.ts';
import { apiError, badRequest, intParam, jsonResponse, matchesEtag } from '../../src/lib/server/api/response.ts';
import { problem, type Problem } from '../../src/lib/server/validation/problem.ts';

describe('the error shape', () => {
  test('one problem: its message is the summary; several: a count; in the reader\'s language', async () => {
    const limit = problem('limit', 'problem.param.out_of_range', { name: 'limit', min: 1, max: 1000, value: 0 });
    const one = badRequest([limit], { locale: 'en' });
    expect(one.status).toBe(400);
    expect(one.headers.get('cache-control')).toBe('no-store');
    expect(await one.json()).toEqual({
      error: {
        status: 400,
        code: 'param.out_of_range',
        message: 'limit must be between 1 and 1000, found 0',
        problems: [{ parameter: 'limit', code: 'param.out_of_range', message: 'limit must be between 1 and 1000, found 0' }],
      },
    });
    expect((await badRequest([limit], { locale: 'id' }).json()).error.message).toBe('limit harus antara 1 dan 1000, ditemukan 0');
    const two = badRequest([limit, problem('fields', 'problem.filter.unknown_fields', { columns: 'x' })], { cors: true, locale: 'en' });
    expect((await two.json()).error).toMatchObject({ code: 'invalid_parameters', message: '2 problems with the request parameters' });
    expect(two.headers.get('access-control-allow-origin')).toBe('*');
    expect(await apiError(404, 'apierror.not_found_dataset', { id: 'x' }, { locale: 'en' }).json()).toEqual({
      error: { status: 404, code: 'not_found_dataset', message: 'no public dataset "x"; GET /api/v1/datasets lists them' },
    });
  });

  test('intParam explains a wrong value and keeps the fallback', () => {
    const problems: Problem[] = [];
    const spec = { fallback: 100, min: 1, max: 1000 };
    expect(intParam(new URLSearchParams('limit=50'), 'limit', spec, problems)).toBe(50);
    expect(intParam(new URLSearchParams(''), 'limit', spec, problems)).toBe(100);
    expect(intParam(new URLSearchParams('limit=-1'), 'limit', spec, problems)).toBe(100);
    expect(intParam(new URLSearchParams('limit=1001'), 'limit', spec, problems)).toBe(100);
    expect(intParam(new URLSearchParams('limit=1e3'), 'limit', spec, problems)).toBe(100);
    expect(problems.map((p) => p.message)).toEqual([
      'limit must be a whole number between 1 and 1000, found "-1"',
      'limit must be between 1 and 1000, found 1001',
      'limit must be a whole number between 1 and 1000, found "1e3"',
    ]);
  });
});

describe('ETags', () => {
  test('a 200 carries a strong ETag; the same ETag (or a weak form, or *) gets a 304', () => {
    const first = jsonResponse({ a: 1 });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = (inm: string) => jsonResponse({ a: 1 }, { request: new Request('http://x/', { headers: { 'if-none-match': inm } }) }).status;
    expect(again(etag)).toBe(304);
    expect(again(`"other", W/${etag}`)).toBe(304);
    expect(again('*')).toBe(304);
    expect(again('"other"')).toBe(200);
    expect(matchesEtag(null, etag)).toBe(false);
    expect(jsonResponse({ a: 1 }, { cache: 'none' }).headers.get('etag')).toBeNull();
  });
});

describe('SQL results as CSV and Arrow', () => {
  test('CSV quotes commas, quotes and newlines; null is empty; objects are JSON', () => {
    expect(csvText(['a', 'b'], [{ a: 'x,y', b: 'say "hi"' }, { a: 'two\nlines', b: null }, { a: { k: 1 }, b: 3 }])).toBe(
      'a,b\r\n"x,y","say ""hi"""\r\n"two\nlines",\r\n"{""k"":1}",3\r\n',
    );
  });

  test('Arrow types follow the DuckDB column types, not inference', () => {
    const columns = [
      { name: 'n', type: 'BIGINT' },
      { name: 'i', type: 'INTEGER' },
      { name: 'big', type: 'HUGEINT' },
      { name: 'd', type: 'DECIMAL(10,2)' },
      { name: 'day', type: 'DATE' },
      { name: 'ts', type: 'TIMESTAMP' },
      { name: 'tz', type: 'TIMESTAMP WITH TIME ZONE' },
      { name: 'ok', type: 'BOOLEAN' },
      { name: 's', type: 'STRUCT("a" INTEGER)' },
      { name: '1', type: 'VARCHAR' },
    ];
    const rows = [
      { n: '9007199254740993', i: 2, big: '170141183460469231731687303715884105727', d: '1.50', day: '2024-01-02', ts: '2024-01-02 03:04:05.123456', tz: '2024-01-01 20:04:05+00', ok: true, s: { a: 1 }, '1': 'x' },
      { n: null, i: null, big: null, d: null, day: null, ts: null, tz: null, ok: null, s: null, '1': null },
    ];
    const table = tableFromIPC(sqlResultToArrow(columns, rows));
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'n:Int64',
      'i:Int32',
      'big:Utf8',
      'd:Float64',
      'day:Date32<DAY>',
      'ts:Timestamp<MICROSECOND>',
      'tz:Timestamp<MICROSECOND>',
      'ok:Bool',
      's:Utf8',
      '1:Utf8',
    ]);
    const [first, second] = table.toArray().map((r) => r.toJSON());
    expect(first).toEqual({
      n: 9007199254740993n,
      i: 2,
      big: '170141183460469231731687303715884105727',
      d: 1.5,
      day: Date.parse('2024-01-02'),
      ts: expect.anything(),
      tz: expect.anything(),
      ok: true,
      s: '{"a":1}',
      '1': 'x',
    });
    // Microsecond precision survives: read the raw values of the timestamp vectors.
    expect(table.getChild('ts')!.data[0]!.values[0]).toBe(BigInt(Date.parse('2024-01-02T03:04:05Z')) * 1000n + 123456n);
    expect(table.getChild('tz')!.data[0]!.values[0]).toBe(BigInt(Date.parse('2024-01-01T20:04:05Z')) * 1000n);
    expect(Object.values(second!).every((v) => v === null)).toBe(true);
    expect(tableFromIPC(sqlResultToArrow(columns, [])).numRows).toBe(0);
  });
});
