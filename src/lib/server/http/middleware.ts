import { defineMiddleware } from 'astro:middleware';
import { t } from '../../i18n/index.ts';
import { SESSION_COOKIE } from '../auth/settings.ts';
import { crossSiteRejection, isStateChanging, needsCrossSiteCheck } from './csrf.ts';
import { mergeCsp } from './headers.ts';
import { consume, sweep } from './rate-limit.ts';

/**
 * The HTTP steps of src/middleware.ts that are not about identity: security headers on every response, the
 * cross-site refusal of state changes, and the per-address/per-account limits on writes and user SQL.
 */

/** Headers on every response. Content-Security-Policy here holds what a <meta> cannot (frame-ancestors). */
export const securityHeaders = defineMiddleware(async (context, next) => {
  let response = await next();
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
  if (context.url.protocol === 'https:') headers['Strict-Transport-Security'] = 'max-age=31536000';
  // Anything that is not a page (JSON, CSV, SVG, data files) may load nothing and run nothing if a browser opens it
  // directly: an SVG chart of user data, say, can never become a script.
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/html')) headers['Content-Security-Policy'] = "default-src 'none'; frame-ancestors 'none'; sandbox";
  // Pages for a signed-in person (their account, a token shown once) must not be kept by caches.
  if (context.locals.user) headers['Cache-Control'] = 'private, no-store';
  const apply = (target: Headers) => {
    for (const [name, value] of Object.entries(headers)) {
      const existing = target.get(name);
      // Anything answered to a signed-in person may be theirs alone (restricted data, tokens): never shared-cached.
      if (name === 'Cache-Control') target.set(name, value);
      else if (existing === null) target.set(name, value);
      // Astro's own CSP (security.csp) sets script-src/style-src hashes: add our directives to it.
      else if (name === 'Content-Security-Policy') target.set(name, mergeCsp(existing, value));
    }
  };
  try {
    apply(response.headers);
  } catch {
    // Response.redirect() and some others have immutable headers: copy the response.
    response = new Response(response.body, response);
    apply(response.headers);
  }
  return response;
});

/** A state-changing request from another site's page is refused (see csrf.ts). */
export const rejectCrossSite = defineMiddleware((context, next) => {
  if (needsCrossSiteCheck(context.request, context.url, context.cookies.has(SESSION_COOKIE))) {
    const why = crossSiteRejection(context.request, context.url.origin);
    if (why) {
      return new Response(t(context.locals.locale, 'auth.error.cross_site'), {
        status: 403,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
  }
  return next();
});

/**
 * Every state-changing request counts against its address and its account. Handlers with their own
 * limits (log-in, sign-up, reset) set `locals.retryAfter`; it becomes a Retry-After header here.
 */
let writes = 0;
/** Astro runs the middleware again to render an error page (404) for the same request: count it once. */
const counted = new WeakSet<Request>();
export const limitWrites = defineMiddleware(async (context, next) => {
  context.locals.retryAfter ??= null;
  if (isStateChanging(context.request.method) && !counted.has(context.request)) {
    counted.add(context.request);
    if (++writes % 1000 === 0) void sweep().catch((error) => console.error(`[rate-limit] sweep failed: ${(error as Error).message}`));
    const answer = [await consume('write.ip', context.clientAddress), context.locals.user ? await consume('write.account', context.locals.user.id) : { ok: true as const }].find((a) => !a.ok);
    if (answer && !answer.ok) {
      return new Response(t(context.locals.locale, 'auth.error.rate_limited', { seconds: answer.retryAfterSeconds }), {
        status: 429,
        headers: { 'Retry-After': String(answer.retryAfterSeconds), 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
  }
  const response = await next();
  if (context.locals.retryAfter !== null) {
    try {
      response.headers.set('Retry-After', String(context.locals.retryAfter));
    } catch {
      const copy = new Response(response.body, response);
      copy.headers.set('Retry-After', String(context.locals.retryAfter));
      return copy;
    }
  }
  return response;
});

/** Requests that run user SQL: the API, the SQL page with a query, and CKAN's datastore_search_sql. */
function runsUserSql(url: URL): boolean {
  return (
    url.pathname === '/api/v1/sql' ||
    url.pathname === '/api/3/action/datastore_search_sql' ||
    (url.pathname === '/sql' && url.searchParams.has('sql'))
  );
}

/** SQL is the one read that costs real work, so it is rate-limited per address whatever the method. */
export const limitSql = defineMiddleware(async (context, next) => {
  if (!runsUserSql(context.url)) return next();
  const answer = await consume('sql.ip', context.clientAddress);
  if (answer.ok) return next();
  return new Response(t(context.locals.locale, 'auth.error.rate_limited', { seconds: answer.retryAfterSeconds }), {
    status: 429,
    headers: { 'Retry-After': String(answer.retryAfterSeconds), 'Content-Type': 'text/plain; charset=utf-8' },
  });
});
