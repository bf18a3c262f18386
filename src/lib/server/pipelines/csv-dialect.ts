import { csvRecords, filledCount, isBlank, type CsvRecord } from './csv-records.ts';
import type { Problem } from './source-problem.ts';

/**
 * How a CSV file is laid out, decided from its first few hundred kilobytes before DuckDB reads it: the delimiter
 * (or Excel's `sep=;` line), the title rows above the header, and header names fit to be column names (blank
 * and repeated names renamed). DuckDB's own sniffer is not asked: a title row or a `sep=` line fools it.
 * Pure functions over text, so each layout is a unit test.
 */
export interface DialectOptions {
  delimiter?: string;
  quote: string;
  /** Lines above the header, as the spec says; detected when absent. */
  skipRows?: number;
  /** The header names the schema expects (`source ?? name` of each field); empty when a transform renames them. */
  expectedHeaders: string[];
}

export interface CsvDialect {
  delimiter: string;
  /** Physical lines before the header: a `sep=` line, title rows, blank lines. */
  skipLines: number;
  /** Column names as DuckDB will name them: the header, trimmed, blanks and repeats renamed. */
  names: string[];
  /** What was decided automatically, for the run report. */
  notices: Problem[];
}

const CANDIDATES = [';', ',', '\t', '|'];
const SAMPLE_RECORDS = 60;
const SEP_LINE = /^"?sep=(.)"?[ \t]*(\r\n|\n|\r)/i;

export function inspectHead(head: string, complete: boolean, options: DialectOptions): CsvDialect {
  const notices: Problem[] = [];
  let text = head.replace(/^\uFEFF/, '');
  let sepLines = 0;
  let delimiter = options.delimiter;
  const sep = SEP_LINE.exec(text);
  if (sep) {
    delimiter ??= sep[1]!;
    sepLines = 1;
    text = text.slice(sep[0].length);
    notices.push({ code: 'source.notice.sep_line', params: { delimiter: describeDelimiter(sep[1]!) } });
  }
  delimiter ??= detectDelimiter(text, options.quote);
  const records = sample(text, delimiter, options.quote, complete);
  const header = options.skipRows !== undefined ? records.find((r) => r.line > options.skipRows! && !isBlank(r)) : findHeader(records, options.expectedHeaders);
  if (!header) return { delimiter, skipLines: sepLines + (options.skipRows ?? 0), names: [], notices };
  if (options.skipRows === undefined && header.line > 1) notices.push({ code: 'source.notice.header_row', params: { line: header.line + sepLines, skipped: header.line - 1 } });
  const { names, renamed } = columnNames(header.fields);
  if (renamed.length > 0) notices.push({ code: 'source.notice.renamed', params: { list: renamed.join(', ') } });
  const data = records.filter((r) => r.line > header.line && !isBlank(r));
  if (names.length > 1 && header.fields.at(-1)!.trim() === '' && data.length > 0 && data.every((r) => (r.fields[names.length - 1] ?? '').trim() === '')) {
    notices.push({ code: 'source.notice.trailing_delimiter', params: { column: names.at(-1)! } });
  }
  return { delimiter, skipLines: sepLines + header.line - 1, names, notices };
}

function sample(text: string, delimiter: string, quote: string, complete: boolean): CsvRecord[] {
  const records: CsvRecord[] = [];
  for (const record of csvRecords(text, delimiter, quote)) {
    records.push(record);
    if (records.length > SAMPLE_RECORDS) break;
  }
  // The sample may end half-way through a record.
  if (!complete && records.length > 1 && records.at(-1)!.end >= text.length) records.pop();
  return records;
}

/** The candidate that splits most lines into the same number (≥ 2) of values. */
export function detectDelimiter(text: string, quote: string): string {
  let best = { delimiter: ',', score: 0, width: 0 };
  for (const delimiter of CANDIDATES) {
    const counts = sample(text, delimiter, quote, false).filter((r) => !isBlank(r)).map((r) => r.fields.length);
    const [width, frequency] = mode(counts);
    const score = width > 1 ? frequency : 0;
    if (score > best.score || (score === best.score && score > 0 && width > best.width)) best = { delimiter, score, width };
  }
  return best.delimiter;
}

