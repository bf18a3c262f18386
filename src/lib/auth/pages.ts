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
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}

export function loginUrl(url: URL): string {
  return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}
