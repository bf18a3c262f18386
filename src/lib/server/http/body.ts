/** A request body larger than the API accepts (answered 413). */
export class BodyTooLargeError extends Error {}

export const MAX_BODY_BYTES = 1024 * 1024;

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
    const { done, value } = await reader.read();
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
