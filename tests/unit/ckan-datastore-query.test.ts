import { describe, expect, test } from 'vitest';
import { cell, delimited, rowQuery, selectFields, sortClause } from '../../src/lib/server/ckan/datastore-query.ts';
import { manifest } from './dcat-fixture.ts';

/** CKAN's datastore_search parameters to our RowQuery, checked against the schema without a database. */
const FIELDS = manifest().schema.fields;

describe('datastore_search parameters', () => {
  test('filters: one value is eq, a list is in, null is isnull, _id is a row number', () => {
    expect(rowQuery({ filters: { nama: 'A', kapasitas: [1, 2], rasio: null, _id: [3] } }, FIELDS)).toEqual({
      query: {
        filters: [
          { column: 'nama', op: 'eq', values: ['A'] },
          { column: 'kapasitas', op: 'in', values: ['1', '2'] },
          { column: 'rasio', op: 'isnull', values: ['1'] },
        ],
        sort: null,
        q: null,
        fields: null,
      },
      idFilter: [3],
    });
    expect(rowQuery({ filters: '{"aktif": true}' }, FIELDS).query.filters).toEqual([{ column: 'aktif', op: 'eq', values: ['true'] }]);
  });

  test('q as text searches every text column; q as an object is a contains filter per column', () => {
    expect(rowQuery({ q: ' puskesmas ' }, FIELDS).query.q).toBe('puskesmas');
    expect(rowQuery({ q: '{"nama": "sehat"}' }, FIELDS).query.filters).toEqual([{ column: 'nama', op: 'contains', values: ['sehat'] }]);
  });

  test.each([
    [{ filters: { nope: 1 } }, /unknown field "nope"/],
    [{ filters: { kapasitas: '1.5' } }, /whole number/],
    [{ filters: { dibuka: 'kemarin' } }, /date/],
    [{ filters: ['a'] }, /JSON object/],
    [{ filters: { _id: 'x' } }, /row number/],
    [{ q: { nope: 'x' } }, /unknown field/],
  ])('%j is refused', (params, message) => {
    expect(() => rowQuery(params, FIELDS)).toThrow(message);
  });

  test('sort: columns with directions, _id as file order, unknown columns refused', () => {
    expect(sortClause({ sort: 'kapasitas desc, nama' }, FIELDS)).toBe('"kapasitas" DESC NULLS LAST, "nama" ASC NULLS LAST, ');
    expect(sortClause({ sort: ['_id desc'] }, FIELDS)).toBe('file_row_number DESC NULLS LAST, ');
    expect(sortClause({}, FIELDS)).toBe('');
    expect(() => sortClause({ sort: 'nama; DROP' }, FIELDS)).toThrow(/cannot sort/);
  });

  test('fields: _id first by default; a chosen list is kept in order', () => {
    expect(selectFields({}, FIELDS)[0]).toBe('_id');
    expect(selectFields({ fields: 'rasio,nama' }, FIELDS)).toEqual(['rasio', 'nama']);
    expect(() => selectFields({ fields: ['nama', 'x'] }, FIELDS)).toThrow(/unknown field\(s\): x/);
  });

  test('values out: big integers stay text, timestamps in ISO form; csv quoting', () => {
    expect(cell('12', 'integer')).toBe(12);
    expect(cell('9007199254740993', 'integer')).toBe('9007199254740993');
    expect(cell('2026-01-02 08:30:00', 'datetime')).toBe('2026-01-02T08:30:00');
    expect(delimited([['a,b', 'say "hi"', null, 3]], ',')).toBe('"a,b","say ""hi""",,3\n');
    expect(delimited([['a,b', 'x\ty']], '\t')).toBe('a,b\t"x\ty"\n');
  });
});
