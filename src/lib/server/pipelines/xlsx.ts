import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { SourceError } from './extract.ts';
import type { SourceSpec } from './spec.ts';
import { findHeader } from './csv-dialect.ts';
import type { CsvRecord } from './csv-records.ts';

/**
 * XLSX through exceljs (DuckDB's excel extension cannot be installed here). Rows above the header
 * (`skip_rows`, e.g. a title row) are dropped; each later row becomes one NDJSON record keyed by the header.
 * Dates become ISO strings, formulas their cached result, rich text its plain text.
 */
export async function xlsxToNdjson(file: string, out: string, source: SourceSpec, expectedHeaders: string[] = []): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch (error) {
    throw new SourceError(`source: not a readable XLSX workbook: ${(error as Error).message}`);
  }
  const sheet =
    source.sheet === undefined
      ? workbook.worksheets[0]
      : typeof source.sheet === 'number'
        ? workbook.worksheets[source.sheet - 1]
        : workbook.getWorksheet(source.sheet);
  if (!sheet) {
    const names = workbook.worksheets.map((w) => `"${w.name}"`).join(', ');
    throw new SourceError(`source.sheet: sheet ${JSON.stringify(source.sheet ?? 1)} not found; the workbook has ${names || 'no sheets'}`);
  }
  const headerRow = source.skip_rows !== undefined ? source.skip_rows + 1 : detectHeaderRow(sheet, expectedHeaders);
  const header: string[] = [];
  sheet.getRow(headerRow).eachCell({ includeEmpty: true }, (cell, col) => {
    header[col - 1] = cellText(cell.value)?.trim() ?? '';
  });
  if (header.every((h) => !h)) throw new SourceError(`source.skip_rows: row ${headerRow} of sheet "${sheet.name}" is empty; expected the header row there`);
  header.forEach((h, i) => {
    if (!h) header[i] = `column${i + 1}`;
  });

  const stream = createWriteStream(out);
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const record: Record<string, unknown> = {};
    let empty = true;
    header.forEach((name, i) => {
      const value = cellValue(row.getCell(i + 1).value);
      if (value !== null && value !== '') empty = false;
      record[name] = value === '' ? null : value;
    });
    if (empty) continue;
    if (!stream.write(JSON.stringify(record) + '\n')) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
}

/** The row naming the most expected columns, or the first that fills most of the width (csv-dialect's rule). */
function detectHeaderRow(sheet: ExcelJS.Worksheet, expected: string[]): number {
  const rows: CsvRecord[] = [];
  for (let r = 1; r <= Math.min(sheet.rowCount, 60); r++) {
    const fields: string[] = [];
    sheet.getRow(r).eachCell({ includeEmpty: true }, (cell, col) => {
      fields[col - 1] = cellText(cell.value) ?? '';
    });
    rows.push({ fields: Array.from(fields, (f) => f ?? ''), line: r, start: 0, end: 0, openQuote: false });
  }
  return findHeader(rows, expected)?.line ?? 1;
}

type Cell = ExcelJS.CellValue;

function cellValue(value: Cell): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object' && 'result' in value) return cellValue((value.result ?? null) as Cell);
  return cellText(value);
}

function cellText(value: Cell): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('');
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  if (typeof value === 'object' && 'error' in value) return null;
  return String(value);
}
