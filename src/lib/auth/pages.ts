/** Small helpers for the account pages' frontmatter (no I/O). */

/** The HTTP status a page should answer with after a form action: the error's, else 200. */
export function formStatus(...results: ({ error?: unknown } | undefined)[]): number {
  for (const result of results) {
    const status = (result?.error as { status?: number } | undefined)?.status;
    if (status) return status;
  }
  return 200;
}

/** Where to go after logging in: only a local path, never another site (`//evil`, `/\evil`). */
export function safeNext(value: string | null | undefined, fallback = '/account'): string {
  if (!value || !value.startsWith('/')) return fallback;
  // Browsers drop tabs and newlines from URLs ("/\t/evil" becomes "//evil"), so control characters are refused
  // outright, and the result must resolve to this site whatever the browser does with backslashes.
  if (/[\u0000-\u001f\u007f\\]/.test(value) || value.startsWith('//')) return fallback;
  const base = 'http://same.invalid';
  try {
    const resolved = new URL(value, base);
    return resolved.origin === base ? resolved.pathname + resolved.search + resolved.hash : fallback;
  } catch {
    return fallback;
  }
}

export function loginUrl(url: URL): string {
  return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}
