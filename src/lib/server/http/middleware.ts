import { defineMiddleware } from 'astro:middleware';
import { t } from '../../i18n/index.ts';
import { SESSION_COOKIE } from '../auth/settings.ts';
import { MAX_BODY_BYTES } from './body.ts';
import { crossSiteRejection, isStateChanging, needsCrossSiteCheck } from './csrf.ts';
import { applySecurityHeaders } from './headers.ts';
import { consume, consumeEach, sweep } from './rate-limit.ts';
import { refusalResponse } from './refusal.ts';
import { ckanActionName } from '../ckan/envelope.ts';
import { requestSite } from './request-site.ts';
import { siteSettings } from './site-settings.ts';

/**
 * The HTTP steps of src/middleware.ts that are not about identity: security headers on every response, the
 * cross-site refusal of state changes, and the per-address/per-account limits on writes and user SQL.
 */

/** Headers on every response (headers.ts `applySecurityHeaders`). */
export const securityHeaders = defineMiddleware(async (context, next) => {
  let response = await next();
  const site = { hsts: Boolean(context.locals.site?.secure && context.locals.site.origin.startsWith('https:')), signedIn: Boolean(context.locals.user) };
  try {
    applySecurityHeaders(response.headers, site);
  } catch {
    // Response.redirect() and some others have immutable headers: copy the response.
    response = new Response(response.body, response);
    applySecurityHeaders(response.headers, site);
  }
  return response;
});

/**
 * Who is asking and which origin this site answers under (./request-site.ts): the client address behind trusted
 * proxies, https or not, and the public origin for absolute URLs — never taken from the Host header.
 */
export const resolveSite = defineMiddleware((context, next) => {
  context.locals.site = requestSite({ url: context.url, peer: context.clientAddress, headers: context.request.headers }, siteSettings());
  return next();
});

/** A state-changing request from another site's page is refused (see csrf.ts). */
export const rejectCrossSite = defineMiddleware((context, next) => {
  if (needsCrossSiteCheck(context.request, context.url, context.cookies.has(SESSION_COOKIE))) {
    const why = crossSiteRejection(context.request, context.locals.site.ownOrigins);
    if (why) return refuse(context, { status: 403, key: 'apierror.cross_site', pageKey: 'auth.error.cross_site', params: {} });
  }
  return next();
});

/**
 * Bodies over the cap are refused before anyone reads them (pages, the API, CKAN; action bodies, which may carry
 * files, are judged by action-bodies.ts). A declared Content-Length is checked here. The node adapter's
 * bodySizeLimit (astro.config.mjs) must leave room for uploads, so a chunked body is only let through where its
 * reader caps it while reading (readBodyText, under /api/); a page is sent forms by browsers, which always declare
 * the length, so an undeclared body there is refused before anything can read it.
 */
export const limitBodies = defineMiddleware((context, next) => {
  const { request, url } = context;
  const header = request.headers.get('content-length');
  const declared = Number(header ?? 0);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    return refuse(context, { status: 413, key: 'apierror.body_too_large', pageKey: 'apierror.body_too_large', params: { max: MAX_BODY_BYTES } });
  }
  if (header === null && request.body !== null && isStateChanging(request.method) && !url.pathname.startsWith('/api/')) {
    return new Response(t(context.locals.locale, 'apierror.length_required'), { status: 411, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  return next();
});

function refuse(context: Parameters<Parameters<typeof defineMiddleware>[0]>[0], refusal: Parameters<typeof refusalResponse>[3]): Response {
  return refusalResponse(context.url, context.locals.site.origin, context.locals.locale, refusal);
}

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
    const { user, site } = context.locals;
    const answer = await consumeEach(user ? [['write.ip', site.clientAddress], ['write.account', user.id]] : [['write.ip', site.clientAddress]]);
    if (!answer.ok) return rateLimited(context, answer.retryAfterSeconds);
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

/** Requests that run user SQL: the API (ad-hoc and saved queries), the SQL pages with a query, and CKAN's datastore_search_sql. */
function runsUserSql(url: URL): boolean {
  return (
    url.pathname === '/api/v1/sql' ||
    url.pathname.startsWith('/api/v1/sql/') ||
    url.pathname.startsWith('/api/v1/queries/') ||
    /^(\/api\/v1)?\/datasets\/[^/]+\/queries\//.test(url.pathname) ||
    ckanActionName(url.pathname) === 'datastore_search_sql' ||
    (url.pathname === '/sql' && url.searchParams.has('sql')) ||
    url.pathname.startsWith('/sql/')
  );
}

function rateLimited(context: Parameters<Parameters<typeof defineMiddleware>[0]>[0], seconds: number): Response {
  return refuse(context, { status: 429, key: 'apierror.rate_limited', pageKey: 'auth.error.rate_limited', params: { seconds }, headers: { 'Retry-After': String(seconds) } });
}

/** SQL is the one read that costs real work, so it is rate-limited per address whatever the method. */
export const limitSql = defineMiddleware(async (context, next) => {
  if (!runsUserSql(context.url)) return next();
  const answer = await consume('sql.ip', context.locals.site.clientAddress);
  return answer.ok ? next() : rateLimited(context, answer.retryAfterSeconds);
});
