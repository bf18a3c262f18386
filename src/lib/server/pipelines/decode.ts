import { createReadStream, createWriteStream } from 'node:fs';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline as pipe } from 'node:stream/promises';
import { quoteList, quoteLiteral } from '../db/sql.ts';
import { diagnoseCsv } from './csv-diagnose.ts';
import { findFooter, inspectHead } from './csv-dialect.ts';
import { SourceError } from './extract.ts';
import { sourceProblem, type Problem } from './source-problem.ts';
import { DEFAULT_NULL_VALUES, type SourceSpec } from './spec.ts';
import type { FieldSpec } from '../lake/schema.ts';
import { chooseEncoding, encodingExists, normalizeEncoding, scanEncoding, transcodeToUtf8 } from './text-encoding.ts';
import { xlsxToNdjson } from './xlsx.ts';

/**
 * Turns the source bytes into something DuckDB reads natively (UTF-8 CSV or NDJSON) and returns the
 * table-function expression that reads it. DuckDB's CSV sniffer detects the dialect where the spec is silent.
 */
export interface DecodedSource {
  /** e.g. `read_csv('…', header = true, …)` */
  readExpression: string;
  /** Same source, every column as text: the fallback when type sniffing meets a value it cannot cast. */
  readAsText: string;
  encoding: string;
  /** The CSV delimiter used (given or detected); null for other formats. */
  delimiter: string | null;
  /** What was handled automatically (title rows skipped, notes removed…), for the run report. */
  notices: Problem[];
  /**
   * CSV only: called when DuckDB's strict read fails. Looks at every record to name what is wrong (lines with
   * too many values, an open quote), or returns a relaxed read for what is safe to accept (mixed line
   * endings, rows with too few values).
   */
  relax?: () => Promise<DecodedSource>;
  /** The file as it came, for explaining encoding errors. */
  originalFile: string;
}

export interface DecodeContext {
  /** Header names the schema expects (`source ?? name`), to find the header row; empty with a transform. */
  expectedHeaders: string[];
  /** Null values are applied in SQL, per field, instead of by DuckDB (some field has its own `null_values`). */
  nullsInSql: boolean;
  /** The spellings of "missing" to apply to a field in SQL, or null when DuckDB already applied them. */
  nullsFor: (field: FieldSpec) => readonly string[] | null;
}

/**
 * DuckDB applies one null list to every column as it reads a CSV, which is fast; a field with its own
 * `null_values` needs the raw text, so then every column's list is applied in SQL instead. JSON and XLSX
 * readers have no null list: theirs is always applied in SQL.
 */
export function decodeContext(source: SourceSpec, fields: FieldSpec[], hasTransform: boolean): DecodeContext {
  const delimited = source.format === 'csv' || source.format === 'tsv';
  const nullsInSql = !delimited || fields.some((f) => f.null_values);
  return {
    expectedHeaders: hasTransform ? [] : fields.map((f) => f.source ?? f.name),
    nullsInSql,
    nullsFor: (field) => (nullsInSql ? (field.null_values ?? source.null_values) : null),
  };
}

export async function decodeSource(file: string, source: SourceSpec, scratch: string, context: DecodeContext): Promise<DecodedSource> {
  switch (source.format) {
    case 'csv':
    case 'tsv':
      return decodeDelimited(file, source, scratch, context);
    case 'xlsx': {
      const out = path.join(scratch, 'source.ndjson');
      await xlsxToNdjson(file, out, source, context.expectedHeaders);
      return ndjson(out, 'utf-8', file);
    }
    case 'json':
      return decodeJson(file, source, scratch, (doc) => pickRecords(doc, source.records_path));
    case 'geojson':
      return decodeJson(file, source, scratch, geojsonRecords);
    case 'ndjson':
      return ndjson(file, 'utf-8', file);
  }
}

const HEAD_BYTES = 256 * 1024;
const TAIL_BYTES = 64 * 1024;

