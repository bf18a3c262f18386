import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MiddlewareHandler } from 'astro';
import { negotiateLocale } from '../../i18n/negotiate.ts';
import { SESSION_COOKIE } from '../auth/settings.ts';
import { deployment } from '../config/deployment.ts';
import { applySecurityHeaders } from './headers.ts';
import { siteOf } from './site-settings.ts';

/**
 * Pages kept for readers without an account: the Badami board and dashboards, the datathon's event, gallery and
 * idea pages. Such a reader sees exactly what every other one sees in their language, so the page is rendered once
 * per version of what it shows and kept; the next reader gets the same bytes.
 *
 * - A *family* names its pages (exact paths) and its `version()`: a string read from the store that changes
 *   whenever anything its pages show changes (revision counters raised by every write, the phase, the catalog's
 *   generation). The version is read before the page renders, so a write committed during the rendering leaves the
 *   page kept under the old version, and the next request renders again: never a stale page.
 * - The key is everything else a page depends on: the deployment config, the language (the `lang` cookie), the
 *   origin the site answers under (request-site.ts, never the raw Host) and https, the path and the query string.
 * - Only a plain GET without a session cookie, bearer token, body, `?lang=` or `_action` is served or kept, and only
 *   a 200 HTML answer that sets no cookie is kept.
 * - Filled by the last middleware (`middleware`); served by it and, before Astro and its middleware run at
 *   all, by `serve` from the server's entry: a kept page then costs a Map lookup and one store query.
 * - At most `BUDGET_BYTES` of pages (bodies, headers and keys), least recently used dropped first, so junk query
 *   strings cost re-renders, not memory.
 */
export interface ReaderPageFamily {
  name: string;
  matches(pathname: string): boolean;
  version(): Promise<string>;
}

interface Kept {
  version: string;
  status: number;
  headers: Record<string, string>;
  /** Characters in `headers`' names and values, for the memory budget. */
  headerLength: number;
  body: Buffer;
}

const BUDGET_BYTES = 64 * 1024 * 1024;
const pages = new Map<string, Kept>();
let bytes = 0;
const filling = new Map<string, Promise<Kept | null>>();

const configs = new WeakMap<object, number>();
let configCount = 0;
// The deployment config is re-read when its file changes (an OPD renamed shows without a restart): a new object then.
const configGeneration = (config: object) => configs.get(config) ?? (configs.set(config, ++configCount), configCount);

// What an entry holds: its body, its headers and its key (a query string may be long), in bytes (UTF-16 for text).
const sizeOf = (key: string, page: Kept) => page.body.length + 2 * (key.length + page.version.length + page.headerLength);

function forget(key: string): void {
  const kept = pages.get(key);
  if (!kept) return;
  pages.delete(key);
  bytes -= sizeOf(key, kept);
}

function keep(key: string, page: Kept): void {
  forget(key);
  pages.set(key, page);
  bytes += sizeOf(key, page);
  for (const oldest of pages.keys()) {
    if (bytes <= BUDGET_BYTES) break;
    forget(oldest);
  }
}

/** The kept page under `key` if it is of `version` (then most recently used); an outdated one is dropped. */
function lookup(key: string, version: string): Kept | undefined {
  const kept = pages.get(key);
  if (!kept) return undefined;
  pages.delete(key);
  if (kept.version !== version) {
    bytes -= sizeOf(key, kept);
    return undefined;
  }
  pages.set(key, kept);
  return kept;
}

function keyOf(family: ReaderPageFamily, parts: { locale: string; origin: string; secure: boolean; path: string }): string {
  return `${family.name}|${configGeneration(deployment())}|${parts.locale}|${parts.origin}|${parts.secure ? 's' : ''}|${parts.path}`;
}

function queryKeeps(search: string): boolean {
  const query = new URLSearchParams(search);
  return !query.has('lang') && !query.has('_action');
}

