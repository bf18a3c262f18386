import { DuckDBInstance } from '@duckdb/node-api';
import { expect, test } from 'vitest';
import { duckdbOrder } from '../../src/lib/server/query/facet-batch.ts';

// Facets counted together are ordered in JS (facet-batch.ts): ties must fall as DuckDB's ORDER BY puts them.
test('value facets order ties as DuckDB does: text by UTF-8 bytes, false before true, missing values last', async () => {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const texts = ['a', 'B', 'b', '', 'é', 'e', 'Z', '😀', '\uFFFD', '\uE000', 'ä', 'aa', 'a b', 'A', '10', '9', null];
  const list = texts.map((t) => (t === null ? 'NULL' : `'${t}'`)).join(', ');
  const direct = (await conn.runAndReadAll(`SELECT v FROM (SELECT unnest([${list}]) AS v) ORDER BY v NULLS LAST`)).getRowsJson().map((r) => r[0]);
  expect([...texts].sort(duckdbOrder)).toEqual(direct);
  const flags = (await conn.runAndReadAll(`SELECT v FROM (SELECT unnest([true, NULL, false]) AS v) ORDER BY v NULLS LAST`)).getRowsJson().map((r) => r[0]);
  expect([true, null, false].sort(duckdbOrder)).toEqual(flags);
});