async function decodeDelimited(file: string, source: SourceSpec, scratch: string, context: DecodeContext): Promise<DecodedSource> {
  const declared = source.encoding ? normalizeEncoding(source.encoding) : undefined;
  if (declared && !encodingExists(declared)) throw sourceProblem('source.encoding.unknown', { encoding: source.encoding! });
  // A declared UTF-8 is not scanned up front (DuckDB checks every byte as it reads; its error leads to the scan).
  const encoding = declared ?? chooseEncoding(await scanEncoding(file), undefined);
  const notices: Problem[] = [];
  let csvFile = file;
  if (encoding !== 'utf-8') {
    csvFile = path.join(scratch, 'source.utf8.csv');
    await transcodeToUtf8(file, encoding, csvFile);
    if (!declared) notices.push({ code: 'source.notice.encoding', params: { encoding } });
  }
  const quote = source.quote ?? '"';
  const { text: head, complete } = await readHead(csvFile, HEAD_BYTES);
  const dialect = inspectHead(head, complete, {
    delimiter: source.delimiter ?? (source.format === 'tsv' ? '\t' : undefined),
    quote,
    skipRows: source.header ? source.skip_rows : (source.skip_rows ?? 0),
    expectedHeaders: source.header ? context.expectedHeaders : [],
  });
  notices.push(...dialect.notices);
  csvFile = await withoutFooter(csvFile, complete ? head : null, { ...dialect, quote }, source.footer_rows, scratch, notices);
  const decimal = source.decimal ?? (dialect.delimiter === ';' ? ',' : '.');
  const options = (relaxed: boolean) =>
    [
      `header = ${source.header}`,
      `skip = ${dialect.skipLines}`,
      `delim = ${quoteLiteral(dialect.delimiter)}`,
      `quote = ${quoteLiteral(quote)}`,
      `escape = ${quoteLiteral(quote)}`,
      `decimal_separator = ${quoteLiteral(decimal)}`,
      `nullstr = ${quoteList(context.nullsInSql ? [''] : nullStrings(source.null_values, head))}`,
      `null_padding = ${relaxed}`,
      `strict_mode = ${!relaxed}`,
      `parallel = true`,
    ].join(', ');
  const strict = `read_csv(${quoteLiteral(csvFile)}, ${options(false)}${source.header && dialect.names.length > 0 ? `, names = ${quoteList(dialect.names)}` : ''}`;
  // DuckDB's sniffer gives up on the files that need relaxing, so the relaxed read names every column as text
  // and sniffs nothing: the schema step converts and reports values as it does for any text column.
  const columns = `columns = {${dialect.names.map((n) => `${quoteLiteral(n)}: 'VARCHAR'`).join(', ')}}`;
  const relaxed = dialect.names.length > 0 ? `read_csv(${quoteLiteral(csvFile)}, ${options(true)}, auto_detect = false, ${columns})` : `read_csv(${quoteLiteral(csvFile)}, ${options(true)}, all_varchar = true)`;
  const read = (lenient: boolean) =>
    lenient ? { readExpression: relaxed, readAsText: relaxed } : { readExpression: `${strict}, sample_size = 20480)`, readAsText: `${strict}, all_varchar = true)` };
  const decoded: DecodedSource = { ...read(false), encoding, delimiter: dialect.delimiter, notices, originalFile: file };
  decoded.relax = async () => {
    const found = await diagnoseCsv(csvFile, { ...dialect, quote, header: source.header }, source.extra_fields);
    return { ...decoded, ...read(true), notices: [...notices, ...found], relax: undefined };
  };
  return decoded;
}

/**
 * The spellings DuckDB should read as NULL. DuckDB compares every value of every column with each of them, which
 * showed as ~10% of a large load; so of the default list only those found in the first 256 KB are passed
 * (a number or date column meeting one later still reads it as missing: the text fallback applies the whole list).
 * A list given in the spec is passed whole.
 */
