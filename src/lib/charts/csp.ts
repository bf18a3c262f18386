import { createHash } from 'node:crypto';

/** CSP hashes ('sha256-…') of the <style> elements inside a rendered SVG, so a page can allow exactly those. */
export function styleHashes(svg: string | null | undefined): `sha256-${string}`[] {
  if (!svg) return [];
  return [...svg.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map(
    (match) => `sha256-${createHash('sha256').update(match[1]!).digest('base64')}` as const,
  );
}
