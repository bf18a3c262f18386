import { defineMiddleware, sequence } from 'astro:middleware';
import { negotiateLocale } from './lib/i18n/negotiate.ts';
import { deployment } from './lib/server/config/deployment.ts';
import { ensureStarted } from './lib/server/runtime.ts';
import { authenticate } from './lib/server/auth/middleware.ts';
import { limitActionBodies } from './lib/server/http/action-bodies.ts';
import { limitSql, limitWrites, rejectCrossSite, securityHeaders } from './lib/server/http/middleware.ts';

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
    return Response.json(
      { error: { status: 503, message: 'The service is starting or unavailable; try again in a minute.' } },
      { status: 503, headers: { 'retry-after': '60', 'cache-control': 'no-store' } },
    );
  }
  return next();
});

function wantsPage(request: Request, url: URL): boolean {
  return request.method === 'GET' && !url.pathname.startsWith('/api/') && (request.headers.get('accept') ?? '').includes('text/html');
}

/** `?lang=id|en` switches the language and remembers it in the `lang` cookie; otherwise the cookie or the deployment default. */
const locale = defineMiddleware((context, next) => {
  const config = deployment();
  const { locale, remember } = negotiateLocale({
    query: context.url.searchParams.get('lang'),
    cookie: context.cookies.get('lang')?.value,
    offered: config.locales,
    fallback: config.default_locale,
  });
  context.locals.locale = locale;
  if (remember) {
    context.cookies.set('lang', locale, { path: '/', maxAge: 60 * 60 * 24 * 365, sameSite: 'lax', httpOnly: true });
  }
  return next();
});

export const onRequest = sequence(securityHeaders, runtime, locale, rejectCrossSite, limitActionBodies, authenticate, limitWrites, limitSql);