function nullStrings(values: readonly string[], head: string): string[] {
  const all = nullVariants(values);
  if (values.length !== DEFAULT_NULL_VALUES.length || values.some((v, i) => v !== DEFAULT_NULL_VALUES[i])) return all;
  const cells = new Set(head.split(/[\r\n,;\t|"]/).map((c) => c.trim().toLowerCase()));
  return all.filter((v) => v === '' || cells.has(v.toLowerCase()));
}

/** Each null value as written and in lower, upper and title case: DuckDB matches them exactly. */
export function nullVariants(values: readonly string[]): string[] {
  const title = (v: string) => v.replace(/\p{L}+/gu, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase());
  const sentence = (v: string) => v.charAt(0).toUpperCase() + v.slice(1).toLowerCase();
  return [...new Set(values.flatMap((v) => [v, v.toLowerCase(), v.toUpperCase(), title(v), sentence(v)]))];
}

async function readHead(file: string, bytes: number): Promise<{ text: string; complete: boolean }> {
  const handle = await open(file);
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    const size = (await handle.stat()).size;
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), complete: bytesRead >= size };
  } finally {
    await handle.close();
  }
}

/** Copies the file without its notes rows (when there are any) and says so in the notices. */
async function withoutFooter(
  file: string,
  wholeText: string | null,
  dialect: { delimiter: string; quote: string; names: string[] },
  footerRows: number | undefined,
  scratch: string,
  notices: Problem[],
): Promise<string> {
  const size = (await stat(file)).size;
  const tail = wholeText ?? (await readRange(file, Math.max(0, size - TAIL_BYTES), size));
  const footer = findFooter(tail, wholeText !== null, { ...dialect, width: dialect.names.length }, footerRows);
  if (!footer) return file;
  const end = size - Buffer.byteLength(tail.slice(footer.start), 'utf8');
  const out = path.join(scratch, 'source.body.csv');
  await pipe(createReadStream(file, { start: 0, end: end - 1 }), createWriteStream(out));
  notices.push({ code: 'source.notice.footer', params: { rows: footer.rows, first: footer.first.slice(0, 60) } });
  return out;
}

async function readRange(file: string, start: number, end: number): Promise<string> {
  const handle = await open(file);
  try {
    const buffer = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

function ndjson(file: string, encoding: string, originalFile: string): DecodedSource {
  const base = `read_json(${quoteLiteral(file)}, format = 'newline_delimited', records = true`;
  return { readExpression: `${base}, sample_size = -1)`, readAsText: `${base}, sample_size = -1)`, encoding, delimiter: null, notices: [], originalFile };
}

async function decodeJson(
  file: string,
  source: SourceSpec,
  scratch: string,
  toRecords: (doc: unknown) => Record<string, unknown>[],
): Promise<DecodedSource> {
  let doc: unknown;
  try {
    doc = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new SourceError(`source: not valid JSON: ${(error as Error).message}`);
  }
  const records = toRecords(doc);
  const out = path.join(scratch, 'source.ndjson');
  await writeFile(out, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return ndjson(out, 'utf-8', file);
}

function pickRecords(doc: unknown, recordsPath: string | undefined): Record<string, unknown>[] {
  let node = doc;
  for (const key of recordsPath ? recordsPath.split('.') : []) {
    if (node === null || typeof node !== 'object' || !(key in node)) {
      throw new SourceError(`source.records_path: "${recordsPath}" not found in the JSON document (missing key "${key}")`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  if (!Array.isArray(node)) {
    throw new SourceError(`source.records_path: expected an array of records at "${recordsPath ?? '(document root)'}", found ${typeof node}`);
  }
  return node.map((record, i) => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new SourceError(`source: record ${i + 1} is not a JSON object`);
    }
    return record as Record<string, unknown>;
  });
}

/** GeoJSON features become rows: their properties plus `geometry` as GeoJSON text (no spatial extension here). */
function geojsonRecords(doc: unknown): Record<string, unknown>[] {
  const collection = doc as { type?: string; features?: unknown[] };
  if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw new SourceError(`source: expected a GeoJSON FeatureCollection, found type "${String(collection?.type)}"`);
  }
  return collection.features.map((f, i) => {
    const feature = f as { type?: string; properties?: Record<string, unknown> | null; geometry?: unknown };
    if (feature?.type !== 'Feature') throw new SourceError(`source: features[${i}] is not a GeoJSON Feature`);
    return { ...(feature.properties ?? {}), geometry: feature.geometry == null ? null : JSON.stringify(feature.geometry) };
  });
}
