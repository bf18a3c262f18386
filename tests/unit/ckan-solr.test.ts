import { describe, expect, test } from 'vitest';
import { CkanError } from '../../src/lib/server/ckan/envelope.ts';
import { parseClauses, parseSort } from '../../src/lib/server/ckan/solr.ts';

describe('Solr-style clauses in fq and q', () => {
  test.each([
    ['organization:dinkes', [{ field: 'organization', negate: false, values: ['dinkes'] }]],
    ['+tags:"ruang terbuka" -groups:kesehatan', [
      { field: 'tags', negate: false, values: ['ruang terbuka'] },
      { field: 'groups', negate: true, values: ['kesehatan'] },
    ]],
    ['res_format:(CSV OR "Parquet") AND license_id:cc-by', [
      { field: 'res_format', negate: false, values: ['CSV', 'Parquet'] },
      { field: 'license_id', negate: false, values: ['cc-by'] },
    ]],
    ['*:*', []],
    ['', []],
  ])('fq %s', (fq, clauses) => {
    expect(parseClauses(fq, 'fq')).toEqual({ clauses, text: '' });
  });

  test('metadata_modified ranges, as ckanext-harvest sends them', () => {
    expect(parseClauses('metadata_modified:[2026-01-01T00:00:00Z TO *]', 'fq').clauses[0]).toEqual({
      field: 'metadata_modified',
      negate: false,
      values: [],
      range: { from: '2026-01-01T00:00:00.000Z', to: null },
    });
  });

  test('q keeps free text and takes known field clauses out', () => {
    expect(parseClauses('penduduk tags:sensus kota', 'q')).toEqual({
      clauses: [{ field: 'tags', negate: false, values: ['sensus'] }],
      text: 'penduduk kota',
    });
    expect(parseClauses('jam:08 pagi', 'q').text).toBe('jam:08 pagi');
  });

  test.each(['author:x', 'plainword', 'tags:[a TO b]', 'metadata_modified:[kemarin TO *]'])('fq %s is a validation error', (fq) => {
    expect(() => parseClauses(fq, 'fq')).toThrow(CkanError);
  });
});

describe('sort', () => {
  test('comma-separated keys with directions', () => {
    expect(parseSort('score desc, metadata_modified desc')).toEqual([
      { field: 'score', desc: true },
      { field: 'metadata_modified', desc: true },
    ]);
    expect(parseSort('title_string asc')).toEqual([{ field: 'title_string', desc: false }]);
    expect(parseSort('name')).toEqual([{ field: 'name', desc: false }]);
  });

  test.each(['views_recent desc', 'name upward', 'name asc extra'])('%s is refused', (sort) => {
    expect(() => parseSort(sort)).toThrow(/sort/);
  });
});
