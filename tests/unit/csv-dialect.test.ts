import { describe, expect, test } from 'vitest';
import { columnNames, detectDelimiter, findFooter, inspectHead } from '../../src/lib/server/pipelines/csv-dialect.ts';
import { csvRecords } from '../../src/lib/server/pipelines/csv-records.ts';

describe('CSV layout before DuckDB reads it', () => {
  test('records: quotes, doubled quotes, quoted newlines and all three line endings', () => {
    const records = [...csvRecords('a,"b ""x""\r\ny",c\r\n1,2,3\n4,5\r6', ',')];
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b "x"\r\ny', 'c']],
      [3, ['1', '2', '3']],
      [4, ['4', '5']],
      [5, ['6']],
    ]);
  });

  test.each([
    ['Kecamatan;Jumlah;Luas\nAndir;95.120;3,71\nCoblong;1.234;7,35\n', ';'],
    ['kecamatan,jumlah\nAndir,"95,120"\nCoblong,1\n', ','],
    ['a\tb\tc\n1\t2\t3\n', '\t'],
    ['a|b\n1|2\n', '|'],
  ])('the delimiter of %j is %j', (text, delimiter) => {
    expect(detectDelimiter(text, '"')).toBe(delimiter);
  });

  test('without expected names, the header is the first row that fills most of the width', () => {
    const head = 'DATA PENDUDUK;;;\nKota Bandung;2024;;\n\nNo;Kecamatan;L;P\n1;Andir;5;6\n2;Regol;7;8\n';
    const dialect = inspectHead(head, true, { quote: '"', expectedHeaders: [] });
    expect(dialect).toMatchObject({ delimiter: ';', skipLines: 3, names: ['No', 'Kecamatan', 'L', 'P'] });
  });

  test('with expected names, the row naming most of them wins, and sep= is skipped too', () => {
    const head = 'sep=,\nJumlah Penduduk Kota Bandung\nkecamatan,jumlah penduduk\nAndir,5\n';
    const dialect = inspectHead(head, true, { quote: '"', expectedHeaders: ['Kecamatan', 'Jumlah Penduduk'] });
    expect(dialect).toMatchObject({ delimiter: ',', skipLines: 2, names: ['kecamatan', 'jumlah penduduk'] });
    expect(dialect.notices.map((n) => n.code)).toEqual(['source.notice.sep_line', 'source.notice.header_row']);
  });

  test('blank names become kolom_<n>, repeats get _2, _3', () => {
    expect(columnNames(['Nama', 'Jumlah', 'jumlah', '', ' Jumlah ']).names).toEqual(['Nama', 'Jumlah', 'jumlah_2', 'kolom_4', 'Jumlah_3']);
  });

  test('notes below the data: after a blank row, or starting with a note word; a lone short row is data', () => {
    const dialect = { delimiter: ';', quote: '"', width: 3 };
    const withBlank = 'a;b;c\n1;2;3\n;;\nangka sementara;;\n';
    expect(findFooter(withBlank, true, dialect)).toMatchObject({ rows: 1, first: 'angka sementara', start: withBlank.indexOf(';;\n') });
    expect(findFooter('a;b;c\n1;2;3\nSumber: BPS;;\n', true, dialect)).toMatchObject({ rows: 1, first: 'Sumber: BPS' });
    expect(findFooter('a;b;c\n1;2;3\nRegol;;\n', true, dialect)).toBeNull();
    expect(findFooter('a;b;c\n1;2;3\n4;5;6\n', true, dialect, 1)).toMatchObject({ rows: 1, first: '4 5 6' });
    expect(findFooter('a;b;c\n1;2;3\nSumber: BPS;;\n', true, dialect, 0)).toBeNull();
  });
});
