import { defineMiddleware } from 'astro:middleware';
import { apiError } from '../api/response.ts';
import { validateApiToken } from './api-token.ts';
import { deleteSessionCookie, setSessionCookie } from './cookie.ts';
import { validateSessionToken } from './session.ts';
import { SESSION_COOKIE } from './settings.ts';

/** The identity step of src/middleware.ts: who is asking (session cookie or API token). */

const bearer = (request: Request) => request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;

/** Fills `locals.user` and `locals.session` from the session cookie, or `locals.user` from an API token. */
export const authenticate = defineMiddleware(async (context, next) => {
  context.locals.user = null;
  context.locals.session = null;
  const token = bearer(context.request);
  if (token !== null) {
    const found = await validateApiToken(token);
    if (!found) {
      return apiError(401, 'apierror.invalid_token', {}, { locale: context.locals.locale, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
    }
    context.locals.user = found.user;
    return next();
  }
  const cookie = context.cookies.get(SESSION_COOKIE)?.value;
  if (cookie) {
    const found = await validateSessionToken(cookie);
    if (found) {
      context.locals.user = found.user;
      context.locals.session = found.session;
      if (found.session.fresh) setSessionCookie(context.cookies, context.locals.site, cookie, found.session);
    } else {
      deleteSessionCookie(context.cookies, context.locals.site);
    }
  }
  return next();
});

