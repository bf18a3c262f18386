import { BlockList, isIP } from 'node:net';

/**
 * Who is asking and under which address this site answers, decided once per request (middleware.ts puts it in
 * `locals.site`). Everything a client can type is distrusted:
 * - The Host header is never reflected into a response. Absolute URLs (API links, OpenAPI, DCAT, sitemap, CKAN,
 *   code snippets) use `city.portal_url` when it is set; otherwise the request's own origin only when it names
 *   this machine (localhost, 127.0.0.1, [::1]: the embedded demo) or comes from a trusted proxy's
 *   X-Forwarded-Host; otherwise the local address `http://localhost:<PORT>`. A forged Host can then never put
 *   another site's address into a cached response.
 * - X-Forwarded-For/-Proto/-Host count only when the connection comes from a proxy listed in
 *   KOTA_TRUSTED_PROXIES; then the client is the right-most address in X-Forwarded-For that is not itself a
 *   trusted proxy, so per-address limits hold behind TLS termination and a client cannot pick its own address.
 */
export interface RequestSite {
  /** Origin for absolute URLs, without a trailing slash. */
  origin: string;
  /** The client reached us over TLS (directly, through a trusted proxy, or the portal is https): cookies get Secure. */
  secure: boolean;
  /** The client's address for rate limits and the audit log. */
  clientAddress: string;
  /** The origins a same-site browser may send in `Origin` (the request's own and the public one). */
  ownOrigins: string[];
}

export interface SiteSettings {
  portalUrl?: string | undefined;
  trustedProxies: BlockList;
  port: number;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const HOST_HEADER = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/** `10.0.0.0/8, 127.0.0.1, ::1` → a BlockList; throws with the entry that is not an address or a range. */
export function parseTrustedProxies(text: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (text ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits))) throw new Error(`not an IP address or CIDR range: "${entry}"`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

export function requestSite(request: { url: URL; peer: string; headers: Headers }, settings: SiteSettings): RequestSite {
  const peer = plainAddress(request.peer);
  const viaProxy = isTrusted(peer, settings.trustedProxies);
  const forwardedProto = viaProxy ? lastValue(request.headers.get('x-forwarded-proto'))?.toLowerCase() : undefined;
  const forwardedHost = viaProxy ? lastValue(request.headers.get('x-forwarded-host')) : undefined;
  const tls = request.url.protocol === 'https:' || forwardedProto === 'https';
  const clientAddress = viaProxy ? forwardedClient(request.headers.get('x-forwarded-for'), settings.trustedProxies) ?? peer : peer;

  let origin: string;
  if (settings.portalUrl) origin = new URL(settings.portalUrl).origin;
  else if (forwardedHost && HOST_HEADER.test(forwardedHost)) origin = `${tls ? 'https' : 'http'}://${forwardedHost.toLowerCase()}`;
  else if (LOOPBACK_HOSTS.has(request.url.hostname)) origin = request.url.origin;
  else origin = `http://localhost:${settings.port}`;

  const secure = tls || origin.startsWith('https:');
  return { origin, secure, clientAddress, ownOrigins: [...new Set([request.url.origin, origin])] };
}

/** The right-most hop that is not a trusted proxy: the first address a trusted proxy saw the request come from. */
function forwardedClient(header: string | null, trusted: BlockList): string | undefined {
  const hops = (header ?? '').split(',').map((hop) => plainAddress(hop.trim())).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return hops[i + 1]; // garbage: trust nothing left of it
    if (!isTrusted(hop, trusted)) return hop;
  }
  return hops[0];
}

function isTrusted(address: string, trusted: BlockList): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** `::ffff:10.0.0.1` (IPv4 on an IPv6 socket) → `10.0.0.1`, so IPv4 ranges match it. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

function lastValue(header: string | null): string | undefined {
  const values = (header ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  return values.at(-1);
}
