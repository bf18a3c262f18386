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
  /** The content type of the answers kept (default `text/html`; the data API's are `application/json`). */
  contentType?: string;
  /**
   * The family's share of memory (default BUDGET_BYTES): each family keeps its own pages, so one whose query strings
   * vary without end (the data API's filters) drops its own oldest answers, never another family's pages.
   */
  budgetBytes?: number;
  /**
   * Keep an answer only when its key is asked a second time. For a family most of whose keys are asked once (the
   * data API's new filters), keeping costs more than it gives: the first answer is then sent as the route gave it.
   */
  keepOnSecondAsk?: boolean;
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

/** One family's kept pages, least recently used first, and the bytes they hold. */
interface Store {
  pages: Map<string, Kept>;
  bytes: number;
  budget: number;
  /** Hashes of keys asked once (keepOnSecondAsk), oldest first: a collision only keeps an answer one ask early. */
  asked: Set<number>;
}

const ASKED_MAX = 20_000;

/** Whether `key` was asked before (and remembers it was now). */
function askedBefore(store: Store, key: string): boolean {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  if (store.asked.delete(hash)) return true;
  if (store.asked.size >= ASKED_MAX) store.asked.delete(store.asked.values().next().value!);
  store.asked.add(hash);
  return false;
}

const filling = new Map<string, Promise<Kept | null>>();

const configs = new WeakMap<object, number>();
let configCount = 0;
// The deployment config is re-read when its file changes (an OPD renamed shows without a restart): a new object then.
const configGeneration = (config: object) => configs.get(config) ?? (configs.set(config, ++configCount), configCount);

// What an entry holds: its body, its headers and its key (a query string may be long), in bytes (UTF-16 for text).
const sizeOf = (key: string, page: Kept) => page.body.length + 2 * (key.length + page.version.length + page.headerLength);

function forget(store: Store, key: string): void {
  const kept = store.pages.get(key);
  if (!kept) return;
  store.pages.delete(key);
  store.bytes -= sizeOf(key, kept);
}

function keep(store: Store, key: string, page: Kept): void {
  forget(store, key);
  store.pages.set(key, page);
  store.bytes += sizeOf(key, page);
  for (const oldest of store.pages.keys()) {
    if (store.bytes <= store.budget) break;
    forget(store, oldest);
  }
}

/** The kept page under `key` if it is of `version` (then most recently used); an outdated one is dropped. */
function lookup(store: Store, key: string, version: string): Kept | undefined {
  const kept = store.pages.get(key);
  if (!kept) return undefined;
  store.pages.delete(key);
  if (kept.version !== version) {
    store.bytes -= sizeOf(key, kept);
    return undefined;
  }
  store.pages.set(key, kept);
  return kept;
}

/**
 * Whether a kept page answers this request as it is. A request with `If-None-Match` for a page that has a validator
 * (the data API's ETag) goes to the route instead, which answers 304 when it matches.
 */
function answersAsKept(page: Kept, ifNoneMatch: string | null | undefined): boolean {
  return !ifNoneMatch || page.headers.etag === undefined;
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
  const stores = new Map<ReaderPageFamily, Store>(families.map((f) => [f, { pages: new Map(), bytes: 0, budget: f.budgetBytes ?? BUDGET_BYTES, asked: new Set() }]));
  const nothingKept = () => families.every((f) => stores.get(f)!.pages.size === 0);

  const middleware: MiddlewareHandler = async (context, next) => {
    const { request, url, locals } = context;
    const family = request.method === 'GET' && !locals.user ? familyOf(url.pathname) : undefined;
    if (!family || context.cookies.has(SESSION_COOKIE) || request.headers.has('authorization') || !queryKeeps(url.search)) return next();
    const key = keyOf(family, { locale: locals.locale, origin: locals.site.origin, secure: locals.site.secure, path: url.pathname + url.search });
    const store = stores.get(family)!;
    const version = await family.version();
    const hit = lookup(store, key, version);
    if (hit) return answersAsKept(hit, request.headers.get('if-none-match')) ? answer(hit, true) : next();
    if (family.keepOnSecondAsk && !askedBefore(store, key)) return next();
    let mine: Response | null = null;
    const fill = `${version}\n${key}`;
    let rendering = filling.get(fill);
    if (!rendering) {
      rendering = (async () => {
        const response = await next();
        const type = response.headers.get('content-type') ?? '';
        // An answer its route marks no-store or private (a facet that timed out, restricted data) is never kept.
        const noStore = /\b(?:no-store|private)\b/i.test(response.headers.get('cache-control') ?? '');
        if (response.status !== 200 || !type.startsWith(family.contentType ?? 'text/html') || response.headers.has('set-cookie') || noStore) {
          mine = response;
          return null;
        }
        // Kept with the headers the outer securityHeaders step gives it, for the entry point that serves it alone.
        const headers = new Headers(response.headers);
        applySecurityHeaders(headers, { hsts: locals.site.secure && locals.site.origin.startsWith('https:'), signedIn: false });
        const kept = Object.fromEntries(headers);
        const headerLength = Object.entries(kept).reduce((n, [name, value]) => n + name.length + value.length, 0);
        const page: Kept = { version, status: 200, headers: kept, headerLength, body: Buffer.from(await response.arrayBuffer()) };
        keep(store, key, page);
        return page;
      })().finally(() => filling.delete(fill));
      filling.set(fill, rendering);
    }
    const page = await rendering;
    if (page && answersAsKept(page, request.headers.get('if-none-match'))) return answer(page, false);
    // Not kept: this request's own answer, or (when it waited on another's that could not be kept) a fresh rendering.
    return mine ?? next();
  };

  /**
   * Before Astro: answers from a kept page when the request is one the middleware would have served from it.
   * False (the request untouched; decided at once for anything that is not a kept page) otherwise, and on any
   * doubt: Astro then renders it as usual.
   */
  function serve(request: IncomingMessage, response: ServerResponse): false | Promise<boolean> {
    if (request.method !== 'GET' || nothingKept()) return false;
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
    const store = stores.get(family)!;
    if (!store.pages.has(key)) return false;
    return family.version().then((version) => {
      const page = lookup(store, key, version);
      if (!page || response.headersSent || !answersAsKept(page, headers['if-none-match'])) return false;
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
