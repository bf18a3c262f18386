import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline as pipe } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { quoteList, quoteLiteral } from '../db/sql.ts';
import { SourceError } from './extract.ts';
import type { SourceSpec } from './spec.ts';
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
}

export async function decodeSource(file: string, source: SourceSpec, scratch: string): Promise<DecodedSource> {
  switch (source.format) {
    case 'csv':
    case 'tsv':
      return decodeDelimited(file, source, scratch);
    case 'xlsx': {
      const out = path.join(scratch, 'source.ndjson');
      await xlsxToNdjson(file, out, source);
      return ndjson(out, 'utf-8');
    }
    case 'json':
      return decodeJson(file, source, scratch, (doc) => pickRecords(doc, source.records_path));
    case 'geojson':
      return decodeJson(file, source, scratch, geojsonRecords);
    case 'ndjson':
      return ndjson(file, 'utf-8');
  }
}

async function decodeDelimited(file: string, source: SourceSpec, scratch: string): Promise<DecodedSource> {
  const encoding = normalizeEncoding(source.encoding ?? (await detectEncoding(file)));
  let csvFile = file;
  if (encoding !== 'utf-8') {
    if (!iconv.encodingExists(encoding)) throw new SourceError(`source.encoding: unknown encoding "${source.encoding}"`);
    csvFile = path.join(scratch, 'source.utf8.csv');
    await pipe(createReadStream(file), iconv.decodeStream(encoding), iconvToUtf8(), createWriteStream(csvFile));
  }
  const delimiter = source.delimiter ?? (source.format === 'tsv' ? '\t' : await sniffDelimiter(csvFile, source.skip_rows));
  const decimal = source.decimal ?? (delimiter === ';' ? ',' : '.');
  const options = [
    `header = ${source.header}`,
    `skip = ${source.skip_rows}`,
    delimiter ? `delim = ${quoteLiteral(delimiter)}` : null,
    `decimal_separator = ${quoteLiteral(decimal)}`,
    source.quote ? `quote = ${quoteLiteral(source.quote)}` : null,
    `nullstr = ${quoteList(source.null_values)}`,
    `null_padding = false`,
    `strict_mode = true`,
    `parallel = true`,
  ].filter(Boolean);
  const base = `read_csv(${quoteLiteral(csvFile)}, ${options.join(', ')}`;
  return { readExpression: `${base}, sample_size = 20480)`, readAsText: `${base}, all_varchar = true)`, encoding, delimiter };
}

/** UTF-8 if every byte sequence is valid UTF-8, otherwise Windows-1252 (what Excel on Indonesian Windows writes). */
export async function detectEncoding(file: string): Promise<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

function normalizeEncoding(name: string): string {
  const lower = name.toLowerCase().replace(/_/g, '-');
  return lower === 'utf8' ? 'utf-8' : lower === 'cp1252' ? 'windows-1252' : lower;
}

function iconvToUtf8(): Transform {
  return new Transform({ transform: (chunk: string | Buffer, _enc, done) => done(null, Buffer.from(chunk as string, 'utf8')) });
}

/**
 * DuckDB's sniffer can be fooled by a title row above the header; we only pick between the delimiters
 * Indonesian exports use, by counting them on the header line.
 */
async function sniffDelimiter(file: string, skipRows: number): Promise<string | null> {
  const head = (await readPrefix(file, 64 * 1024)).replace(/^\uFEFF/, '');
  const line = head.split(/\r?\n/).filter((l, i) => i >= skipRows && l.trim() !== '')[0] ?? '';
  const counts = [';', ',', '\t', '|'].map((d) => [d, line.split(d).length - 1] as const).sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : null;
}

async function readPrefix(file: string, bytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1 })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function ndjson(file: string, encoding: string): DecodedSource {
  const base = `read_json(${quoteLiteral(file)}, format = 'newline_delimited', records = true`;
  return { readExpression: `${base}, sample_size = -1)`, readAsText: `${base}, sample_size = -1)`, encoding, delimiter: null };
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
  return ndjson(out, 'utf-8');
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
