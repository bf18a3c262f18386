/** Small helpers for the account pages' frontmatter (no I/O). */

/** The HTTP status a page should answer with after a form action: the error's, else 200. */
export function formStatus(...results: ({ error?: unknown } | undefined)[]): number {
  for (const result of results) {
    const status = (result?.error as { status?: number } | undefined)?.status;
    if (status) return status;
  }
  return 200;
}

/**
 * Where to go after logging in: only a path on this site, never another site. The check runs on the normalised
 * result, which is what the browser will follow: `/.//evil.example` and `/a/..//evil.example` normalise to
 * `//evil.example`, a protocol-relative URL to another host, so a path that starts with two slashes (or a
 * backslash, which browsers read as a slash) after normalising is refused as well as before.
 */
export function safeNext(value: string | null | undefined, fallback = '/account'): string {
  if (!value || !value.startsWith('/')) return fallback;
  // Browsers drop tabs and newlines from URLs ("/\t/evil" becomes "//evil"), so control characters are refused
  // outright, and so are backslashes anywhere.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  const base = 'http://same.invalid';
  try {
    const resolved = new URL(value, base);
    const path = resolved.pathname + resolved.search + resolved.hash;
    if (resolved.origin !== base || !path.startsWith('/') || /^\/[\/\\]/.test(path) || /^\/%(2f|5c)/i.test(path)) return fallback;
    return path;
  } catch {
    return fallback;
  }
}

export function loginUrl(url: URL): string {
  return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}
