import { parseRowQuery, queryToParams, type QueryProblem } from '../query/filters.ts';
import { MAX_PAGE_SIZE, queryRows, RowQueryError } from '../query/rows.ts';
import type { Actor } from '../auth/authorization.ts';
import { resolveVersion } from './datasets.ts';
import { absoluteUrl, badRequest, intParam, jsonResponse, notFound, privateIfRestricted } from './response.ts';

export const DEFAULT_PAGE_SIZE = 100;

/**
 * `GET /api/v1/datasets/<id>/rows` and `/versions/<version>/rows`: one page of rows with the exact total and
 * the full URL of the next page. The version comes from the path or `?version=`; the filter language is the
 * one of src/lib/server/query/filters.ts, shared with the data table and downloads.
 */
export async function rowsResponse(request: Request, url: URL, id: string, pathVersion: string | null, actor?: Actor | null): Promise<Response> {
  const params = url.searchParams;
  const version = pathVersion ?? params.get('version');
  const resolved = await resolveVersion(id, version, actor);
  if (!resolved) return notFoundVersion(id, version);
  const fields = resolved.manifest.schema.fields;
  const filterParams = new URLSearchParams(params);
  filterParams.delete('version');
  const { query, problems } = parseRowQuery(filterParams, fields);
  const extra: QueryProblem[] = [];
  const limit = intParam(params, 'limit', { fallback: DEFAULT_PAGE_SIZE, min: 1, max: MAX_PAGE_SIZE }, extra);
  const all = [...problems, ...extra];
  if (all.length > 0) return badRequest(all, { cors: true });
  const cursor = params.get('next') || params.get('cursor') || null;
  try {
    const page = await queryRows({ dataset: id, version: resolved.version, fields }, query, { limit, cursor });
    let next: string | null = null;
    if (page.next) {
      const nextParams = queryToParams(query);
      if (version && !pathVersion) nextParams.set('version', resolved.version);
      nextParams.set('limit', String(limit));
      nextParams.set('next', page.next);
      next = absoluteUrl(url, url.pathname, nextParams);
    }
    const types = new Map(fields.map((f) => [f.name, f.type]));
    const response = jsonResponse(
      {
        dataset: id,
        version: resolved.version,
        columns: page.columns.map((name) => ({ name, type: types.get(name) ?? 'string' })),
        total: page.total,
        rows: page.rows,
        next,
      },
      { request, cors: true, cache: resolved.current && !pathVersion && !version ? 'current' : 'version' },
    );
    return privateIfRestricted(resolved.detail, response);
  } catch (error) {
    if (error instanceof RowQueryError) {
      const parameter = error.message.startsWith('cursor:') ? 'next' : 'query';
      return badRequest([{ parameter, message: error.message.replace(/^cursor: /, '') }], { cors: true });
    }
    throw error;
  }
}

export function notFoundVersion(id: string, version: string | null): Response {
  return version
    ? notFound(`no public dataset "${id}" with a published version "${version}"; GET /api/v1/datasets/${id} lists its versions`, { cors: true })
    : notFound(`no public dataset "${id}"; GET /api/v1/datasets lists them`, { cors: true });
}
