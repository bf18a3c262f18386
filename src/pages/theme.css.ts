import type { APIRoute } from 'astro';
import { deployment } from '../lib/server/config/deployment.ts';

/**
 * The deployment's colours as CSS variables. A stylesheet rather than a style attribute on <html>: the
 * Content-Security-Policy allows same-origin stylesheets, not inline styles. Values are validated hex colours.
 */
export const GET: APIRoute = () => {
  const { primary, accent } = deployment().city.colors;
  return new Response(`:root { --primary: ${primary}; --accent: ${accent}; }\n`, {
    headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300' },
  });
};
