import type { IncomingMessage } from 'node:http';
import { deployment } from '../config/deployment.ts';
import { env } from '../config/env.ts';
import { parseTrustedProxies, requestSite, type RequestSite, type SiteSettings } from './request-site.ts';

const PLAIN_HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

let proxies: { text: string | undefined; list: SiteSettings['trustedProxies'] } | undefined;

/** What request-site.ts decides with: the portal URL, the trusted proxies (parsed once per value), the port. */
export function siteSettings(): SiteSettings {
  const text = env().KOTA_TRUSTED_PROXIES;
  if (!proxies || proxies.text !== text) proxies = { text, list: parseTrustedProxies(text) };
  return { portalUrl: deployment().city.portal_url, trustedProxies: proxies.list, port: env().PORT };
}

/**
 * The site as the middleware's `resolveSite` decides it, for a request Astro has not seen yet (reader-pages.ts).
 * The URL is built as @astrojs/node builds it (the Host header and the request target; the peer is the socket's
 * address, since no allowed domains are configured); null where that URL would not parse.
 */
export function siteOf(request: IncomingMessage): RequestSite | null {
  const protocol = 'encrypted' in request.socket && request.socket.encrypted ? 'https' : 'http';
  const host = request.headers.host;
  // A Host that is more than a name and a port (`host/badami#`) moves Astro's URL elsewhere: leave it to Astro.
  if (typeof host !== 'string' || !PLAIN_HOST.test(host)) return null;
  const href = `${protocol}://${host}${request.url ?? ''}`;
  if (!URL.canParse(href)) return null;
  const headers = new Headers();
  for (const name of ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host']) {
    const value = request.headers[name];
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return requestSite({ url: new URL(href), peer: request.socket.remoteAddress ?? '', headers }, siteSettings());
}
