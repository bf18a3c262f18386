import type { APIRoute } from 'astro';
import { logOut } from '../lib/server/auth/account.ts';
import { deleteSessionCookie } from '../lib/server/auth/cookie.ts';

/** POST /logout: ends this session server-side, clears the cookie, goes home. */
export const POST: APIRoute = async (context) => {
  const { user, session } = context.locals;
  if (user && session) await logOut(user, session.id, context.locals.site.clientAddress);
  deleteSessionCookie(context.cookies, context.locals.site);
  return context.redirect('/', 303);
};
