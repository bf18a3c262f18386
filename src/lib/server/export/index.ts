import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliCompress, createGzip, constants as zlib } from 'node:zlib';
import type { RowQuery } from '../query/filters.ts';
import type { RowSource } from '../query/rows.ts';
import { FORMATS, type ExportFormat } from './formats.ts';
import { fileBody } from '../http/file-body.ts';
import { growingFileStream, openGrowingFile } from './growing-file.ts';
import { enforceCacheCap, noteCacheUse } from './disk-cache.ts';
import { cachedExportPath, ExportError, materialize, queryHash, type ExportFile } from './materialize.ts';
import { isWholeVersion } from './select.ts';

export { EXPORT_FORMATS, isExportFormat, type ExportFormat } from './formats.ts';
export { ExportError } from './materialize.ts';

/**
 * A download as an HTTP response: strong ETag from the version id (+ format and filters) with 304 on
 * If-None-Match, Range for whole-version files, gzip/br for text formats when asked, a filename that says
 * what it holds. The body streams from disk, so memory stays flat whatever the size.
 *
 * Compression of a whole version is served from a compressed copy kept beside it (written after a publish for
 * CSV, or after the first request that asks for it). Until that copy exists the answer is the plain file: even
 * the fastest gzip level compresses a large CSV at a third of the speed the plain file is sent (measured on
 * 103 MB: ~1.2 s of CPU against ~0.4 s), so compressing on the fly would make that client wait longer than one
 * that asked for nothing. Filtered downloads are smaller and made per request: compressed on the fly, fast level.
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
  const cachedCompressed = (enc: Encoding) => `${cachedExportPath(source, format)}.${SUFFIX[enc]}`;
  const accepted = request.headers.get('accept-encoding');
  const asked = info.text ? chooseEncoding(accepted, (enc) => whole && existsSync(cachedCompressed(enc))) : null;
  const encoding = whole && asked && !existsSync(cachedCompressed(asked)) ? null : asked;
  const etag = `"${source.version}.${format}${whole ? '' : `.${queryHash(query)}`}${encoding ? `.${encoding}` : ''}"`;
  const headers = new Headers({
    'content-type': info.contentType,
    'content-disposition': `attachment; filename="${source.dataset}-${source.version}${whole ? '' : '-filtered'}.${format}"`,
    etag,
    'cache-control': options.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=60',
    'access-control-allow-origin': '*',
    'x-content-type-options': 'nosniff',
    vary: 'Accept-Encoding',
  });
  if (encoding) headers.set('content-encoding', encoding);
  if (ifNoneMatch(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });

  // A compressed copy of a whole version made earlier: a plain file, with ranges.
  if (encoding && whole && existsSync(cachedCompressed(encoding))) {
    noteCacheUse(cachedCompressed(encoding));
    return fileResponse(request, cachedCompressed(encoding), headers, etag, async () => {});
  }

  let exported: ExportFile;
  try {
    exported = await materialize(source, query, format);
  } catch (error) {
    if (error instanceof ExportError) {
      // The API's one error shape (api/response.ts); ExportError's message is English.
      return Response.json({ error: { status: 413, code: 'export_too_large', message: error.message } }, { status: 413, headers: { 'access-control-allow-origin': '*' } });
    }
    throw error;
  }
  const cleanup = () => (exported.temporary ? rm(exported.file, { force: true }).then(() => {}) : Promise.resolve());
  if (request.method === 'HEAD') {
    await exported.done;
    if (!encoding) headers.set('content-length', String((await stat(exported.complete ? exported.file : cachedExportPath(source, format))).size));
    await cleanup();
    return new Response(null, { status: 200, headers });
  }
  // The plain file now; the compressed copy the client asked for is written once this answer is sent, not while it
  // is (compressing 103 MB at level 6 takes about 2 s of a core, which beside the download slowed it on 2 cores).
  const sent =
    whole && asked && !encoding
      ? () => cleanup().then(() => void exported.done.then(() => cacheCompressed(cachedExportPath(source, format), cachedCompressed(asked), asked)).catch(() => {}))
      : cleanup;
  if (encoding) {
    const body = exported.complete ? createReadStream(exported.file, { highWaterMark: 1 << 20 }) : growingFileStream(exported.file, exported.done, exported.finalFile);
    return new Response(toWeb(body.pipe(compressor(encoding, 'fast')), cleanup), { status: 200, headers });
  }
  if (!exported.complete) {
    // Still being written: sent as it grows (no length or ranges yet; the next request gets both).
    const body = fileBody({
      open: () => openGrowingFile(exported.file, exported.done, exported.finalFile),
      stream: () => growingFileStream(exported.file, exported.done, exported.finalFile),
      cleanup: sent,
    });
    return new Response(body, { status: 200, headers });
  }
  return fileResponse(request, exported.file, headers, etag, sent, !exported.temporary);
}

async function fileResponse(request: Request, file: string, headers: Headers, etag: string, cleanup: () => Promise<void>, ranges = true): Promise<Response> {
  // Opened first: the length sent is the length of the file read, even if the cache cap removes it meanwhile.
  const handle = await open(file, 'r');
  const size = (await handle.stat()).size;
  if (ranges) headers.set('accept-ranges', 'bytes');
  const range = ranges ? parseRange(request.headers.get('range'), size) : null;
  if (range === 'unsatisfiable' || request.method === 'HEAD') {
    await handle.close();
    await cleanup();
    if (range === 'unsatisfiable') {
      headers.set('content-range', `bytes */${size}`);
      return new Response(null, { status: 416, headers });
    }
    headers.set('content-length', String(size));
    return new Response(null, { status: 200, headers });
  }
  if (range && ifRangeMatches(request.headers.get('if-range'), etag)) {
    headers.set('content-range', `bytes ${range.start}-${range.end}/${size}`);
    headers.set('content-length', String(range.end - range.start + 1));
    return new Response(plainFileBody(handle, cleanup, range), { status: 206, headers });
  }
  headers.set('content-length', String(size));
  return new Response(plainFileBody(handle, cleanup), { status: 200, headers });
}

/** An open file (or one range of it) as a response body: written to the socket through reused buffers (http/file-body.ts). */
function plainFileBody(handle: FileHandle, cleanup: () => Promise<void>, range?: { start: number; end: number }): ReadableStream<Uint8Array> {
  return fileBody({
    open: async () => ({ read: async (buffer, length, position) => (await handle.read(buffer, 0, length, position)).bytesRead, close: () => handle.close() }),
    start: range?.start ?? 0,
    length: range ? range.end - range.start + 1 : Infinity,
    stream: () => handle.createReadStream({ highWaterMark: 1 << 20, ...range }),
    cleanup,
  });
}

type Encoding = 'br' | 'gzip';
const SUFFIX: Record<Encoding, string> = { br: 'br', gzip: 'gz' };

function compressor(encoding: Encoding, speed: 'fast' | 'small'): NodeJS.ReadWriteStream {
  // On the fly, speed matters more than the last few percent; cached copies are made once and kept.
  return encoding === 'br'
    ? createBrotliCompress({ params: { [zlib.BROTLI_PARAM_QUALITY]: speed === 'fast' ? 1 : 6 } })
    : createGzip({ level: speed === 'fast' ? 1 : 6, memLevel: 9 });
}

const compressing = new Set<string>();

/** Keeps a compressed copy of a whole-version export beside it, so later compressed downloads are plain files. */
export async function cacheCompressed(source: string, target: string, encoding: Encoding): Promise<void> {
  if (compressing.has(target) || existsSync(target)) return;
  compressing.add(target);
  const partial = `${target}.${process.pid}.partial`;
  try {
    await pipeline(createReadStream(source, { highWaterMark: 1 << 20 }), compressor(encoding, 'small'), createWriteStream(partial));
    await rename(partial, target);
    void enforceCacheCap();
  } catch {
    await rm(partial, { force: true });
  } finally {
    compressing.delete(target);
  }
}

function toWeb(body: Readable | NodeJS.ReadWriteStream, cleanup: () => Promise<void>): ReadableStream {
  const stream = body as Readable;
  stream.once('close', () => void cleanup());
  stream.once('error', () => void cleanup());
  return Readable.toWeb(stream) as ReadableStream;
}

/** br when a cached br copy exists, else gzip (much faster on the fly), else br, else none. */
function chooseEncoding(header: string | null, cached: (encoding: Encoding) => boolean): Encoding | null {
  const accepted = acceptedEncodings(header);
  if (accepted.has('br') && cached('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  if (accepted.has('br')) return 'br';
  return null;
}

function acceptedEncodings(header: string | null): Set<string> {
  const set = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && (q ? Number(q.slice(2)) : 1) > 0) set.add(name.trim().toLowerCase());
  }
  return set;
}

/** The encoding for a response made on the fly (no cached copy). */
export function pickEncoding(header: string | null): Encoding | null {
  return chooseEncoding(header, () => false);
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