/**
 * The header is the row naming the most columns the schema expects; without expectations (a transform renames
 * them), the first row that fills most of the usual width (a title row fills one cell: "DATA PENDUDUK;;;").
 */
export function findHeader(records: CsvRecord[], expected: string[]): CsvRecord | undefined {
  const filled = records.filter((r) => !isBlank(r));
  if (expected.length > 0) {
    const wanted = new Set(expected.map(normalizeHeader));
    let best: { record: CsvRecord; matches: number } | undefined;
    for (const record of filled.slice(0, 50)) {
      const matches = new Set(record.fields.map(normalizeHeader).filter((f) => wanted.has(f))).size;
      if (matches > (best?.matches ?? 0)) best = { record, matches };
    }
    if (best) return best.record;
  }
  const [width] = mode(filled.map((r) => r.fields.length));
  if (width < 2) return filled[0];
  const needed = Math.max(2, Math.ceil(width * 0.75));
  return filled.find((r) => filledCount(r) >= needed) ?? filled[0];
}

export function normalizeHeader(name: string): string {
  return name.replace(/[\s\u00a0]+/g, ' ').trim().toLowerCase();
}

/** Blank names become `kolom_<n>` (1-based); a repeated name gets `_2`, `_3`… in order of appearance. */
export function columnNames(cells: string[]): { names: string[]; renamed: string[] } {
  const names: string[] = [];
  const renamed: string[] = [];
  const used = new Set<string>();
  cells.forEach((cell, i) => {
    const base = cell.replace(/[\s\u00a0]+/g, ' ').trim();
    let name = base || `kolom_${i + 1}`;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base || `kolom_${i + 1}`}_${k}`;
    used.add(name.toLowerCase());
    names.push(name);
    if (name !== base) renamed.push(`${i + 1}: "${base}" → "${name}"`);
  });
  return { names, renamed };
}

function mode(values: number[]): [value: number, frequency: number] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: [number, number] = [0, 0];
  for (const [value, frequency] of counts) if (frequency > best[1] || (frequency === best[1] && value > best[0])) best = [value, frequency];
  return best;
}

export function describeDelimiter(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : `"${delimiter}"`;
}

const NOTE_WORDS = /^\s*(sumber|catatan|keterangan|ket\.|ket:|note|notes|source|\*|©)/i;

/**
 * Notes below the data ("Sumber: BPS Kota Bandung", "Catatan: angka sementara"): trailing rows that fill at most
 * one cell, either after a blank row or starting with a note word. `footerRows` (the spec's) counts them instead.
 * Returns where they start in `tail` (a suffix of the file), or null.
 */
export function findFooter(
  tail: string,
  tailIsWholeFile: boolean,
  dialect: { delimiter: string; quote: string; width: number },
  footerRows?: number,
): { start: number; rows: number; first: string } | null {
  if (footerRows === 0) return null;
  const records = [...csvRecords(tail, dialect.delimiter, dialect.quote)];
  if (!tailIsWholeFile) records.shift();
  let last = records.length - 1;
  while (last >= 0 && isBlank(records[last]!)) last--;
  if (last < 0) return null;
  const text = (r: CsvRecord) => r.fields.join(' ').replace(/\s+/g, ' ').trim();
  if (footerRows !== undefined) {
    const notes = records.slice(0, last + 1).filter((r) => !isBlank(r)).slice(-footerRows);
    if (notes.length < footerRows) return null;
    return { start: notes[0]!.start, rows: footerRows, first: text(notes[0]!) };
  }
  const isNote = (r: CsvRecord) => NOTE_WORDS.test(r.fields[0] ?? '') || (dialect.width > 1 && filledCount(r) <= 1);
  let first = -1;
  for (let j = last; j >= 0; j--) {
    const r = records[j]!;
    if (isBlank(r)) continue;
    if (!isNote(r)) break;
    first = j;
  }
  if (first < 0) return null;
  let start = first;
  while (start > 0 && isBlank(records[start - 1]!)) start--;
  // A lone one-cell row right after the data may be data (a name with no figures); a note word or a blank row says it is not.
  if (start === first && !NOTE_WORDS.test(records[first]!.fields[0] ?? '')) return null;
  if (start === 0) return null;
  const rows = records.slice(first, last + 1).filter((r) => !isBlank(r)).length;
  return { start: records[start]!.start, rows, first: text(records[first]!) };
}
