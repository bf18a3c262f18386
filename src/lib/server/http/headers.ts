/** Pure helpers for the security headers step in middleware.ts. */

/** Adds each directive of `extra` that `policy` does not already have. */
export function mergeCsp(policy: string, extra: string): string {
  const directives = policy.split(';').map((d) => d.trim()).filter(Boolean);
  const names = new Set(directives.map((d) => d.split(/\s+/)[0]!.toLowerCase()));
  for (const directive of extra.split(';').map((d) => d.trim()).filter(Boolean)) {
    if (!names.has(directive.split(/\s+/)[0]!.toLowerCase())) directives.push(directive);
  }
  return directives.join('; ');
}

/**
 * What pages add to Astro's per-page script/style hashes: nothing loads from elsewhere (default-src 'self'), images
 * may also be data: and blob: URLs (the PNG download draws the chart from a blob), fonts data: URLs (the build
 * inlines the web font's small subsets into the stylesheet; a font cannot run script), no framing, no plugins,
 * forms and <base> stay on this site.
 */
export const PAGE_CSP = "default-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/**
 * The security headers of every response: Content-Security-Policy here adds what Astro's hashes leave out
 * (default-src, frame-ancestors…). Applying them twice changes nothing (reader-pages.ts keeps pages with them).
 */
export function applySecurityHeaders(target: Headers, site: { hsts: boolean; signedIn: boolean }): void {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': PAGE_CSP,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
  if (site.hsts) headers['Strict-Transport-Security'] = 'max-age=31536000';
  // Anything that is not a page (JSON, CSV, SVG, data files) may load nothing and run nothing if a browser opens it
  // directly: an SVG chart of user data, say, can never become a script.
  const type = target.get('content-type') ?? '';
  if (!type.startsWith('text/html')) headers['Content-Security-Policy'] = "default-src 'none'; frame-ancestors 'none'; sandbox";
  // Pages for a signed-in person (their account, a token shown once) must not be kept by caches.
  if (site.signedIn) headers['Cache-Control'] = 'private, no-store';
  for (const [name, value] of Object.entries(headers)) {
    const existing = target.get(name);
    // Anything answered to a signed-in person may be theirs alone (restricted data, tokens): never shared-cached.
    if (name === 'Cache-Control') target.set(name, value);
    else if (existing === null) target.set(name, value);
    // Astro's own CSP (security.csp) sets script-src/style-src hashes: add our directives to it.
    else if (name === 'Content-Security-Policy') target.set(name, mergeCsp(existing, value));
  }
}
