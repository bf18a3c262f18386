import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { withBulkConnection, withConnection } from '../../src/lib/server/catalog/index-db.ts';
import { catalogIndexPath } from '../../src/lib/server/config/paths.ts';
import { tableCachePath } from '../../src/lib/server/query/table-cache.ts';
import { checkAgainstDuckDB, setUpFixture } from './query-equivalence-fixture.ts';

beforeAll(() => setUpFixture(true));

describe('rows, totals and facets read from the native table cache equal a direct DuckDB query on the lake file', () => {
  test('12 random filters, each unsorted and sorted, with their facets', () => checkAgainstDuckDB('native'));

  test('the copies live in their own file beside the catalog index (attached as table_cache)', async () => {
    expect(tableCachePath()).toBe(catalogIndexPath().replace(/\.duckdb$/, '.tables.duckdb'));
    expect(existsSync(tableCachePath())).toBe(true);
    const tables = await withConnection(async (conn) =>
      (await conn.runAndReadAll(`SELECT database_name, schema_name FROM duckdb_tables() WHERE table_name LIKE 'uji-cepat@%'`)).getRowObjectsJson(),
    );
    expect(tables).toEqual([{ database_name: 'table_cache', schema_name: 'main' }]);
  });

  test('small queries get one DuckDB thread; bulk work raises the instance to two while it runs, then back', async () => {
    const threads = async () =>
      withConnection(async (conn) => Number((await conn.runAndReadAll(`SELECT current_setting('threads') AS t`)).getRowObjectsJson()[0]!.t));
    await expect.poll(threads).toBe(1);
    const during = await Promise.all([
      withBulkConnection(async (conn) => Number((await conn.runAndReadAll(`SELECT current_setting('threads') AS t`)).getRowObjectsJson()[0]!.t)),
      withBulkConnection(async () => threads()),
    ]);
    expect(during).toEqual([2, 2]);
    await expect.poll(threads).toBe(1);
  });
});
