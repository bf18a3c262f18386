import { defineMiddleware } from 'astro:middleware';
import { SESSION_COOKIE } from '../server/auth/settings.ts';
import { boardVersion } from '../server/badami/board.ts';
import { createCache } from '../server/cache.ts';
import { deployment } from '../server/config/deployment.ts';

/**
 * The board (`/badami`, every view and filter) and the dashboards (`/badami/dashboard`, the city's and each OPD's) as
 * anonymous readers get them, rendered once per board version
 * (board.ts `boardVersion`: the Badami revision, which every Badami write raises in the store, the day and the health
 * thresholds), deployment config, language and query string. Rendering 100+ cards is most of the page's cost and a reader without an
 * account sees exactly what every other one does. Not kept: anything for a signed-in person or with a session
 * cookie, a form's answer (`_action`), a language switch (`?lang=` sets a cookie), anything but a 200 HTML page.
 */
interface Rendered {
  body: string;
  status: number;
  headers: [string, string][];
}

// The board and the dashboards read nothing but the Badami tables, the clock's day and the config: the same version.
const KEPT_PATHS = new Set(['/badami', '/badami/dashboard']);
const pages = createCache<Rendered | null>({ max: 32, keep: (page) => page !== null });
// The deployment config is re-read when its file changes (an OPD renamed shows without a restart): a new object then.
const configs = new WeakMap<object, number>();
let configCount = 0;
const configGeneration = (config: object) => configs.get(config) ?? (configs.set(config, ++configCount), configCount);

export const cacheBoardForReaders = defineMiddleware(async (context, next) => {
  const { request, url, locals } = context;
  const cacheable =
    request.method === 'GET' &&
    KEPT_PATHS.has(url.pathname) &&
    !locals.user &&
    !context.cookies.has(SESSION_COOKIE) &&
    !url.searchParams.has('_action') &&
    !url.searchParams.has('lang');
  if (!cacheable) return next();
  const key = `${await boardVersion()}|${configGeneration(deployment())}|${locals.locale}|${locals.site.origin}|${url.pathname}${url.search}`;
  let mine: Response | null = null;
  const page = await pages.get(key, async () => {
    const response = await next();
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !type.startsWith('text/html') || response.headers.has('set-cookie')) {
      mine = response;
      return null;
    }
    return { body: await response.text(), status: response.status, headers: [...response.headers] };
  });
  if (page) return new Response(page.body, { status: page.status, headers: page.headers });
  // Not cacheable: this request's own answer, or (when it waited on another's uncacheable one) a fresh rendering.
  return mine ?? next();
});
