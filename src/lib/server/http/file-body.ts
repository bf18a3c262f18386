import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * Large file bodies (downloads) written straight to the Node response through a few reused buffers.
 *
 * A Response body normally reaches the socket as a web stream that @astrojs/node copies chunk by chunk into
 * `res.write()`, without waiting for the write callback or 'drain'. Each chunk is then a new Buffer: a 103 MB CSV
 * was ~100 MB of 1 MB Buffers, and V8's GC threads spent more CPU on them (0.33–0.51 s, five full collections per
 * download) than the main thread spent sending (~0.25 s). Here the body is read into at most POOL_PER_BODY buffers
 * that are written with a callback and reused once the socket has taken them: no garbage per byte, and real
 * backpressure (at most POOL_PER_BODY × CHUNK bytes wait in memory per download, however slow the client).
 *
 * How the body finds its response: entry.ts runs Astro's request handler inside `bindResponses`, which keeps the
 * Node response in an AsyncLocalStorage. The adapter writes the status and headers (writeHead) before it first
 * reads the body; on that first read, with the headers sent, the body writes every byte itself and then ends the
 * web stream, after which the adapter ends the response as usual. Everything before the bytes (middleware,
 * authorization, rate limits, headers, download counts) is untouched. Anywhere else (tests calling a route in
 * process, `astro dev`, a body read by someone other than the adapter) the same source is sent as an ordinary
 * stream.
 */
const CHUNK = 512 * 1024;
const POOL_PER_BODY = 4;
/** Buffers kept for later bodies (8 MB); more than that go to the GC. */
const POOL_KEEP = 16;

const responses = new AsyncLocalStorage<ServerResponse>();
const spare: Buffer[] = [];

/** Runs the server's request listeners with their response at hand (call once, before other hooks wrap them). */
export function bindResponses(server: Server): void {
  for (const listener of server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[]) {
    server.removeListener('request', listener);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => responses.run(res, () => listener.call(server, req, res)));
  }
}

/** A readable file: `read` fills `buffer` from `position` and returns how many bytes it read (0 at the end). */
export interface FileReader {
  read(buffer: Buffer, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

export interface FileBodySource {
  open(): Promise<FileReader>;
  /** First byte to send (default 0) and how many (default: up to the end of the file). */
  start?: number;
  length?: number;
  /** The same bytes as a Node stream, for when no Node response is at hand. */
  stream(): Readable;
  /** Once the body is sent, failed or abandoned (e.g. delete a temporary file). */
  cleanup?(): Promise<void>;
}

export function fileBody(source: FileBodySource): ReadableStream<Uint8Array> {
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    void source.cleanup?.().catch(() => {});
  };
  const res = responses.getStore();
  if (!res) return asWebStream(source.stream(), cleanup);
  let fallback: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let abandon = () => {};
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // Someone other than the adapter reads this body, or reads it before the headers: an ordinary stream.
        if (fallback || !res.headersSent || res.writableEnded) {
          fallback ??= asWebStream(source.stream(), cleanup).getReader();
          const { done, value } = await fallback.read();
          if (done) controller.close();
          else controller.enqueue(value);
          return;
        }
        const stop = new Promise<void>((resolve) => (abandon = resolve));
        try {
          await sendDirect(res, source, stop);
        } finally {
          cleanup();
        }
        try {
          controller.close();
        } catch {
          // cancelled meanwhile (the client went away): nothing to end
        }
      },
      cancel(reason) {
        abandon();
        cleanup();
        return fallback?.cancel(reason);
      },
    },
    // Nothing is read ahead: the first read comes from the adapter, after writeHead.
    { highWaterMark: 0 },
  );
}

async function sendDirect(res: ServerResponse, source: FileBodySource, stop: Promise<void>): Promise<void> {
  let closed = false;
  let wake = () => {};
  const onClose = () => {
    closed = true;
    wake();
  };
  res.once('close', onClose);
  void stop.then(onClose);
  const free: Buffer[] = [];
  let owned = 0;
  let writing = 0;
  const reader = await source.open();
  try {
    let position = source.start ?? 0;
    let left = source.length ?? Infinity;
    while (left > 0 && !closed) {
      let buffer = free.pop();
      if (!buffer && owned < POOL_PER_BODY) {
        buffer = spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
        owned++;
      }
      if (!buffer) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const bytes = await reader.read(buffer, Math.min(CHUNK, left), position);
      if (bytes === 0 || closed) {
        free.push(buffer);
        break;
      }
      position += bytes;
      left -= bytes;
      writing++;
      const taken = buffer;
      // The socket holds the bytes until this callback; only then may the buffer be filled again.
      res.write(taken.subarray(0, bytes), () => {
        writing--;
        free.push(taken);
        wake();
      });
    }
    // Every write handed back before the buffers go to the next body (a closed socket keeps its own: left to the GC).
    while (writing > 0 && !closed) await new Promise<void>((resolve) => (wake = resolve));
  } finally {
    res.off('close', onClose);
    await reader.close();
  }
  if (!closed) for (const buffer of free) if (spare.length < POOL_KEEP) spare.push(buffer);
}

function asWebStream(stream: Readable, cleanup: () => void): ReadableStream<Uint8Array> {
  stream.once('close', cleanup);
  stream.once('error', cleanup);
  return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
}
