import { createHash } from 'node:crypto';
import type { QueryProblem } from '../query/filters.ts';

/**
 * The one JSON shape of the native API. Every error is
 * `{ "error": { "status": 400, "message": "…", "problems": [{ "parameter": "…", "message": "…" }] } }`
 * — `problems` only when specific parameters are at fault — so a client handles all errors with one branch.
 */
export interface ApiErrorBody {
  error: { status: number; message: string; problems?: QueryProblem[] };
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
}

export function jsonResponse(body: unknown, options: JsonOptions = {}): Response {
  const status = options.status ?? 200;
  const text = JSON.stringify(body);
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

export function apiError(status: number, message: string, problems?: QueryProblem[], options: Omit<JsonOptions, 'status'> = {}): Response {
  const error: ApiErrorBody['error'] = { status, message };
  if (problems && problems.length > 0) error.problems = problems;
  return jsonResponse({ error }, { ...options, status, cache: 'none' });
}

/** 400 for parameters a client got wrong; the message sums up, the problems say which and why. */
export function badRequest(problems: QueryProblem[], options: Omit<JsonOptions, 'status'> = {}): Response {
  const summary = problems.length === 1 ? problems[0]!.message : `${problems.length} problems with the request parameters`;
  return apiError(400, summary, problems, options);
}

export function notFound(what: string, options: Omit<JsonOptions, 'status'> = {}): Response {
  return apiError(404, what, undefined, options);
}

/** Answer to a CORS preflight for the GET endpoints. */
export function preflight(methods = 'GET, HEAD, OPTIONS'): Response {
  return new Response(null, {
    status: 204,
    headers: { ...CORS_HEADERS, 'Access-Control-Allow-Methods': methods, 'Access-Control-Allow-Headers': 'Content-Type, If-None-Match, If-Range, Range', 'Access-Control-Max-Age': '86400' },
  });
}

/** The absolute URL of `pathname?params` on the origin the client used. */
export function absoluteUrl(base: URL, pathname: string, params?: URLSearchParams): string {
  const url = new URL(pathname, base.origin);
  if (params) url.search = params.toString();
  return url.toString();
}

/** Integer parameter with bounds; problems go to the list instead of throwing. */
export function intParam(
  params: URLSearchParams,
  name: string,
  spec: { fallback: number; min: number; max: number },
  problems: QueryProblem[],
): number {
  const raw = params.get(name);
  if (raw === null || raw.trim() === '') return spec.fallback;
  if (!/^\d+$/.test(raw.trim())) {
    problems.push({ parameter: name, message: `${name} must be a whole number between ${spec.min} and ${spec.max}, found "${raw}"` });
    return spec.fallback;
  }
  const n = Number(raw);
  if (n < spec.min || n > spec.max) {
    problems.push({ parameter: name, message: `${name} must be between ${spec.min} and ${spec.max}, found ${n}` });
    return spec.fallback;
  }
  return n;
}

/** A terbatas dataset's data is for the signed-in reader only: never kept by shared caches. */
export function privateIfRestricted(detail: { manifest: { metadata: { classification: string } } }, response: Response): Response {
  if (detail.manifest.metadata.classification !== 'terbuka') response.headers.set('Cache-Control', 'private, no-store');
  return response;
}
