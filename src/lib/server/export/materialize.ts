import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { exportCacheDir, scratchDir } from '../config/paths.ts';
import { withBulkConnection } from '../catalog/index-db.ts';
import { quoteLiteral } from '../db/sql.ts';
import { versionDataPath } from '../lake/read.ts';
import { queryToParams, type RowQuery } from '../query/filters.ts';
import type { RowSource } from '../query/rows.ts';
import { writeArrowFromParquet } from './arrow.ts';
import { enforceCacheCap, noteCacheUse } from './disk-cache.ts';
import { FORMATS, XLSX_MAX_ROWS, type ExportFormat } from './formats.ts';
import { exportSelect, isWholeVersion } from './select.ts';
import { writeXlsxFile } from './xlsx.ts';

export class ExportError extends Error {}

export interface ExportFile {
  /** The file to send. While `done` is pending it is still being appended to (stream it with growingFileStream). */
  file: string;
  done: Promise<void>;
  /** Delete after sending (filtered downloads); whole-version files are kept: versions never change. */
  temporary: boolean;
  /** True when the whole file already existed (its size and ranges are known now). */
  complete: boolean;
  /** Where `file` ends up once complete (it is renamed there). */
  finalFile: string;
}

/**
 * A file holding exactly the requested rows in the requested format, written by DuckDB's own COPY where it can
 * (native speed, bounded memory). Whole-version exports are cached per version: the version is immutable, so
 * the file is too, and it can be served with Range requests and strong ETags. CSV, JSON and Arrow can be sent while
 * they are still being written; Parquet and XLSX are sent once written.
 */
export async function materialize(source: RowSource & { title?: string }, query: RowQuery, format: ExportFormat): Promise<ExportFile> {
  const whole = isWholeVersion(query);
  if (whole && format === 'parquet') return ready(versionDataPath(source.dataset, source.version));
  if (whole) {
    const target = cachedExportPath(source, format);
    if (existsSync(target)) return ready(target);
    // One writer per cached file: concurrent first downloads follow the same COPY.
    let pending = inFlight.get(target);
    if (!pending) {
      // Written under a temporary name and renamed when complete; a reader's open descriptor follows the rename.
      const job = write(source, query, format, target, true);
      pending = { partial: job.partial, done: job.done.finally(() => inFlight.delete(target)) };
      inFlight.set(target, pending);
    }
    if (!streamable(format)) {
      await pending.done;
      return ready(target);
    }
    return { file: pending.partial, done: pending.done, temporary: false, complete: false, finalFile: target };
  }
  const target = path.join(scratchDir(), 'exports', `${source.dataset}-${source.version}-${queryHash(query)}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}.${format}`);
  // A filtered download is this request's own file: written in place, deleted once sent.
  const job = write(source, query, format, target, false);
  if (!streamable(format)) {
    await job.done;
    return { file: target, done: Promise.resolve(), temporary: true, complete: true, finalFile: target };
  }
  return { file: target, done: job.done, temporary: true, complete: false, finalFile: target };
}

export function cachedExportPath(source: RowSource, format: string): string {
  return path.join(exportCacheDir(), source.dataset, source.version, `data.${format}`);
}

function ready(file: string): ExportFile {
  noteCacheUse(file);
  return { file, done: Promise.resolve(), temporary: false, complete: true, finalFile: file };
}

/** Formats written front to back (DuckDB's COPY, the Arrow converter), so a reader can follow the writer. */
function streamable(format: ExportFormat): boolean {
  return format === 'csv' || format === 'json' || format === 'ndjson' || format === 'arrow';
}

const inFlight = new Map<string, { partial: string; done: Promise<void> }>();

function write(
  source: RowSource & { title?: string },
  query: RowQuery,
  format: ExportFormat,
  target: string,
  atomic: boolean,
): { partial: string; done: Promise<void> } {
  mkdirSync(path.dirname(target), { recursive: true });
  const partial = atomic ? `${target}.${process.pid}.partial` : target;
  const select = exportSelect(source, query);
  const fields = query.fields ? source.fields.filter((f) => query.fields!.includes(f.name)) : source.fields;
  const done = (async () => {
    try {
      await withBulkConnection(async (conn) => {
        const copy = FORMATS[format].copy;
        if (copy) {
          await conn.run(`COPY (${select.sql}) TO ${quoteLiteral(partial)} (${copy})`, select.values as never);
        } else if (format === 'arrow') {
          await writeArrow(conn, source, query, select, partial);
        } else {
          const [{ n }] = (await conn.runAndReadAll(`SELECT count(*) AS n FROM (${select.sql})`, select.values as never)).getRowObjectsJson() as [{ n: string }];
          if (Number(n) > XLSX_MAX_ROWS) {
            throw new ExportError(`XLSX holds at most ${XLSX_MAX_ROWS.toLocaleString('en')} rows and this download has ${Number(n).toLocaleString('en')}; filter the rows or choose CSV or Parquet`);
          }
          await writeXlsxFile(conn, select, fields, partial, source.title ?? source.dataset);
        }
      });
      if (atomic) {
        await rename(partial, target);
        void enforceCacheCap();
      }
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  })();
  return { partial, done };
}

/**
 * Arrow goes through Parquet: a whole version is converted from its published file; a filtered, sorted or narrowed
 * download is first written by DuckDB's COPY (uncompressed, so it is quick to write and to read back).
 */
async function writeArrow(conn: DuckDBConnection, source: RowSource, query: RowQuery, select: { sql: string; values: string[] }, target: string): Promise<void> {
  if (isWholeVersion(query)) return writeArrowFromParquet(versionDataPath(source.dataset, source.version), target);
  const staged = `${target}.parquet`;
  try {
    await conn.run(`COPY (${select.sql}) TO ${quoteLiteral(staged)} (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 65536)`, select.values as never);
    await writeArrowFromParquet(staged, target);
  } finally {
    await rm(staged, { force: true });
  }
}

/** Stable for the same filters, whatever order the URL gave them in. */
export function queryHash(query: RowQuery): string {
  const params = queryToParams(query);
  params.sort();
  return createHash('sha256').update(params.toString()).digest('hex').slice(0, 16);
}
