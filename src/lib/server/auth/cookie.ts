import type { AstroCookies } from 'astro';
import { sessionExpiresAt, type Session } from './session.ts';
import { SESSION_COOKIE } from './settings.ts';

/** How the client reaches the site (`locals.site`): over https, directly or through a trusted proxy, cookies are Secure. */
type Transport = { secure: boolean };

/** The session cookie: HttpOnly, SameSite=Lax, Secure over https, expiring with the session. */
export function setSessionCookie(cookies: AstroCookies, site: Transport, token: string, session: Pick<Session, 'createdAt' | 'lastActiveAt'>): void {
  cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: site.secure,
    path: '/',
    expires: new Date(sessionExpiresAt(session)),
  });
}

export function deleteSessionCookie(cookies: AstroCookies, site: Transport): void {
  cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: site.secure, path: '/', maxAge: 0 });
}
