import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createBrotliCompress, createGzip, constants as zlib } from 'node:zlib';
import type { RowQuery } from '../query/filters.ts';
import type { RowSource } from '../query/rows.ts';
import { FORMATS, type ExportFormat } from './formats.ts';
import { ExportError, materialize, queryHash } from './materialize.ts';
import { isWholeVersion } from './select.ts';

export { EXPORT_FORMATS, isExportFormat, type ExportFormat } from './formats.ts';
export { ExportError } from './materialize.ts';

/**
 * A download as an HTTP response: strong ETag from the version id (+ format and filters) with 304 on
 * If-None-Match, Range for whole-version files, gzip/br for text formats when asked, a filename that says
 * what it holds. The body streams from disk, so memory stays flat whatever the size.
 */
export async function exportResponse(
  request: Request,
  source: RowSource & { title?: string },
  query: RowQuery,
  format: ExportFormat,
  options: { immutable?: boolean } = {},
): Promise<Response> {
  const whole = isWholeVersion(query);
  const info = FORMATS[format];
  const encoding = info.text ? pickEncoding(request.headers.get('accept-encoding')) : null;
  const tag = `${source.version}.${format}${whole ? '' : `.${queryHash(query)}`}${encoding ? `.${encoding}` : ''}`;
  const etag = `"${tag}"`;
  const headers = new Headers({
    'content-type': info.contentType,
    'content-disposition': `attachment; filename="${source.dataset}-${source.version}${whole ? '' : '-filtered'}.${format}"`,
    etag,
    'cache-control': options.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=60',
    'access-control-allow-origin': '*',
    'x-content-type-options': 'nosniff',
    vary: 'Accept-Encoding',
  });
  if (ifNoneMatch(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });

  let exported;
  try {
    exported = await materialize(source, query, format);
  } catch (error) {
    if (error instanceof ExportError) {
      return Response.json({ error: { status: 413, message: error.message } }, { status: 413, headers: { 'access-control-allow-origin': '*' } });
    }
    throw error;
  }
  const size = (await stat(exported.file)).size;
  const cleanup = () => (exported.temporary ? rm(exported.file, { force: true }) : Promise.resolve());

  if (request.method === 'HEAD') {
    await cleanup();
    if (!encoding) headers.set('content-length', String(size));
    if (!encoding && !exported.temporary) headers.set('accept-ranges', 'bytes');
    return new Response(null, { status: 200, headers });
  }
  if (encoding) {
    headers.set('content-encoding', encoding);
    const compressor =
      encoding === 'br' ? createBrotliCompress({ params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } }) : createGzip({ level: 6 });
    return new Response(stream(exported.file, cleanup, compressor), { status: 200, headers });
  }
  if (!exported.temporary) headers.set('accept-ranges', 'bytes');
  const range = exported.temporary ? null : parseRange(request.headers.get('range'), size);
  if (range === 'unsatisfiable') {
    await cleanup();
    headers.set('content-range', `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  if (range && ifRangeMatches(request.headers.get('if-range'), etag)) {
    headers.set('content-range', `bytes ${range.start}-${range.end}/${size}`);
    headers.set('content-length', String(range.end - range.start + 1));
    return new Response(stream(exported.file, cleanup, undefined, range), { status: 206, headers });
  }
  headers.set('content-length', String(size));
  return new Response(stream(exported.file, cleanup), { status: 200, headers });
}

function stream(file: string, cleanup: () => Promise<void>, transform?: NodeJS.ReadWriteStream, range?: { start: number; end: number }): ReadableStream {
  const source = createReadStream(file, { highWaterMark: 1 << 20, ...(range ?? {}) });
  source.on('close', () => void cleanup());
  const body = transform ? source.pipe(transform) : source;
  return Readable.toWeb(body as Readable) as ReadableStream;
}

export function pickEncoding(header: string | null): 'br' | 'gzip' | null {
  if (!header) return null;
  const accepted = header.split(',').map((part) => {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { name: name!.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
  });
  const ok = (name: string) => accepted.some((a) => a.name === name && a.q > 0);
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : null;
}

function ifNoneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}` || t.trim() === '*');
}

function ifRangeMatches(header: string | null, etag: string): boolean {
  return !header || header.trim() === etag;
}

/** One byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`); multi-range requests get the whole file. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export type { RowQuery, RowSource };
