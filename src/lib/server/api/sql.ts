import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { BoundParam } from '../query/sandbox-engine.ts';
import { exportSql, oversizeSqlBody, runSql, SQL_LIMITS, SqlError, type SqlResult } from '../query/sandbox.ts';
import { problem, type Problem } from '../validation/problem.ts';
import { ARROW_STREAM_TYPE, sqlResultToArrow } from './arrow.ts';
import { apiOptions, type ApiContext } from './context.ts';
import { csvText } from './csv.ts';
import { apiError, badRequest, CORS_HEADERS, intParam, jsonResponse } from './response.ts';
import type { z } from 'zod';
import type { SqlResult as SqlResultJson } from './schemas.ts';
import { choice, readSqlParams } from './sql-request.ts';

/**
 * `GET|POST /api/v1/sql` (a page of rows: json, csv or arrow) and `/api/v1/sql/download.<csv|json|parquet>` (the
 * whole result as a file): read-only SQL over every public dataset, run by src/lib/server/query/sandbox.ts, which
 * owns every safety rule. Saved queries (./queries.ts) answer through the same two functions.
 */
export const SQL_FORMATS = ['json', 'csv', 'arrow'] as const;
export type SqlFormat = (typeof SQL_FORMATS)[number];
export const SQL_DOWNLOAD_FORMATS = ['csv', 'json', 'parquet'] as const;
export type SqlDownloadFormat = (typeof SQL_DOWNLOAD_FORMATS)[number];

const DOWNLOAD_TYPES: Record<SqlDownloadFormat, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8', parquet: 'application/vnd.apache.parquet' };

/** Ad-hoc SQL: `sql`, `format`, `max_rows`. */
export async function sqlResponse(ctx: ApiContext): Promise<Response> {
  // Refused unread (the server stops reading the rest: http/linger.ts).
  const oversize = oversizeSqlBody(ctx.request);
  if (oversize) return sqlErrorResponse(ctx, oversize);
  const read = await readSqlParams(ctx.request, ctx.url);
  const problems = [...read.problems];
  const sql = read.params.get('sql') ?? '';
  if (read.problems.length === 0 && !sql.trim()) problems.push(problem('sql', 'problem.sql.required'));
  const format = choice(read.params, 'format', SQL_FORMATS, 'json', problems);
  const maxRows = intParam(read.params, 'max_rows', { fallback: SQL_LIMITS.defaultRows, min: 1, max: SQL_LIMITS.maxRows }, problems);
  if (problems.length > 0) return badRequest(problems, apiOptions(ctx, ctx.request.method === 'GET'));
  return rowsAnswer(ctx, sql, [], format, maxRows);
}

/** The whole result of ad-hoc SQL as a file. */
export async function sqlDownloadResponse(ctx: ApiContext, format: string): Promise<Response> {
  // Refused unread (the server stops reading the rest: http/linger.ts).
  const oversize = oversizeSqlBody(ctx.request);
  if (oversize) return sqlErrorResponse(ctx, oversize);
  const read = await readSqlParams(ctx.request, ctx.url);
  const problems = [...read.problems];
  const sql = read.params.get('sql') ?? '';
  if (read.problems.length === 0 && !sql.trim()) problems.push(problem('sql', 'problem.sql.required'));
  if (!(SQL_DOWNLOAD_FORMATS as readonly string[]).includes(format)) {
    problems.push(problem('format', 'problem.param.one_of', { name: 'format', allowed: SQL_DOWNLOAD_FORMATS.join(', '), value: format }));
  }
  if (problems.length > 0) return badRequest(problems, apiOptions(ctx, ctx.request.method === 'GET'));
  return downloadAnswer(ctx, sql, [], format as SqlDownloadFormat, 'hasil-kueri');
}

/** A page of a query's rows in the format asked for, or the sandbox's refusal in the one error shape. */
export async function rowsAnswer(ctx: ApiContext, sql: string, params: BoundParam[], format: SqlFormat, maxRows: number): Promise<Response> {
  const cors = ctx.request.method === 'GET';
  let result: SqlResult;
  try {
    result = await runSql(sql, { maxRows, params });
  } catch (error) {
    if (error instanceof SqlError) return sqlErrorResponse(ctx, error);
    throw error;
  }
  const headers: Record<string, string> = {
    'Cache-Control': 'no-store',
    'X-Truncated': String(result.truncated),
    'X-Elapsed-Ms': String(result.elapsed_ms),
    ...(cors ? CORS_HEADERS : {}),
  };
  if (result.truncated_by) headers['X-Truncated-By'] = result.truncated_by;
  const rows = result.rows.map((row) => jsonRow(row, result.columns));
  if (format === 'csv') {
    return new Response(csvText(result.columns.map((c) => c.name), rows), { headers: { ...headers, 'Content-Type': 'text/csv; charset=utf-8' } });
  }
  if (format === 'arrow') {
    return new Response(sqlResultToArrow(result.columns, result.rows) as Uint8Array<ArrayBuffer>, { headers: { ...headers, 'Content-Type': ARROW_STREAM_TYPE } });
  }
  const body: z.input<typeof SqlResultJson> = { columns: result.columns, rows, truncated: result.truncated, truncated_by: result.truncated_by, elapsed_ms: result.elapsed_ms };
  return jsonResponse(body, { cache: 'none', cors, headers });
}

/** The whole result, written by DuckDB's COPY in the SQL worker, streamed from disk and deleted once sent. */
export async function downloadAnswer(ctx: ApiContext, sql: string, params: BoundParam[], format: SqlDownloadFormat, name: string): Promise<Response> {
  let file;
  try {
    file = await exportSql(sql, format, { params });
  } catch (error) {
    if (error instanceof SqlError) return sqlErrorResponse(ctx, error);
    throw error;
  }
  const stream = createReadStream(file.file);
  stream.once('close', file.remove);
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      'Content-Type': DOWNLOAD_TYPES[format],
      'Content-Length': String(file.bytes),
      'Content-Disposition': `attachment; filename="${name}.${format}"`,
      'Cache-Control': 'no-store',
      'X-Rows': String(file.rows),
      ...(ctx.request.method === 'GET' ? { ...CORS_HEADERS, 'Access-Control-Expose-Headers': `${CORS_HEADERS['Access-Control-Expose-Headers']}, X-Rows` } : {}),
    },
  });
}

/** A refusal or stop of the sandbox: its status, `sql.<code>` and the message in the reader's language. */
export function sqlErrorResponse(ctx: ApiContext, error: SqlError): Response {
  const problems: Problem[] = [problem(error.code.startsWith('param_') ? String(error.params.name ?? 'params') : 'sql', error.key, error.params)];
  return apiError(error.status, error.key, error.params, { ...apiOptions(ctx, ctx.request.method === 'GET'), problems });
}

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;

/** 64-bit integers and decimals come from DuckDB as strings; numbers that fit exactly are numbers again. */
function jsonRow(row: Record<string, unknown>, columns: SqlResult['columns']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, type } of columns) {
    const v = row[name];
    if (typeof v === 'string' && INTEGER.test(type)) out[name] = Number.isSafeInteger(Number(v)) ? Number(v) : v;
    else if (typeof v === 'string' && type.startsWith('DECIMAL')) out[name] = Number(v);
    else out[name] = v ?? null;
  }
  return out;
}
