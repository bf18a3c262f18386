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
