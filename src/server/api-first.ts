import { AsyncLocalStorage } from 'node:async_hooks';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createApp } from 'astro/app/entrypoint';
import { createRequestFromNodeRequest, getAbortControllerCleanup, writeResponse } from 'astro/app/node';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Reads (`GET`/`HEAD`) that no static file can answer go to Astro's app directly, without @astrojs/node's
 * static-file handler in front: that handler stats the path on disk for every request (a `lstat` on the main thread
 * and a `stat` on libuv's thread pool, the pool DuckDB's queries also run on) before it falls through to the app.
 * No file is ever served under `/api/` (public/ has none), nor under a first path segment the built client folder
 * does not have at start (`_astro`, `favicon.ico`, `logo.svg`…: the build's files never change while it runs), so
 * pages such as `/datathon/…` skip the check too. Everything else — middleware (security headers, session,
 * locale, limits), routing, rendering, writing the response — is Astro's own, the same calls the adapter makes
 * (serve-app.js); any other request, or one the app has no route for, goes to the adapter's handler unchanged.
 */
export function apiFirst(standalone: Listener, options: { port?: number; experimentalDisableStreaming?: boolean }): Listener {
  const app = createApp({ streaming: !options.experimentalDisableStreaming });
  const port = process.env.PORT ? Number(process.env.PORT) : (options.port ?? 8080);
  // As the adapter does for its requests: a promise rejected and never handled while rendering is logged with the
  // URL it came from (the adapter's own listener only knows its own requests).
  process.on('unhandledRejection', (reason) => {
    const url = rendering.getStore();
    if (url) console.error(`Unhandled rejection while rendering ${url}\n${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  });
  const staticTop = clientTopLevel();
  const noFile = (url: string) => {
    if (url.startsWith('/api/')) return true;
    const segment = /^\/([^/?#]*)/.exec(url)?.[1];
    return staticTop !== null && segment !== undefined && !segment.includes('%') && !staticTop.has(segment);
  };
  return (req, res) => {
    const url = req.url ?? '';
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !noFile(url) || !decodable(url)) return standalone(req, res);
    let request: Request;
    try {
      request = createRequestFromNodeRequest(req, { allowedDomains: app.getAllowedDomains?.() ?? [], port });
    } catch {
      return standalone(req, res);
    }
    const routeData = app.match(request, true);
    if (!routeData || routeData.prerender) {
      getAbortControllerCleanup(req)?.();
      return standalone(req, res);
    }
    void rendering.run(request.url, () => render(app, request, routeData, req, res));
  };
}

const rendering = new AsyncLocalStorage<string>();

async function render(app: ReturnType<typeof createApp>, request: Request, routeData: NonNullable<ReturnType<ReturnType<typeof createApp>['match']>>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let aborted = false;
  req.once('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ECONNRESET') aborted = true;
  });
  try {
    const response = await app.render(request, { addCookieHeader: true, routeData });
    if (req.method === 'GET' && response.body && WHOLE_BODY_ROUTES.has(routeData.route)) await writeWhole(response, req, res);
    else await writeResponse(response, res);
  } catch (error) {
    if (aborted) return;
    console.error(`Could not render ${request.url}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (!res.headersSent) {
      res.statusCode = 500;
      res.end('Internal Server Error');
    } else {
      res.destroy();
    }
  }
}

/**
 * Routes whose answers are JSON texts built whole in memory (a page of rows, facets): written in one piece with a
 * Content-Length, instead of Astro's stream reader writing the body as a chunk and then its end (two promise hops
 * and chunked framing per request). Downloads and anything that streams keep Astro's writer.
 */
const WHOLE_BODY_ROUTES = new Set(['/api/v1/datasets/[id]/rows', '/api/v1/datasets/[id]/versions/[version]/rows', '/api/v1/datasets/[id]/facets']);

async function writeWhole(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.statusMessage = response.statusText;
  res.writeHead(response.status, { ...outgoingHeaders(response.headers), 'content-length': String(body.length) });
  res.end(body);
  getAbortControllerCleanup(req)?.();
}

/** Response headers for Node, several Set-Cookie kept apart (as Astro's own writer does). */
function outgoingHeaders(headers: Headers): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.fromEntries(headers.entries());
  const cookies = headers.getSetCookie();
  if (cookies.length > 1) out['set-cookie'] = cookies;
  return out;
}

/** The names at the top of the built client folder (dist/client beside dist/server); null (API only) if not found. */
function clientTopLevel(): Set<string> | null {
  try {
    return new Set(readdirSync(fileURLToPath(new URL('../client/', import.meta.url))));
  } catch {
    return null;
  }
}

/** The adapter answers 400 to a URL it cannot decode; such a request is left to it. */
function decodable(url: string): boolean {
  try {
    decodeURI(url);
    return true;
  } catch {
    return false;
  }
}
