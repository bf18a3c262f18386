import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, test } from 'vitest';
import { rowsAsJson } from '../../src/lib/server/query/row-json.ts';

/**
 * The rows API writes each row's JSON from DuckDB's result vectors (row-json.ts) instead of asking DuckDB for
 * `to_json`: the values must stay those DuckDB's JSON held, edge cases included. Expected values come from DuckDB
 * itself on the same rows, with the rules the API always applied on top (unsafe whole numbers and non-finite
 * numbers as strings).
 */
const EDGES = `
  SELECT * FROM (VALUES
    (1, 0::BIGINT, 0.1::DOUBLE, 'kata "kutip" \\ ☃', true, DATE '2024-02-29', TIMESTAMP '2024-02-29 13:45:00'),
    (2, 9007199254740991, -2.5, 'dua' || chr(10) || 'baris' || chr(9) || chr(1), false, DATE '0001-01-01', TIMESTAMP '2025-01-02 03:04:05.5'),
    (3, 9007199254740992, 'nan'::DOUBLE, '', NULL, DATE '9999-12-31', TIMESTAMP '1970-01-01 00:00:00.000001'),
    (4, -9223372036854775808, 'inf'::DOUBLE, '</script>', true, DATE '1000-01-01', TIMESTAMP '9999-12-31 23:59:59'),
    (5, -9007199254740991, '-inf'::DOUBLE, 'ünïcödé 😀', false, DATE '1969-12-31', TIMESTAMP '1000-01-01 00:00:00'),
    (6, NULL, NULL, NULL, NULL, NULL, NULL),
    (7, 42, 1e21, 'x', true, 'infinity'::DATE, 'infinity'::TIMESTAMP),
    (8, -1, 100000.0, 'y', false, '-infinity'::DATE, '-infinity'::TIMESTAMP),
    (9, 7, -0.0, 'z', true, DATE '0999-12-31', TIMESTAMP '0999-12-31 23:59:59'),
    (10, 8, 123456789.125, 'w', false, DATE '2000-01-01', TIMESTAMP '1969-12-31 23:59:59')
  ) AS t(k, n, x, teks, ya, hari, waktu)`;

describe('rows as JSON from result vectors', () => {
  test('hold the values of DuckDB\'s own JSON for every storage type and its edge cases', async () => {
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const names = ['n', 'x', 'teks', 'ya', 'hari', 'waktu'];
    const result = await conn.run(`SELECT ${names.join(', ')}, k::BIGINT AS "__rn" FROM (${EDGES}) ORDER BY k`);
    const { rows, extra } = rowsAsJson(result, names);
    const reference = (await conn.runAndReadAll(`SELECT CAST(to_json(struct_pack(n := n, x := x, teks := teks, ya := ya, hari := hari, waktu := waktu)) AS VARCHAR), CAST(n AS VARCHAR), CAST(x AS VARCHAR) FROM (${EDGES}) ORDER BY k`)).getRowsJson() as [string, string | null, string | null][];
    expect(extra.map((e) => e[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(rows).toHaveLength(reference.length);
    rows.forEach((text, i) => {
      const [json, n, x] = reference[i]!;
      const want = JSON.parse(json.replace(/:(-?)(nan|inf|infinity)\b/gi, ':"$1$2"')) as Record<string, unknown>;
      // The API's rules on top of DuckDB's JSON: unsafe whole numbers and non-finite numbers as strings.
      if (n !== null && !Number.isSafeInteger(Number(n))) want.n = n;
      const special = x === null ? undefined : ({ nan: 'NaN', '-nan': 'NaN', inf: 'Infinity', '-inf': '-Infinity' } as Record<string, string>)[x.toLowerCase()];
      if (special) want.x = special;
      expect(JSON.parse(text), `row ${i + 1}: ${text}`).toEqual(want);
    });
  });

  test('a row without columns is an empty object', async () => {
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const { rows, extra } = rowsAsJson(await conn.run('SELECT 5::BIGINT AS "__rn"'), []);
    expect(rows).toEqual(['{}']);
    expect(extra).toEqual([['5']]);
  });
});
