import { ActionError, type ActionAPIContext } from 'astro:actions';
import { t } from '../lib/i18n/index.ts';
import type { Failure } from '../lib/server/auth/account.ts';
import { can, type Action, type ResourceArgument } from '../lib/server/auth/authorization.ts';
import type { User } from '../lib/server/auth/user.ts';

/** Shared by the action files: who is asking, and how a domain answer becomes an ActionError. */

export function requestInfo(context: ActionAPIContext) {
  return {
    ip: context.locals.site.clientAddress,
    userAgent: context.request.headers.get('user-agent') ?? '',
    // E-mailed links: linkOrigin() takes city.portal_url, or this origin only when it is this machine (else it refuses).
    origin: context.url.origin,
    locale: context.locals.locale,
  };
}

const CODES = {
  rate_limited: 'TOO_MANY_REQUESTS',
  invalid_credentials: 'UNAUTHORIZED',
  wrong_password: 'BAD_REQUEST',
  invalid_link: 'BAD_REQUEST',
  too_short: 'BAD_REQUEST',
  too_long: 'BAD_REQUEST',
  too_common: 'BAD_REQUEST',
} as const;

/**
 * Throws the failure as an ActionError with a message in the reader's language; a rate limit also sets Retry-After.
 * `echo` holds the non-secret fields the page fills back into the form (locals.formEcho), so no page ever re-reads
 * a request body.
 */
export function fail(context: ActionAPIContext, failure: Failure, echo?: Record<string, string>): never {
  if (failure.retryAfterSeconds !== undefined) context.locals.retryAfter = failure.retryAfterSeconds;
  if (echo) context.locals.formEcho = echo;
  throw new ActionError({
    code: CODES[failure.code],
    message: t(context.locals.locale, `auth.error.${failure.code}`, { seconds: failure.retryAfterSeconds ?? 0 }),
  });
}

/** The signed-in user if `can` allows the action, else UNAUTHORIZED (not signed in) or FORBIDDEN. */
export function authorize<A extends Action>(context: ActionAPIContext, action: A, ...resource: ResourceArgument<A>): User {
  const user = context.locals.user;
  if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: t(context.locals.locale, 'auth.error.login_required') });
  if (!can(user, action, ...resource)) throw new ActionError({ code: 'FORBIDDEN', message: t(context.locals.locale, 'auth.error.forbidden') });
  return user;
}
