import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { LOCALES, t, type Locale } from '../../i18n/index.ts';
import { unguardCell } from './csv.ts';
import { checkXlsxSize, XlsxTooLarge } from './xlsx-limits.ts';
import { headerText, type ExportColumn, type ExportFormat } from './exports.ts';

/**
 * Reads a file in exactly the format exports.ts writes, by the same columns: headers in either language (or the
 * column keys), the CSV formula guard undone, cells turned back into numbers, dates and booleans. Every problem is
 * reported at once, with the spreadsheet line (the header is line 1) and the column, and no row is returned when
 * there is one — an import takes the whole file or nothing.
 */
export type ImportCell = string | number | boolean | null;

export interface ImportProblem {
  code: 'unreadable' | 'too_large_unpacked' | 'empty' | 'missing_column' | 'unknown_column' | 'not_a_number' | 'not_a_date' | 'not_a_boolean';
  line?: number;
  column?: string;
  found?: string;
}

/** `lines[i]` is the spreadsheet line of `rows[i]` (blank lines are skipped), for an importer's own row errors. */
export type ImportResult = { ok: true; rows: Record<string, ImportCell>[]; lines: number[] } | { ok: false; problems: ImportProblem[] };

const MAX_PROBLEMS = 100;

export async function readExport(bytes: Uint8Array, format: ExportFormat, columns: readonly Pick<ExportColumn<unknown>, 'key' | 'header' | 'type'>[]): Promise<ImportResult> {
  let table: unknown[][];
  try {
    table = format === 'csv' ? readCsv(bytes) : await readXlsx(bytes);
  } catch (error) {
    if (error instanceof XlsxTooLarge) return { ok: false, problems: [{ code: 'too_large_unpacked' }] };
    return { ok: false, problems: [{ code: 'unreadable', found: (error as Error).message.slice(0, 200) }] };
  }
  const [header = [], ...body] = table;
  if (header.length === 0) return { ok: false, problems: [{ code: 'empty' }] };
  const names = header.map((h) => String(h ?? '').trim());
  const problems: ImportProblem[] = [];
  const positions = new Map<string, number>();
  for (const column of columns) {
    const accepted = new Set([column.key, ...LOCALES.map((l) => headerText(column, l))]);
    const at = names.findIndex((n) => accepted.has(n));
    if (at < 0) problems.push({ code: 'missing_column', column: headerText(column, 'id') });
    else positions.set(column.key, at);
  }
  const known = new Set(positions.values());
  names.forEach((n, i) => {
    if (!known.has(i) && n !== '') problems.push({ code: 'unknown_column', column: n });
  });
  if (problems.length > 0) return { ok: false, problems };
  const rows: Record<string, ImportCell>[] = [];
  const lines: number[] = [];
  body.forEach((cells, index) => {
    if (cells.every((c) => c === null || c === undefined || String(c).trim() === '')) return;
    const line = index + 2;
    const row: Record<string, ImportCell> = {};
    for (const column of columns) {
      const converted = convert(cells[positions.get(column.key)!], column.type ?? 'text', format);
      if (converted.ok) row[column.key] = converted.value;
      else if (problems.length < MAX_PROBLEMS) problems.push({ code: converted.code, line, column: headerText(column, 'id'), found: converted.found });
    }
    rows.push(row);
    lines.push(line);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows, lines };
}

function readCsv(bytes: Uint8Array): unknown[][] {
  return parse(Buffer.from(bytes), { bom: true, relax_column_count: true, skip_empty_lines: true }) as unknown[][];
}

async function readXlsx(bytes: Uint8Array): Promise<unknown[][]> {
  // Before ExcelJS unpacks it all into memory (xlsx-limits.ts): a small zip can hold millions of rows.
  checkXlsxSize(bytes);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const table: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, number) => {
    const values = (row.values as unknown[]).slice(1).map((v) => (v && typeof v === 'object' && !(v instanceof Date) ? ((v as { result?: unknown; text?: unknown }).result ?? (v as { text?: unknown }).text ?? null) : v));
    table[number - 1] = values;
  });
  return Array.from(table, (r) => r ?? []);
}

/** One problem as a sentence in the reader's language ("baris 4, kolom Jumlah: diharapkan angka, ditemukan "dua""). */
export function describeProblem(locale: Locale, problem: ImportProblem): string {
  const where = problem.line !== undefined ? t(locale, 'community.import.where', { line: problem.line, column: problem.column ?? '' }) : '';
  return `${where}${t(locale, `community.import.${problem.code}`, { column: problem.column ?? '', found: problem.found ?? '' })}`;
}

type Converted = { ok: true; value: ImportCell } | { ok: false; code: ImportProblem['code']; found: string };

function convert(raw: unknown, type: NonNullable<ExportColumn<unknown>['type']>, format: ExportFormat): Converted {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return { ok: true, value: null };
  if (raw instanceof Date) return type === 'date' || type === 'datetime' ? { ok: true, value: type === 'date' ? raw.toISOString().slice(0, 10) : raw.toISOString() } : { ok: true, value: raw.toISOString() };
  const text = typeof raw === 'string' ? (format === 'csv' ? unguardCell(raw) : raw) : String(raw);
  switch (type) {
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(text.trim());
      return Number.isFinite(n) && text.trim() !== '' ? { ok: true, value: n } : { ok: false, code: 'not_a_number', found: text };
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) && !Number.isNaN(Date.parse(text.trim())) ? { ok: true, value: text.trim() } : { ok: false, code: 'not_a_date', found: text };
    case 'datetime': {
      const ms = Date.parse(text.trim());
      return Number.isNaN(ms) ? { ok: false, code: 'not_a_date', found: text } : { ok: true, value: new Date(ms).toISOString() };
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      return ['true', 'false'].includes(text.trim().toLowerCase()) ? { ok: true, value: text.trim().toLowerCase() === 'true' } : { ok: false, code: 'not_a_boolean', found: text };
    default:
      return { ok: true, value: text };
  }
}
