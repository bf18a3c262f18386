import type { DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import type { FieldSpec } from '../lake/schema.ts';

/** XLSX through exceljs's streaming writer: rows go to disk as they come, one sheet, a bold header row. */
export async function writeXlsxFile(
  conn: DuckDBConnection,
  select: { sql: string; values: string[] },
  fields: FieldSpec[],
  file: string,
  sheetName: string,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'data');
  sheet.columns = fields.map((f) => ({ header: f.name, key: f.name, width: Math.min(40, Math.max(10, f.name.length + 2)) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const result = await conn.stream(select.sql, select.values as never);
  for await (const rows of result.yieldRowObjectJs()) {
    for (const row of rows) {
      const values = fields.map((f) => cellValue(row[f.name], f.type));
      sheet.addRow(values).commit();
    }
  }
  sheet.commit();
  await workbook.commit();
}

function cellValue(value: unknown, type: FieldSpec['type']): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value;
  if (type === 'date' || type === 'datetime') return String(value);
  return value;
}
