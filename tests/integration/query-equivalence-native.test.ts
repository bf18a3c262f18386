import { afterAll, beforeAll, describe, test } from 'vitest';
import { checkAgainstDuckDB, setUpFixture, tearDownFixture } from './query-equivalence-fixture.ts';

beforeAll(() => setUpFixture(true));
afterAll(tearDownFixture);

describe('rows, totals and facets read from the native table cache equal a direct DuckDB query on the lake file', () => {
  test('12 random filters, each unsorted and sorted, with their facets', () => checkAgainstDuckDB('native'));
});
