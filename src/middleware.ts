import { defineMiddleware, sequence } from 'astro:middleware';
import { negotiateLocale } from './lib/i18n/negotiate.ts';
import { deployment } from './lib/server/config/deployment.ts';
import { ensureStarted } from './lib/server/runtime.ts';
import { authenticate } from './lib/server/auth/middleware.ts';
import { limitActionBodies } from './lib/server/http/action-bodies.ts';
import { limitSql, limitWrites, rejectCrossSite, securityHeaders } from './lib/server/http/middleware.ts';

/** Starts the DB, catalog sync and scheduler on the first request (start.ts sends one at boot). */
const runtime = defineMiddleware(async (_context, next) => {
  await ensureStarted();
  return next();
});

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
