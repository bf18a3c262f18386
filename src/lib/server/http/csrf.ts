/**
 * Cross-site request forgery, second line (Astro's checkOrigin is the first, for form content types):
 * a state-changing request that carries our cookies must come from our own pages. Browsers say where a
 * request comes from in `Sec-Fetch-Site`; older ones only in `Origin`. A request with neither comes from
 * a program, not a browser page, and a request authenticated only by a Bearer token carries no ambient
 * credential to forge.
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

export function crossSiteRejection(request: Request, ownOrigins: readonly string[]): string | null {
  if (!isStateChanging(request.method)) return null;
  const fetchSite = request.headers.get('sec-fetch-site');
  // 'none' is a user-initiated navigation (typed URL, bookmark), never a page of another site.
  if (fetchSite !== null && fetchSite !== 'same-origin' && fetchSite !== 'none') return `Sec-Fetch-Site: ${fetchSite}`;
  // Both headers are checked (Astro's checkOrigin is off, see astro.config.mjs): an Origin that is not ours is
  // refused whatever Sec-Fetch-Site says. Ours: the origin the request was sent to, and the public one
  // (city.portal_url, or a trusted proxy's), since behind a proxy the two differ.
  const origin = request.headers.get('origin');
  if (origin !== null && !ownOrigins.includes(origin)) return `Origin: ${origin}`;
  return null;
}

/**
 * Which requests the check applies to. A Bearer token is no ambient credential. A request to the public
 * API (/api/…) without our session cookie acts as nobody (and SameSite=Lax keeps the cookie off
 * cross-site posts), so notebooks and apps on other sites may call it; pages and actions are always checked,
 * which also stops log-in CSRF.
 */
export function needsCrossSiteCheck(request: Request, url: URL, hasSessionCookie: boolean): boolean {
  if (!isStateChanging(request.method)) return false;
  if (/^Bearer\s/i.test(request.headers.get('authorization') ?? '')) return false;
  // Astro runs a form action for a POST to any path carrying ?_action= (even /api/…, even a 404): those are
  // always checked, or a cross-site form could log a victim in as the attacker (login CSRF).
  if (url.searchParams.has('_action') || url.pathname.startsWith('/_actions/')) return true;
  if (url.pathname.startsWith('/api/') && !hasSessionCookie) return false;
  return true;
}
