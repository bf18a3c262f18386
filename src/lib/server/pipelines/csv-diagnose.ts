import { createReadStream } from 'node:fs';
import { csvRecords, type NewlineCounts } from './csv-records.ts';
import { lineList, sourceProblem, type Problem } from './source-problem.ts';

/**
 * Why DuckDB's strict read of a CSV failed, found by reading every record after the header. What is safe to
 * read anyway comes back as notices (the relaxed read then takes it): mixed line endings (a file appended to by
 * two tools), rows with too few values (padded with empty cells), extra values that are empty (a delimiter at
 * the end of some lines), extra values with `source.extra_fields: ignore`. What is not throws, naming the lines
 * and the spec option: rows with more values than the header has columns, a quote that is never closed.
 */
export async function diagnoseCsv(
  file: string,
  dialect: { delimiter: string; quote: string; skipLines: number; names: string[]; header: boolean },
  extraFields: 'error' | 'ignore',
): Promise<Problem[]> {
  const width = dialect.names.length;
  const newlines: NewlineCounts = { crlf: 0, lf: 0, cr: 0 };
  const short = { lines: [] as number[], count: 0 };
  const long = { lines: [] as number[], count: 0 };
  const firstDataLine = dialect.skipLines + (dialect.header ? 2 : 1);
  for await (const record of records(file, dialect.delimiter, dialect.quote, newlines)) {
    if (record.openQuote) throw sourceProblem('source.csv.open_quote', { line: record.line, quote: dialect.quote });
    if (record.line < firstDataLine || width === 0) continue;
    const n = record.fields.length;
    if (n === 1 && record.fields[0] === '') continue;
    if (n < width) tally(short, record.line);
    else if (n > width && record.fields.slice(width).some((f) => f.trim() !== '')) tally(long, record.line);
  }
  const notices: Problem[] = [];
  if (long.count > 0) {
    const params = { lines: lineList(long.lines, long.count), count: long.count, width };
    if (extraFields === 'error') throw sourceProblem('source.csv.too_many_fields', params);
    notices.push({ code: 'source.notice.extra_ignored', params });
  }
  if (short.count > 0) notices.push({ code: 'source.notice.padded', params: { lines: lineList(short.lines, short.count), count: short.count, width } });
  const kinds = Object.entries(newlines).filter(([, n]) => n > 0);
  if (kinds.length > 1) notices.push({ code: 'source.notice.mixed_newlines', params: { counts: kinds.map(([k, n]) => `${n} ${k.toUpperCase()}`).join(', ') } });
  return notices;
}

function tally(into: { lines: number[]; count: number }, line: number): void {
  into.count++;
  if (into.lines.length < 10) into.lines.push(line);
}

/**
 * Every record of the file, read in chunks: a chunk is cut after its last complete record, and the rest
 * (a record still open, perhaps inside quotes) starts the next one.
 */
async function* records(file: string, delimiter: string, quote: string, newlines: NewlineCounts) {
  let carry = '';
  let line = 1;
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let done = false;
  const iterator = stream[Symbol.asyncIterator]();
  while (!done) {
    const next = await iterator.next();
    done = next.done ?? false;
    const text = carry + (done ? '' : (next.value as string));
    if (text === '') break;
    const counts: NewlineCounts = { crlf: 0, lf: 0, cr: 0 };
    const batch = [...csvRecords(text, delimiter, quote, counts)];
    // Keep the last record for the next chunk unless the file ended: it may continue there.
    const complete = done ? batch : batch.slice(0, -1);
    for (const record of complete) {
      yield { ...record, line: record.line + line - 1 };
    }
    const consumed = complete.at(-1)?.end ?? 0;
    const consumedText = text.slice(0, consumed);
    line += countLines(consumedText);
    for (const key of ['crlf', 'lf', 'cr'] as const) newlines[key] += countNewlines(consumedText, key);
    carry = text.slice(consumed);
    if (done) break;
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** Line endings outside quotes are what matters, but a count of all of them tells "mixed" just as well. */
function countNewlines(text: string, kind: keyof NewlineCounts): number {
  const pattern = kind === 'crlf' ? /\r\n/g : kind === 'lf' ? /(?<!\r)\n/g : /\r(?!\n)/g;
  return text.match(pattern)?.length ?? 0;
}
