import { describe, expect, test } from 'vitest';
import { checkSentence, paramsFromName } from '../../src/lib/server/catalog/check-sentence.ts';
import type { FieldSpec } from '../../src/lib/server/lake/schema.ts';
import { checkResults } from '../../src/lib/server/pipelines/checks.ts';
import { checkSchema } from '../../src/lib/server/pipelines/spec.ts';

/** Checks are shown to the public as sentences in the page's language, never as "not_null:kode+nama#1". */
const FIELDS: FieldSpec[] = [
  { name: 'kode', type: 'string', title: 'Kode', title_en: 'Code' },
  { name: 'nama', type: 'string', title: 'Nama', title_en: 'Name' },
  { name: 'jumlah', type: 'integer', title: 'Jumlah penduduk', title_en: 'Population' },
  { name: 'tanggal', type: 'date', title: 'Tanggal data', title_en: 'Data date' },
  { name: 'jenis', type: 'string', title: 'Jenis' },
];
const check = (type: string, params: object, extra: object = {}) => ({ name: `${type}:x#1`, type, params, ...extra });

describe('checkSentence', () => {
  test.each([
    [check('not_null', { columns: ['kode', 'nama'] }), 'Kolom Kode dan Nama wajib diisi', 'Code and Name must always be filled in'],
    [check('not_null', { columns: ['kode', 'nama', 'jumlah'] }), 'Kolom Kode, Nama dan Jumlah penduduk wajib diisi', 'Code, Name and Population must always be filled in'],
    [check('unique', { columns: ['kode'] }), 'Nilai kolom Kode tidak boleh berulang', 'Code must not repeat'],
    [check('unique', { columns: ['kode', 'tanggal'] }), 'Kombinasi kolom Kode dan Tanggal data tidak boleh berulang', 'The combination of Code and Data date must not repeat'],
    [check('accepted_values', { column: 'jenis', values: ['A', 'B'] }), 'Kolom Jenis hanya berisi “A” atau “B”', 'Jenis contains only “A” or “B”'],
    [check('range', { column: 'jumlah', min: 0, max: 500000 }), 'Kolom Jumlah penduduk bernilai antara 0 dan 500.000', 'Population is between 0 and 500,000'],
    [check('range', { column: 'jumlah', min: 0 }), 'Kolom Jumlah penduduk bernilai paling sedikit 0', 'Population is at least 0'],
    [check('range', { column: 'jumlah', max: 10 }), 'Kolom Jumlah penduduk bernilai paling banyak 10', 'Population is at most 10'],
    [check('row_count', { min: 30, max: 30 }), 'Dataset berisi tepat 30 baris', 'The dataset has exactly 30 rows'],
    [check('row_count', { min: 1, max: 1000 }), 'Dataset berisi 1 sampai 1.000 baris', 'The dataset has 1 to 1,000 rows'],
    [check('row_count', { min: 1 }), 'Dataset berisi paling sedikit 1 baris', 'The dataset has at least 1 rows'],
    [check('freshness', { column: 'tanggal', max_age_days: 400 }), 'Data di kolom Tanggal data tidak lebih tua dari 400 hari', 'The data in Data date is no older than 400 days'],
    [
      check('relationships', { column: 'nama', to: 'kecamatan-bandung', field: 'kecamatan' }),
      'Setiap nilai kolom Nama ada di dataset kecamatan-bandung (kolom kecamatan)',
      'Every value of Name exists in dataset kecamatan-bandung (column kecamatan)',
    ],
  ])('%o', (c, id, en) => {
    expect(checkSentence(c, FIELDS, 'id')).toBe(id);
    expect(checkSentence(c, FIELDS, 'en')).toBe(en);
  });

  test("the spec's own title wins, in the reader's language when it has one", () => {
    const titled = check('unique', { columns: ['kode'] }, { title: 'Setiap fasilitas punya kode sendiri', title_en: 'Every facility has its own code' });
    expect(checkSentence(titled, FIELDS, 'id')).toBe('Setiap fasilitas punya kode sendiri');
    expect(checkSentence(titled, FIELDS, 'en')).toBe('Every facility has its own code');
    expect(checkSentence({ ...titled, title_en: undefined }, FIELDS, 'en')).toBe('Setiap fasilitas punya kode sendiri');
  });

  test('manifests without parameters: the columns come from the generated name', () => {
    expect(paramsFromName('not_null:kode+nama#1')).toEqual({ columns: ['kode', 'nama'], column: 'kode' });
    expect(paramsFromName('row_count:table#4')).toEqual({});
    expect(paramsFromName('a name the author chose')).toEqual({});
    expect(checkSentence({ name: 'not_null:kode+nama#1', type: 'not_null' }, FIELDS, 'id')).toBe('Kolom Kode dan Nama wajib diisi');
    expect(checkSentence({ name: 'range:jumlah#2', type: 'range' }, FIELDS, 'id')).toBe('Kolom Jumlah penduduk berada dalam rentang yang ditentukan');
  });

  test('an unknown type or missing parameters still read as words, never as the machine name', () => {
    expect(checkSentence({ name: 'custom:x#9', type: 'custom' }, FIELDS, 'id')).toBe('Pemeriksaan custom');
    expect(checkSentence({ name: 'mine', type: 'not_null' }, FIELDS, 'en')).toBe('not_null check');
  });
});

describe('what the runner records for the page', () => {
  test('a spec check may carry its own sentence; the result keeps it and the parameters', () => {
    const spec = checkSchema.parse({ type: 'range', column: 'jumlah', min: 0, title: 'Jumlah tidak pernah negatif', title_en: 'Never negative' });
    const report = { rule: 'range:jumlah#1', severity: 'error' as const, count: 0, examples: [] };
    const { results } = checkResults({ checks: [spec], planned: [{ report }], references: {}, rowRules: [] }, []);
    expect(results).toEqual([
      { name: 'range:jumlah#1', type: 'range', severity: 'error', status: 'pass', failures: 0, title: 'Jumlah tidak pernah negatif', title_en: 'Never negative', params: { column: 'jumlah', min: 0 } },
    ]);
    expect(checkSentence(results[0]!, FIELDS, 'en')).toBe('Never negative');
  });

  test('a title of fewer than 3 characters is refused with the key path', () => {
    const result = checkSchema.safeParse({ type: 'unique', columns: ['kode'], title: 'ok' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['title']);
  });
});
