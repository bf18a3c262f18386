import { describe, expect, test } from 'vitest';
import { savedQueriesSchema } from '../../src/lib/server/query/saved-query-schema.ts';
import { formatZodIssues } from '../../src/lib/server/validation/zod-issues.ts';

/** Saved queries are checked where they are defined (kota.config.yaml, pipeline.yaml): a mistake names the key. */
const query = (over: Record<string, unknown> = {}) => ({
  name: 'penduduk-terbanyak',
  title: 'Penduduk terbanyak',
  description: 'Kecamatan terpadat.',
  sql: 'SELECT * FROM "penduduk" WHERE jumlah >= $minimum',
  params: [{ name: 'minimum', type: 'integer', title: 'Minimum', default: 1000 }],
  ...over,
});

const problems = (value: unknown) => {
  const parsed = savedQueriesSchema.safeParse(value);
  return parsed.success ? [] : formatZodIssues(parsed.error.issues).map((line) => line.trim());
};

describe('saved query definitions', () => {
  test('a good one parses; a default becomes text, the type defaults to string', () => {
    const [parsed] = savedQueriesSchema.parse([query({ params: [{ name: 'minimum', title: 'Minimum', default: 1000 }] })]);
    expect(parsed!.params).toEqual([{ name: 'minimum', type: 'string', title: 'Minimum', default: '1000' }]);
  });

  test('the SQL and the declared parameters must agree', () => {
    expect(problems([query({ sql: 'SELECT * FROM "penduduk" WHERE jumlah >= $minimum AND tahun = $tahun' })])).toEqual(['[0].sql: uses $tahun, which is not among params']);
    expect(problems([query({ sql: 'SELECT * FROM "penduduk"' })])).toEqual(['[0].params: declares "minimum", which the SQL never uses as $minimum']);
    // A $ inside a string literal or a comment is not a parameter.
    expect(problems([query({ sql: "SELECT '$tahun' AS t, * FROM \"penduduk\" WHERE jumlah >= $minimum -- $lain" })])).toEqual([]);
  });

  test('names, types and duplicates are refused with the key that is wrong', () => {
    expect(problems([query({ name: 'Bad Name' })])[0]).toMatch(/^\[0\]\.name: lowercase letters, digits and dashes/);
    expect(problems([query({ params: [{ name: 'minimum', type: 'money', title: 'x' }] })])[0]).toMatch(/^\[0\]\.params\[0\]\.type:/);
    expect(problems([query(), query()])).toEqual(['(top level): query names must be unique']);
  });
});
