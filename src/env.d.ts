/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The reader's language, set by the locale step in src/middleware.ts. */
    locale: import('./lib/i18n/index.ts').Locale;
    /** The signed-in account (session cookie or API token), set by the auth steps in src/middleware.ts. */
    user: import('./lib/server/auth/user.ts').User | null;
    /** The browser session, when signed in with the cookie (null for API tokens). */
    session: import('./lib/server/auth/session.ts').Session | null;
    /** Client address, https or not, and the public origin for absolute URLs (src/lib/server/http/request-site.ts). */
    site: import('./lib/server/http/request-site.ts').RequestSite;
    /** Non-secret fields of a form whose action failed, for the page to fill back in (src/actions/guard.ts). */
    formEcho?: Record<string, string>;
    /** Seconds until a rate limit releases, set by a handler that refused; sent as Retry-After. */
    retryAfter: number | null;
  }
}
