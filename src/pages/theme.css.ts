import type { APIRoute } from 'astro';
import { palette, paletteCss } from '../lib/design/palette.ts';
import { deployment } from '../lib/server/config/deployment.ts';

/**
 * The deployment's colours as design tokens (src/lib/design/palette.ts). A stylesheet rather than a style
 * attribute on <html>: the Content-Security-Policy allows same-origin stylesheets, not inline styles.
 */
export const GET: APIRoute = () =>
  new Response(paletteCss(palette(deployment().city.colors)), {
    headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300' },
  });
