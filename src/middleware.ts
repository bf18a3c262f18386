import { defineMiddleware, sequence } from 'astro:middleware';
import { negotiateLocale } from './lib/i18n/negotiate.ts';
import { deployment } from './lib/server/config/deployment.ts';
import { ensureStarted } from './lib/server/runtime.ts';
import { apiError } from './lib/server/api/response.ts';
import { authenticate } from './lib/server/auth/middleware.ts';
import { keptPages } from './lib/kept-pages.ts';
import { isActionRequest, limitActionBodies, reserveUploadSlots } from './lib/server/http/action-bodies.ts';
import { limitBodies, limitSql, limitWrites, rejectCrossSite, resolveSite, securityHeaders } from './lib/server/http/middleware.ts';

/**
 * Starts the DB, catalog sync and scheduler on the first request (start.ts sends one at boot). While that fails
 * (a store that cannot be opened), readers get a 503 in the portal's style, or JSON for machine clients.
 */
const runtime = defineMiddleware(async (context, next) => {
  try {
    await ensureStarted();
  } catch (error) {
    console.error(`[runtime] not started: ${(error as Error).message}`);
    // The query string travels along so ?lang= still picks the page's language.
    if (wantsPage(context.request, context.url)) return next(`/503${context.url.search}`);
    // The one JSON error shape; the locale middleware has not run yet, so the language is negotiated here.
    return apiError(503, 'apierror.unavailable', {}, { locale: negotiate(context).locale, headers: { 'Retry-After': '60' } });
  }
  return next();
});

function wantsPage(request: Request, url: URL): boolean {
  return request.method === 'GET' && !url.pathname.startsWith('/api/') && (request.headers.get('accept') ?? '').includes('text/html');
}

function negotiate(context: Parameters<Parameters<typeof defineMiddleware>[0]>[0]) {
  const config = deployment();
  return negotiateLocale({
    query: context.url.searchParams.get('lang'),
    cookie: context.cookies.get('lang')?.value,
    offered: config.locales,
    fallback: config.default_locale,
  });
}

/** `?lang=id|en` switches the language and remembers it in the `lang` cookie; otherwise the cookie or the deployment default. */
const locale = defineMiddleware((context, next) => {
  const { locale, remember } = negotiate(context);
  context.locals.locale = locale;
  if (remember) {
    context.cookies.set('lang', locale, { path: '/', maxAge: 60 * 60 * 24 * 365, sameSite: 'lax', httpOnly: true });
  }
  return next();
});

// Action bodies (which may carry files) are judged by limitActionBodies; every other body by limitBodies (1 MB).
const limitOtherBodies = defineMiddleware((context, next) => (isActionRequest(context.url) ? next() : limitBodies(context, next)));

export const onRequest = sequence(securityHeaders, resolveSite, runtime, locale, rejectCrossSite, limitActionBodies, limitOtherBodies, authenticate, reserveUploadSlots, limitWrites, limitSql, keptPages.middleware);
