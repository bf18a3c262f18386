import ExcelJS from 'exceljs';

/**
 * Tables for people to download (organisers' exports of what their domain holds): CSV or XLSX from rows in memory.
 * Written for any domain (datathon, Badami). CSV is RFC 4180 with a UTF-8 byte-order mark, so Excel opens it with
 * the right characters; in both formats a text cell that a spreadsheet would run as a formula (= + - @ at its
 * start) is written with a leading apostrophe, so an exported comment cannot become a formula (CSV injection).
 */
export const TABLE_FORMATS = ['csv', 'xlsx'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];
export type Cell = string | number | boolean | null;

export interface Table {
  /** Column keys in order, with their header text. */
  columns: { key: string; header: string }[];
  rows: Record<string, Cell>[];
}

export const CONTENT_TYPES: Record<TableFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function isTableFormat(value: string): value is TableFormat {
  return (TABLE_FORMATS as readonly string[]).includes(value);
}

/** A text cell made inert for spreadsheets. */
export function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function cell(value: Cell): Cell {
  return typeof value === 'string' ? safeText(value) : value;
}

export function toCsv(table: Table): string {
  const quote = (value: Cell) => {
    if (value === null) return '';
    const text = String(cell(value));
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [table.columns.map((c) => quote(c.header)), ...table.rows.map((r) => table.columns.map((c) => quote(r[c.key] ?? null)))];
  return '\uFEFF' + lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
}

export async function toXlsx(table: Table, sheetName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  sheet.columns = table.columns.map((c) => ({ header: c.header, key: c.key, width: Math.min(60, Math.max(10, c.header.length + 2)) }));
  for (const row of table.rows) sheet.addRow(Object.fromEntries(table.columns.map((c) => [c.key, cell(row[c.key] ?? null)])));
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function tableFile(table: Table, format: TableFormat, sheetName: string): Promise<Buffer> {
  return format === 'csv' ? Buffer.from(toCsv(table), 'utf8') : toXlsx(table, sheetName);
}
