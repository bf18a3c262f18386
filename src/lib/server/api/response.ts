import { createHash } from 'node:crypto';
import type { Locale } from '../../i18n/index.ts';
import { t } from '../../i18n/index.ts';
import { problem, problemDetails, type Problem } from '../validation/problem.ts';

/**
 * The one error shape of every JSON API here (the native API, SQL, account endpoints, and the middleware's own
 * refusals: 413, 429, 403):
 * `{ "error": { "status": 400, "code": "invalid_parameters", "message": "…", "problems": [{ "parameter", "code", "message" }] } }`
 * — `message` in the reader's language (`?lang=en`, the `lang` cookie, else the deployment default), `problems`
 * (the details) only when specific parameters are at fault — so a client handles all errors with one branch.
 * CKAN's actions keep CKAN's own envelope (../ckan/envelope.ts), which CKAN clients expect.
 */
export interface ApiErrorBody {
  error: { status: number; code: string; message: string; problems?: { parameter: string; code: string; message: string }[] };
}

/** How long a response may be kept. `current` data changes when a pipeline publishes; a pinned version never does. */
export type CachePolicy = 'none' | 'current' | 'version';

const CACHE_CONTROL: Record<CachePolicy, string> = {
  none: 'no-store',
  current: 'public, max-age=60',
  version: 'public, max-age=86400',
};

/** Read endpoints are public data: any site may call them from the browser (no cookies are needed or sent). */
export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Content-Disposition, Content-Range, Accept-Ranges, X-Truncated, X-Elapsed-Ms',
};

export interface JsonOptions {
  status?: number;
  cache?: CachePolicy;
  /** Adds CORS headers (GET data endpoints). */
  cors?: boolean;
  /** The request, so that a matching If-None-Match gets a 304. */
  request?: Request;
  headers?: Record<string, string>;
  /** The reader's language, for error messages. */
  locale?: Locale;
}

export function jsonResponse(body: unknown, options: JsonOptions = {}): Response {
  return jsonTextResponse(JSON.stringify(body), options);
}

/** A JSON answer whose text is already written (e.g. rows that DuckDB wrote as JSON). */
export function jsonTextResponse(text: string, options: JsonOptions = {}): Response {
  const status = options.status ?? 200;
  const headers = new Headers({
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': CACHE_CONTROL[options.cache ?? (status === 200 ? 'current' : 'none')],
    ...(options.cors ? CORS_HEADERS : {}),
    ...options.headers,
  });
  if (status === 200 && options.cache !== 'none') {
    // A strong validator from the bytes: cheap next to the query that produced them, and exact.
    const etag = `"${createHash('sha1').update(text).digest('base64url')}"`;
    headers.set('ETag', etag);
    if (options.request && matchesEtag(options.request.headers.get('if-none-match'), etag)) {
      return new Response(null, { status: 304, headers });
    }
  }
  return new Response(text, { status, headers });
}

export function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/**
 * An error answer. `key` is a message key (`apierror.not_found_dataset`, `sql.error.timeout`, …); the public
 * `code` is the key without its `apierror.` prefix, so clients can branch on it whatever the language.
 */
export function apiError(status: number, key: string, params: Record<string, string | number> = {}, options: Omit<JsonOptions, 'status'> & { problems?: Problem[] } = {}): Response {
  const locale = options.locale ?? 'id';
  const error: ApiErrorBody['error'] = { status, code: publicCode(key), message: t(locale, key, params) };
  if (options.problems && options.problems.length > 0) error.problems = problemDetails(options.problems, locale).map((p) => ({ ...p, code: publicCode(p.code) }));
  return jsonResponse({ error }, { ...options, status, cache: 'none' });
}

export function publicCode(key: string): string {
  return key.replace(/^(apierror|problem)\./, '').replace(/^sql\.(error|problem)\./, 'sql.');
}

/** 400 for parameters a client got wrong; the message sums up, the problems say which and why. */
export function badRequest(problems: Problem[], options: Omit<JsonOptions, 'status'> = {}): Response {
  if (problems.length === 1) return apiError(400, problems[0]!.code, problems[0]!.params, { ...options, problems });
  return apiError(400, 'apierror.invalid_parameters', { count: problems.length }, { ...options, problems });
}

export function notFound(key: string, params: Record<string, string | number>, options: Omit<JsonOptions, 'status'> = {}): Response {
  return apiError(404, key, params, options);
}

/** Answer to a CORS preflight for the GET endpoints. */
export function preflight(methods = 'GET, HEAD, OPTIONS'): Response {
  return new Response(null, {
    status: 204,
    headers: { ...CORS_HEADERS, 'Access-Control-Allow-Methods': methods, 'Access-Control-Allow-Headers': 'Content-Type, If-None-Match, If-Range, Range', 'Access-Control-Max-Age': '86400' },
  });
}

/** The absolute URL of `pathname?params` on this site's public origin (`locals.site.origin`, never the Host header). */
export function absoluteUrl(origin: string, pathname: string, params?: URLSearchParams): string {
  const url = new URL(pathname, origin);
  if (params) url.search = params.toString();
  return url.toString();
}

/** Integer parameter with bounds; problems go to the list instead of throwing. */
export function intParam(
  params: URLSearchParams,
  name: string,
  spec: { fallback: number; min: number; max: number },
  problems: Problem[],
): number {
  const raw = params.get(name);
  if (raw === null || raw.trim() === '') return spec.fallback;
  if (!/^\d+$/.test(raw.trim())) {
    problems.push(problem(name, 'problem.param.not_integer', { name, min: spec.min, max: spec.max, value: raw }));
    return spec.fallback;
  }
  const n = Number(raw);
  if (n < spec.min || n > spec.max) {
    problems.push(problem(name, 'problem.param.out_of_range', { name, min: spec.min, max: spec.max, value: n }));
    return spec.fallback;
  }
  return n;
}

/** A terbatas dataset's data is for the signed-in reader only: never kept by shared caches. */
export function privateIfRestricted(detail: { manifest: { metadata: { classification: string } } }, response: Response): Response {
  if (detail.manifest.metadata.classification !== 'terbuka') response.headers.set('Cache-Control', 'private, no-store');
  return response;
}