export function readerPages(families: readonly ReaderPageFamily[]): {
  middleware: MiddlewareHandler;
  serve(request: IncomingMessage, response: ServerResponse): false | Promise<boolean>;
} {
  const familyOf = (pathname: string) => families.find((f) => f.matches(pathname));

  const middleware: MiddlewareHandler = async (context, next) => {
    const { request, url, locals } = context;
    const family = request.method === 'GET' && !locals.user ? familyOf(url.pathname) : undefined;
    if (!family || context.cookies.has(SESSION_COOKIE) || request.headers.has('authorization') || !queryKeeps(url.search)) return next();
    const key = keyOf(family, { locale: locals.locale, origin: locals.site.origin, secure: locals.site.secure, path: url.pathname + url.search });
    const version = await family.version();
    const hit = lookup(key, version);
    if (hit) return answer(hit, true);
    let mine: Response | null = null;
    const fill = `${version}\n${key}`;
    let rendering = filling.get(fill);
    if (!rendering) {
      rendering = (async () => {
        const response = await next();
        const type = response.headers.get('content-type') ?? '';
        if (response.status !== 200 || !type.startsWith('text/html') || response.headers.has('set-cookie')) {
          mine = response;
          return null;
        }
        // Kept with the headers the outer securityHeaders step gives it, for the entry point that serves it alone.
        const headers = new Headers(response.headers);
        applySecurityHeaders(headers, { hsts: locals.site.secure && locals.site.origin.startsWith('https:'), signedIn: false });
        const kept = Object.fromEntries(headers);
        const headerLength = Object.entries(kept).reduce((n, [name, value]) => n + name.length + value.length, 0);
        const page: Kept = { version, status: 200, headers: kept, headerLength, body: Buffer.from(await response.arrayBuffer()) };
        keep(key, page);
        return page;
      })().finally(() => filling.delete(fill));
      filling.set(fill, rendering);
    }
    const page = await rendering;
    if (page) return answer(page, false);
    // Not kept: this request's own answer, or (when it waited on another's that could not be kept) a fresh rendering.
    return mine ?? next();
  };

  /**
   * Before Astro: answers from a kept page when the request is one the middleware would have served from it.
   * False (the request untouched; decided at once for anything that is not a kept page) otherwise, and on any
   * doubt: Astro then renders it as usual.
   */
  function serve(request: IncomingMessage, response: ServerResponse): false | Promise<boolean> {
    if (request.method !== 'GET' || pages.size === 0) return false;
    const headers = request.headers;
    if (headers.authorization !== undefined || headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) return false;
    const target = request.url ?? '';
    const mark = target.indexOf('?');
    const family = familyOf(mark === -1 ? target : target.slice(0, mark));
    if (!family || (mark !== -1 && !queryKeeps(target.slice(mark)))) return false;
    const cookies = parseCookies(headers.cookie);
    if (cookies.has(SESSION_COOKIE)) return false;
    const config = deployment();
    const { locale } = negotiateLocale({ query: null, cookie: cookies.get('lang'), offered: config.locales, fallback: config.default_locale });
    const site = siteOf(request);
    if (!site) return false;
    const key = keyOf(family, { locale, origin: site.origin, secure: site.secure, path: target });
    if (!pages.has(key)) return false;
    return family.version().then((version) => {
      const page = lookup(key, version);
      if (!page || response.headersSent) return false;
      response.writeHead(page.status, { ...page.headers, 'content-length': String(page.body.length), 'x-cache': 'HIT' });
      response.end(page.body);
      return true;
    });
  }

  return { middleware, serve };
}

/** A kept page as a Response; `hit` when it was kept before this request (not rendered for it). */
function answer(page: Kept, hit: boolean): Response {
  return new Response(new Uint8Array(page.body), { status: page.status, headers: hit ? { ...page.headers, 'x-cache': 'HIT' } : page.headers });
}

/**
 * The request's cookies read exactly as Astro reads them (the `cookie` package's parseCookie, then decodeURIComponent
 * on get): only spaces and tabs trimmed, quotes kept, the first of two same-named cookies wins. Any other reading can
 * disagree with the middleware on the language (`lang="en"`, `lang=en\u00a0` are no language to Astro) and answer
 * with a kept page in the other one.
 */
function parseCookies(header: string | undefined): Map<string, string> {
  const found = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    const name = trimSpaces(pair.slice(0, eq));
    let value = trimSpaces(pair.slice(eq + 1));
    try {
      value = decodeURIComponent(value);
    } catch {
      // kept as sent, as Astro's cookie parser does
    }
    if (!found.has(name)) found.set(name, value);
  }
  return found;
}

const trimSpaces = (text: string) => text.replace(/^[ \t]+|[ \t]+$/g, '');
