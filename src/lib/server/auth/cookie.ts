import type { AstroCookies } from 'astro';
import { sessionExpiresAt, type Session } from './session.ts';
import { SESSION_COOKIE } from './settings.ts';

/** The session cookie: HttpOnly, SameSite=Lax, Secure over https, expiring with the session. */
export function setSessionCookie(cookies: AstroCookies, url: URL, token: string, session: Pick<Session, 'createdAt' | 'lastActiveAt'>): void {
  cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
    path: '/',
    expires: new Date(sessionExpiresAt(session)),
  });
}

export function deleteSessionCookie(cookies: AstroCookies, url: URL): void {
  cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', path: '/', maxAge: 0 });
}
