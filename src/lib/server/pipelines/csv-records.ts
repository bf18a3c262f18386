/**
 * A small, lenient CSV tokenizer for looking at files before DuckDB reads them (header row, delimiter, notes
 * below the data) and for explaining why DuckDB could not (ragged rows, mixed line endings, an open quote).
 * DuckDB stays the reader of the data itself; this one only needs to be right about structure. `\r\n`, `\n` and
 * a lone `\r` all end a record; quotes follow RFC 4180 ("" inside quotes is a quote).
 */
export interface CsvRecord {
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
  /** Offsets in the text: the record's first character and the character after its line ending. */
  start: number;
  end: number;
  /** The text ended inside a quoted value. */
  openQuote: boolean;
}

export interface NewlineCounts {
  crlf: number;
  lf: number;
  cr: number;
}

const LF = 10;
const CR = 13;

export function* csvRecords(text: string, delimiter: string, quote = '"', newlines?: NewlineCounts): Generator<CsvRecord> {
  const d = delimiter.charCodeAt(0);
  const q = quote.charCodeAt(0);
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const start = i;
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let inQuotes = false;
    let fieldStart = true;
    let ended = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (c === q) {
          if (text.charCodeAt(i + 1) === q) {
            field += quote;
            i += 2;
            continue;
          }
          inQuotes = false;
          i++;
          continue;
        }
        if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) line++;
        field += text[i];
        i++;
        continue;
      }
      if (c === q && fieldStart) {
        inQuotes = true;
        fieldStart = false;
        i++;
        continue;
      }
      if (c === d) {
        fields.push(field);
        field = '';
        fieldStart = true;
        i++;
        continue;
      }
      if (c === CR || c === LF) {
        const crlf = c === CR && text.charCodeAt(i + 1) === LF;
        if (newlines) newlines[crlf ? 'crlf' : c === LF ? 'lf' : 'cr']++;
        i += crlf ? 2 : 1;
        line++;
        ended = true;
        break;
      }
      field += text[i];
      fieldStart = false;
      i++;
    }
    fields.push(field);
    yield { fields, line: startLine, start, end: i, openQuote: inQuotes && !ended };
  }
}

/** A record with nothing in it: an empty line, or only delimiters (Excel's ";;;;"). */
export function isBlank(record: CsvRecord): boolean {
  return record.fields.every((f) => f.trim() === '');
}

export function filledCount(record: CsvRecord): number {
  return record.fields.reduce((n, f) => (f.trim() === '' ? n : n + 1), 0);
}
