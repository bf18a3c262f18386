import { beforeAll, describe, expect, test } from 'vitest';
import { versionDataPath } from '../../src/lib/server/lake/read.ts';
import { queryDirect } from '../helpers/read-parquet.ts';
import { checkAgainstDuckDB, manifest, setUpFixture, source } from './query-equivalence-fixture.ts';

beforeAll(() => setUpFixture(false));

describe('rows, totals and facets read from the Parquet file equal a direct DuckDB query on it', () => {
  test('the published file is ordered by the spec’s sort_by, ties in source order', async () => {
    expect(manifest.schema.sort_by).toEqual(['kecamatan']);
    const file = versionDataPath(source.dataset, source.version);
    const [{ unordered }] = (await queryDirect(
      `SELECT count(*) AS unordered FROM (SELECT kecamatan, id, lag(kecamatan) OVER (ORDER BY file_row_number) AS pk, lag(id) OVER (ORDER BY file_row_number) AS pid
         FROM read_parquet('${file}', file_row_number = true)) WHERE kecamatan < pk OR (kecamatan = pk AND id < pid)`,
    )) as [{ unordered: string }];
    expect(Number(unordered)).toBe(0);
  });

  test('12 random filters, each unsorted and sorted, with their facets', () => checkAgainstDuckDB('parquet'));
});
