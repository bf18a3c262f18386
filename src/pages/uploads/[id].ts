import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { APIRoute } from 'astro';
import { uploadForViewer } from '../../lib/server/community/uploads.ts';

/**
 * An uploaded file, to whoever may view its subject (404 otherwise, like an unknown id). Served so that a browser
 * can never treat it as a page: the sniffed type with nosniff, a sandbox that runs nothing, documents always as
 * downloads, images inline (they were re-encoded, so they hold only pixels).
 */
export const GET: APIRoute = async ({ params, locals, request }) => {
  const found = await uploadForViewer(params.id ?? '', locals.user);
  if (!found) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const { upload, file } = found;
  const etag = `"${upload.sha256}"`;
  const headers: Record<string, string> = {
    'Content-Type': upload.mediaType,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Disposition': `${upload.kind === 'image' ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(upload.fileName)}`,
    // A subject can turn private (a draft) or a file be deleted: cached for an hour at most, and only when public.
    'Cache-Control': found.public ? 'public, max-age=3600' : 'private, no-store',
    ETag: etag,
  };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  headers['Content-Length'] = String(upload.size);
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, { status: 200, headers });
};
