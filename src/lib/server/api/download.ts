import { recordDownload } from '../catalog/downloads.ts';
import { exportResponse } from '../export/index.ts';
import { parseRowQuery } from '../query/filters.ts';
import { DOWNLOAD_FORMATS, isDownloadFormat, resolveVersion } from './datasets.ts';
import { apiOptions, type ApiContext } from './context.ts';
import { badRequest, CORS_HEADERS, notFound, privateIfRestricted } from './response.ts';
import { notFoundVersion } from './rows.ts';

/**
 * `/api/v1/datasets/<id>/download.<fmt>` and `/versions/<version>/download.<fmt>`: the same filters, sort
 * and fields as the rows endpoint, so a download holds exactly the rows a user saw. src/lib/server/export
 * streams the file and owns ETag, Range and compression.
 */
export async function downloadResponse(ctx: ApiContext, id: string, format: string, pathVersion: string | null): Promise<Response> {
  const { request, url } = ctx;
  if (!isDownloadFormat(format)) return notFound('apierror.not_found_format', { format, formats: DOWNLOAD_FORMATS.join(', ') }, apiOptions(ctx));
  const resolved = await resolveVersion(id, pathVersion, ctx.locals.user);
  if (!resolved) return notFoundVersion(ctx, id, pathVersion);
  const fields = resolved.manifest.schema.fields;
  const { query, problems } = parseRowQuery(url.searchParams, fields);
  if (problems.length > 0) return badRequest(problems, apiOptions(ctx));
  const response = await exportResponse(
    request,
    { dataset: id, version: resolved.version, fields, title: resolved.manifest.metadata.title },
    query,
    format,
    { immutable: pathVersion !== null },
  );
  privateIfRestricted(resolved.detail, response);
  // Lets browser code on other sites read the filename and the validators too.
  response.headers.set('Access-Control-Expose-Headers', CORS_HEADERS['Access-Control-Expose-Headers']!);
  // A 304 or a resumed range is the same download continuing; HEAD downloads nothing.
  if (request.method === 'GET' && response.status === 200) await recordDownload(id, resolved.version, format);
  return response;
}
