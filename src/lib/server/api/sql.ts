import { BodyTooLargeError, readBodyText } from '../http/body.ts';
import type { QueryProblem } from '../query/filters.ts';
import { runSql, SQL_LIMITS, SqlError, type SqlResult } from '../query/sandbox.ts';
import { ARROW_STREAM_TYPE, sqlResultToArrow } from './arrow.ts';
import { apiError, badRequest, CORS_HEADERS, intParam, jsonResponse } from './response.ts';
import { csvText } from './csv.ts';

/**
 * `GET|POST /api/v1/sql`: read-only SQL over every public dataset (each a table named by its id), run by
 * src/lib/server/query/sandbox.ts, which owns every safety rule. This module only reads the request and
 * writes the result in the format asked for.
 */
export const SQL_FORMATS = ['json', 'csv', 'arrow'] as const;
type SqlFormat = (typeof SQL_FORMATS)[number];

interface SqlRequest {
  sql: string;
  format: SqlFormat;
  maxRows: number;
}

/** Reads `sql`, `format` and `max_rows` from the query string (GET) or a JSON or form body (POST). */
export async function readSqlRequest(request: Request, url: URL): Promise<{ value: SqlRequest | null; problems: QueryProblem[] }> {
  const params = new URLSearchParams(url.searchParams);
  if (request.method === 'POST') {
    const type = request.headers.get('content-type') ?? '';
    try {
      if (type.includes('application/json')) {
        const body = JSON.parse(await readBodyText(request)) as unknown;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          return { value: null, problems: [{ parameter: 'body', message: 'the JSON body must be an object like {"sql": "SELECT …"}' }] };
        }
        for (const [key, value] of Object.entries(body)) if (value !== null && value !== undefined) params.set(key, String(value));
      } else if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
        const form = await new Response(await readBodyText(request), { headers: { 'content-type': type } }).formData();
        for (const [key, value] of form) if (typeof value === 'string') params.set(key, value);
      } else {
        return { value: null, problems: [{ parameter: 'body', message: `send Content-Type: application/json with {"sql": "…"} (found "${type || 'none'}")` }] };
      }
    } catch (error) {
      if (error instanceof BodyTooLargeError) return { value: null, problems: [{ parameter: 'body', message: error.message }] };
      return { value: null, problems: [{ parameter: 'body', message: 'the request body is not valid JSON or form data' }] };
    }
  }
  const problems: QueryProblem[] = [];
  const sql = params.get('sql') ?? '';
  if (!sql.trim()) problems.push({ parameter: 'sql', message: 'sql is required: one SELECT statement, e.g. SELECT * FROM "dataset-id" LIMIT 10' });
  const formatParam = params.get('format') || 'json';
  if (!(SQL_FORMATS as readonly string[]).includes(formatParam)) {
    problems.push({ parameter: 'format', message: `format must be one of ${SQL_FORMATS.join(', ')}, found "${formatParam}"` });
  }
  const maxRows = intParam(params, 'max_rows', { fallback: SQL_LIMITS.defaultRows, min: 1, max: SQL_LIMITS.maxRows }, problems);
  return problems.length > 0 ? { value: null, problems } : { value: { sql, format: formatParam as SqlFormat, maxRows }, problems };
}

export async function sqlResponse(request: Request, url: URL): Promise<Response> {
  const cors = request.method === 'GET';
  const { value, problems } = await readSqlRequest(request, url);
  if (!value) return badRequest(problems, { cors });
  let result: SqlResult;
  try {
    result = await runSql(value.sql, { maxRows: value.maxRows });
  } catch (error) {
    if (error instanceof SqlError) return apiError(error.status, error.message, [{ parameter: 'sql', message: error.message }], { cors });
    throw error;
  }
  const headers: Record<string, string> = {
    'Cache-Control': 'no-store',
    'X-Truncated': String(result.truncated),
    'X-Elapsed-Ms': String(result.elapsed_ms),
    ...(cors ? CORS_HEADERS : {}),
  };
  const rows = result.rows.map((row) => jsonRow(row, result.columns));
  if (value.format === 'csv') {
    return new Response(csvText(result.columns.map((c) => c.name), rows), { headers: { ...headers, 'Content-Type': 'text/csv; charset=utf-8' } });
  }
  if (value.format === 'arrow') {
    return new Response(sqlResultToArrow(result.columns, result.rows) as Uint8Array<ArrayBuffer>, { headers: { ...headers, 'Content-Type': ARROW_STREAM_TYPE } });
  }
  return jsonResponse({ columns: result.columns, rows, truncated: result.truncated, elapsed_ms: result.elapsed_ms }, { cache: 'none', cors, headers });
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
