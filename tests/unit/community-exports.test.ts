import ExcelJS from 'exceljs';
import { expect, test } from 'vitest';
import { safeText, toCsv, toXlsx } from '../../src/lib/server/community/exports.ts';

/** Organisers' tables as CSV and XLSX: quoting, Excel-friendly UTF-8, and no formulas from what people typed. */
const table = {
  columns: [
    { key: 'title', header: 'title' },
    { key: 'votes', header: 'votes' },
  ],
  rows: [
    { title: 'Peta "sekolah", Bandung', votes: 3 },
    { title: '=HYPERLINK("http://evil","klik")', votes: 0 },
    { title: 'baris\nbaru', votes: null },
  ],
};

test('CSV: BOM, RFC 4180 quoting, formulas made inert', () => {
  const csv = toCsv(table);
  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(csv.slice(1).split('\r\n')).toEqual(['title,votes', '"Peta ""sekolah"", Bandung",3', `"'=HYPERLINK(""http://evil"",""klik"")",0`, '"baris\nbaru",', '']);
});

test('text that a spreadsheet would run gets an apostrophe; other text is untouched', () => {
  expect(['=1+1', '+62 22', '-5', '@SUM(A1)', 'Bandung'].map(safeText)).toEqual(["'=1+1", "'+62 22", "'-5", "'@SUM(A1)", 'Bandung']);
});

test('XLSX read back by exceljs: headers, numbers as numbers, formulas as text', async () => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await toXlsx(table, 'ide')) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('ide')!;
  expect(sheet.getRow(1).values).toEqual([undefined, 'title', 'votes']);
  expect(sheet.getRow(2).getCell(2).value).toBe(3);
  expect(sheet.getRow(3).getCell(1).value).toBe('\'=HYPERLINK("http://evil","klik")');
});
