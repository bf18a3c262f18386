import { SQL_LIMITS, SqlError } from '../query/sandbox.ts';
import { problem } from '../validation/problem.ts';
import { bindSavedQueryParams, findSavedQuery, savedQueries, type SavedQuery } from '../query/saved-queries.ts';
import { apiOptions, type ApiContext } from './context.ts';
import { absoluteUrl, badRequest, intParam, jsonResponse } from './response.ts';
import { downloadAnswer, rowsAnswer, SQL_DOWNLOAD_FORMATS, SQL_FORMATS, sqlErrorResponse, type SqlDownloadFormat } from './sql.ts';
import type { z } from 'zod';
import type { SavedQuery as SavedQueryJson } from './schemas.ts';
import { choice, readSqlParams } from './sql-request.ts';

/**
 * Saved queries over the API: `GET /api/v1/queries` lists them; `/api/v1/queries/<name>` and
 * `/api/v1/datasets/<id>/queries/<name>` run one with its parameters (query string or body) and answer like
 * /api/v1/sql; `…/download.<csv|json|parquet>` gives the whole result as a file.
 */
export function savedQueryJson(origin: string, q: SavedQuery): z.input<typeof SavedQueryJson> {
  return {
    name: q.name,
    dataset: q.dataset,
    title: q.title,
    title_en: q.title_en ?? null,
    description: q.description,
    description_en: q.description_en ?? null,
    sql: q.sql,
    params: q.params.map((p) => ({ name: p.name, type: p.type, title: p.title, title_en: p.title_en ?? null, default: p.default ?? null })),
    links: {
      self: absoluteUrl(origin, q.api),
      html: absoluteUrl(origin, q.page),
      downloads: Object.fromEntries(SQL_DOWNLOAD_FORMATS.map((f) => [f, absoluteUrl(origin, `${q.api}/download.${f}`)])),
    },
  };
}

export async function savedQueryListResponse(ctx: ApiContext): Promise<Response> {
  const queries = (await savedQueries()).map((q) => savedQueryJson(ctx.locals.site.origin, q));
  return jsonResponse({ queries }, apiOptions(ctx));
}

export async function savedQueryResponse(ctx: ApiContext, dataset: string | null, name: string, download?: string): Promise<Response> {
  const read = await readSqlParams(ctx.request, ctx.url);
  const problems = [...read.problems];
  const format = download === undefined ? choice(read.params, 'format', SQL_FORMATS, 'json', problems) : null;
  const maxRows = intParam(read.params, 'max_rows', { fallback: SQL_LIMITS.defaultRows, min: 1, max: SQL_LIMITS.maxRows }, problems);
  if (download !== undefined && !(SQL_DOWNLOAD_FORMATS as readonly string[]).includes(download)) {
    problems.push(problem('format', 'problem.param.one_of', { name: 'format', allowed: SQL_DOWNLOAD_FORMATS.join(', '), value: download }));
  }
  if (problems.length > 0) return badRequest(problems, apiOptions(ctx, ctx.request.method === 'GET'));
  try {
    const query = await findSavedQuery(dataset, name);
    const params = bindSavedQueryParams(query, read.params);
    if (download !== undefined) return await downloadAnswer(ctx, query.sql, params, download as SqlDownloadFormat, query.name);
    return await rowsAnswer(ctx, query.sql, params, format!, maxRows);
  } catch (error) {
    if (error instanceof SqlError) return sqlErrorResponse(ctx, error);
    throw error;
  }
}
