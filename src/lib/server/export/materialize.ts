import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { dataDir, scratchDir } from '../config/paths.ts';
import { withConnection } from '../db/database.ts';
import { quoteLiteral } from '../db/sql.ts';
import { versionDataPath } from '../lake/read.ts';
import { queryToParams, type RowQuery } from '../query/filters.ts';
import type { RowSource } from '../query/rows.ts';
import { writeArrowFile } from './arrow.ts';
import { FORMATS, XLSX_MAX_ROWS, type ExportFormat } from './formats.ts';
import { exportSelect, isWholeVersion } from './select.ts';
import { writeXlsxFile } from './xlsx.ts';

export class ExportError extends Error {}

export interface ExportFile {
  file: string;
  /** Delete after sending (filtered downloads); whole-version files are kept: versions never change. */
  temporary: boolean;
}

/**
 * A file holding exactly the requested rows in the requested format, written by DuckDB's own COPY where it can
 * (native speed, bounded memory). Whole-version exports are cached per version: the version is immutable, so
 * the file is too, and it can be served with Range requests and strong ETags.
 */
export async function materialize(source: RowSource & { title?: string }, query: RowQuery, format: ExportFormat): Promise<ExportFile> {
  const whole = isWholeVersion(query);
  if (whole && format === 'parquet') return { file: versionDataPath(source.dataset, source.version), temporary: false };
  const target = whole
    ? path.join(dataDir(), 'cache', 'exports', source.dataset, source.version, `data.${format}`)
    : path.join(scratchDir(), 'exports', `${source.dataset}-${source.version}-${queryHash(query)}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}.${format}`);
  if (whole && existsSync(target)) return { file: target, temporary: false };
  if (whole) {
    // One writer per cached file: concurrent first downloads wait for the same COPY.
    let pending = inFlight.get(target);
    if (!pending) {
      pending = write(source, query, format, target).finally(() => inFlight.delete(target));
      inFlight.set(target, pending);
    }
    await pending;
    return { file: target, temporary: false };
  }
  await write(source, query, format, target);
  return { file: target, temporary: true };
}

const inFlight = new Map<string, Promise<void>>();

async function write(source: RowSource & { title?: string }, query: RowQuery, format: ExportFormat, target: string): Promise<void> {
  mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  const select = exportSelect(source, query);
  const fields = query.fields ? source.fields.filter((f) => query.fields!.includes(f.name)) : source.fields;
  try {
    await withConnection(async (conn) => {
      const copy = FORMATS[format].copy;
      if (copy) {
        await conn.run(`COPY (${select.sql}) TO ${quoteLiteral(partial)} (${copy})`, select.values as never);
      } else if (format === 'arrow') {
        await writeArrowFile(conn, select, fields, partial);
      } else {
        const [{ n }] = (await conn.runAndReadAll(`SELECT count(*) AS n FROM (${select.sql})`, select.values as never)).getRowObjectsJson() as [{ n: string }];
        if (Number(n) > XLSX_MAX_ROWS) {
          throw new ExportError(`XLSX holds at most ${XLSX_MAX_ROWS.toLocaleString('en')} rows and this download has ${Number(n).toLocaleString('en')}; filter the rows or choose CSV or Parquet`);
        }
        await writeXlsxFile(conn, select, fields, partial, source.title ?? source.dataset);
      }
    });
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** Stable for the same filters, whatever order the URL gave them in. */
export function queryHash(query: RowQuery): string {
  const params = queryToParams(query);
  params.sort();
  return createHash('sha256').update(params.toString()).digest('hex').slice(0, 16);
}
