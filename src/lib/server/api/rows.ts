import { parseRowQuery, queryToParams } from '../query/filters.ts';
import { MAX_PAGE_SIZE, queryRows, RowQueryError } from '../query/rows.ts';
import { problem, type Problem } from '../validation/problem.ts';
import { apiOptions, type ApiContext } from './context.ts';
import type { z } from 'zod';
import { resolveVersion } from './datasets.ts';
import type { RowsPage } from './schemas.ts';
import { absoluteUrl, badRequest, intParam, jsonTextResponse, notFound, privateIfRestricted } from './response.ts';

export const DEFAULT_PAGE_SIZE = 100;
/** Stands in for the rows while the rest of the body is serialised; no dataset id or URL can contain it. */
const ROWS_PLACEHOLDER = '\u0000rows\u0000';

/**
 * `GET /api/v1/datasets/<id>/rows` and `/versions/<version>/rows`: one page of rows with the exact total and
 * the full URL of the next page. The version comes from the path or `?version=`; the filter language is the
 * one of src/lib/server/query/filters.ts, shared with the data table and downloads.
 */
export async function rowsResponse(ctx: ApiContext, id: string, pathVersion: string | null): Promise<Response> {
  const { url } = ctx;
  const params = url.searchParams;
  const version = pathVersion ?? params.get('version');
  const resolved = await resolveVersion(id, version, ctx.locals.user);
  if (!resolved) return notFoundVersion(ctx, id, version);
  const fields = resolved.manifest.schema.fields;
  const filterParams = new URLSearchParams(params);
  filterParams.delete('version');
  const { query, problems } = parseRowQuery(filterParams, fields);
  const extra: Problem[] = [];
  const limit = intParam(params, 'limit', { fallback: DEFAULT_PAGE_SIZE, min: 1, max: MAX_PAGE_SIZE }, extra);
  const all = [...problems, ...extra];
  if (all.length > 0) return badRequest(all, apiOptions(ctx));
  const cursor = params.get('next') || params.get('cursor') || null;
  try {
    const page = await queryRows({ dataset: id, version: resolved.version, fields }, query, { limit, cursor });
    let next: string | null = null;
    if (page.next) {
      const nextParams = queryToParams(query);
      if (version && !pathVersion) nextParams.set('version', resolved.version);
      nextParams.set('limit', String(limit));
      nextParams.set('next', page.next);
      next = absoluteUrl(ctx.locals.site.origin, url.pathname, nextParams);
    }
    const types = new Map(fields.map((f) => [f.name, f.type]));
    const body: z.input<typeof RowsPage> = {
      dataset: id,
      version: resolved.version,
      columns: page.columns.map((name) => ({ name, type: types.get(name) ?? 'string' })),
      total: page.total,
      rows: ROWS_PLACEHOLDER as unknown as Record<string, unknown>[],
      next,
    };
    // The rows go out as the JSON text DuckDB wrote; everything around them is serialised as usual.
    const text = JSON.stringify(body).replace(JSON.stringify(ROWS_PLACEHOLDER), () => page.rowsJson);
    const response = jsonTextResponse(text, { ...apiOptions(ctx), cache: resolved.current && !pathVersion && !version ? 'current' : 'version' });
    return privateIfRestricted(resolved.detail, response);
  } catch (error) {
    if (error instanceof RowQueryError) return badRequest([problem('next', error.code)], apiOptions(ctx));
    throw error;
  }
}

export function notFoundVersion(ctx: ApiContext, id: string, version: string | null): Response {
  return version ? notFound('apierror.not_found_version', { id, version }, apiOptions(ctx)) : notFound('apierror.not_found_dataset', { id }, apiOptions(ctx));
}
