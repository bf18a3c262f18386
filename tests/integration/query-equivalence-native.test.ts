import { beforeAll, describe, test } from 'vitest';
import { checkAgainstDuckDB, setUpFixture } from './query-equivalence-fixture.ts';

beforeAll(() => setUpFixture(true));

describe('rows, totals and facets read from the native table cache equal a direct DuckDB query on the lake file', () => {
  test('12 random filters, each unsorted and sorted, with their facets', () => checkAgainstDuckDB('native'));
});
