/** A request body larger than the API accepts (answered 413). */
export class BodyTooLargeError extends Error {}

export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * The node adapter's own cap on every body (astro.config.mjs): room for the largest upload an action accepts
 * (http/action-bodies.ts, which keeps every other action body to 1 MB and requires a declared length). Everything
 * else is judged before it is read (middleware.ts limitBodies) or capped while read (readBodyText).
 */
/** The largest file upload a form (an Astro Action) may carry. */
export const MAX_UPLOAD_BYTES = 48 * 1024 * 1024;
export const ADAPTER_BODY_LIMIT = MAX_UPLOAD_BYTES + 64 * 1024;

/**
 * The body as text, refusing more than `maxBytes` — by Content-Length up front, and while reading for chunked
 * bodies — so one request cannot make the server hold hundreds of megabytes.
 */
export async function readBodyText(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw new BodyTooLargeError(`the request body is ${declared} bytes; at most ${maxBytes} are accepted`);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read().catch((error: Error) => {
      // The adapter's cap (ADAPTER_BODY_LIMIT) ends the stream with an error of its own.
      if (/Body size limit exceeded/i.test(error.message)) throw new BodyTooLargeError(`the request body is larger than ${maxBytes} bytes`);
      throw error;
    });
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new BodyTooLargeError(`the request body is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
