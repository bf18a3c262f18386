import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { t, type Locale } from '../../i18n/index.ts';
import { csvLine, guardCell } from './csv.ts';

/**
 * One way to hand rows to people as files: CSV (UTF-8 with a byte-order mark, so Excel reads the names right) or
 * XLSX (exceljs's streaming writer), with headers in the reader's language, streamed as the rows come, so an
 * organiser's export of every vote never sits whole in memory. `export-read.ts` reads both back by the same
 * columns, for imports in exactly the format the export produced (Badami's bulk update).
 */
export type Cell = string | number | boolean | Date | null | undefined;
export type ColumnType = 'text' | 'number' | 'date' | 'datetime' | 'boolean';

export interface ExportColumn<R> {
  /** Stable name of the column (what an import maps back to). */
  key: string;
  /** The header: a message key, or the text in both languages. */
  header: string | { id: string; en: string };
  /** Default: the row's property named `key`. */
  value?: (row: R) => Cell;
  /** How the cell is written (default text; numbers and dates are typed cells in XLSX). */
  type?: ColumnType;
}

export type ExportFormat = 'csv' | 'xlsx';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];

/** For a format taken from a URL or a form field. */
export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}
type Rows<R> = Iterable<R> | AsyncIterable<R>;

export function headerText(column: Pick<ExportColumn<unknown>, 'header' | 'key'>, locale: Locale): string {
  return typeof column.header === 'string' ? t(locale, column.header) : column.header[locale];
}

function cellOf<R>(column: ExportColumn<R>, row: R): Cell {
  return column.value ? column.value(row) : ((row as Record<string, Cell>)[column.key] ?? null);
}

/** A CSV cell as text: numbers in plain notation, dates as ISO 8601 (a date column: the day only), text guarded. */
function csvText(value: Cell, type: ColumnType | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return guardCell(value);
}

export function csvStream<R>(columns: readonly ExportColumn<R>[], rows: Rows<R>, locale: Locale): ReadableStream<Uint8Array> {
  async function* lines() {
    yield `\uFEFF${csvLine(columns.map((c) => headerText(c, locale)))}`;
    for await (const row of rows) yield csvLine(columns.map((c) => csvText(cellOf(c, row), c.type)));
  }
  return Readable.toWeb(Readable.from(lines(), { objectMode: false })) as ReadableStream<Uint8Array>;
}

const NUMBER_FORMATS: Partial<Record<ColumnType, string>> = { date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm:ss' };

function xlsxValue(value: Cell): ExcelJS.CellValue {
  if (value === undefined) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

export function xlsxStream<R>(columns: readonly ExportColumn<R>[], rows: Rows<R>, locale: Locale, sheetName = 'data'): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'data', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => {
    const header = headerText(c, locale);
    const numFmt = c.type ? NUMBER_FORMATS[c.type] : undefined;
    return { header, key: c.key, width: Math.min(50, Math.max(10, header.length + 2)), ...(numFmt ? { style: { numFmt } } : {}) };
  });
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  void (async () => {
    try {
      let n = 0;
      for await (const row of rows) {
        sheet.addRow(columns.map((c) => xlsxValue(cellOf(c, row)))).commit();
        // Rows are written on microtasks; every so often let the zip writer run and the response drain.
        if (++n % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
        if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
      }
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The rows as a download: `<filename>.csv` or `.xlsx`, streamed, never cached (exports are often not public). */
export function exportResponse<R>(options: {
  format: ExportFormat;
  filename: string;
  columns: readonly ExportColumn<R>[];
  rows: Rows<R>;
  locale: Locale;
  sheetName?: string;
}): Response {
  const { format, columns, rows, locale } = options;
  const body = format === 'csv' ? csvStream(columns, rows, locale) : xlsxStream(columns, rows, locale, options.sheetName ?? options.filename);
  const name = `${options.filename.replace(/[^\p{L}\p{N}._ -]+/gu, '-').slice(0, 100) || 'export'}.${format}`;
  return new Response(body, {
    headers: {
      'Content-Type': CONTENT_TYPES[format],
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
