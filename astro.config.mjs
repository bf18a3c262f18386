// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import { ADAPTER_BODY_LIMIT, MAX_UPLOAD_BYTES } from './src/lib/server/http/body.ts';

/**
 * @astrojs/node in standalone mode, with our own server entry (src/server/entry.ts): the same server, started by
 * us so that it holds the http.Server and shuts down gracefully on SIGTERM/SIGINT, however it was started.
 * @param {Parameters<typeof node>[0]} options
 */
function nodeWithGracefulShutdown(options) {
  const integration = node(options);
  const configDone = integration.hooks['astro:config:done'];
  integration.hooks['astro:config:done'] = (params) =>
    configDone?.({
      ...params,
      setAdapter: (adapter) => params.setAdapter({ ...adapter, serverEntrypoint: new URL('./src/server/entry.ts', import.meta.url) }),
    });
  return integration;
}

export default defineConfig({
  output: 'server',
  // KOTA_DIST_DIR lets parallel test runs build into their own folders (see src/cli/build-stamp.ts).
  outDir: process.env.KOTA_DIST_DIR ?? './dist',
  // Every request body is cut off just above the largest upload (src/lib/server/http/body.ts); the middleware
  // judges each body before anything reads it (src/lib/server/http/middleware.ts and action-bodies.ts).
  adapter: nodeWithGracefulShutdown({ mode: 'standalone', bodySizeLimit: ADAPTER_BODY_LIMIT }),
  server: { port: Number(process.env.PORT ?? 4321), host: process.env.HOST ?? '0.0.0.0' },
  // Astro's checkOrigin would refuse CKAN clients' form-encoded POSTs (no Origin header). The same Origin rule, plus
  // Sec-Fetch-Site, is applied by our own middleware (src/lib/server/auth/csrf.ts) to every state-changing request
  // that carries a session cookie, which is what CSRF needs; cookie-less API calls and Bearer tokens are exempt.
  // csp: Astro hashes the scripts and styles it emits into a per-page policy (see src/components/dataset/ChartFigure.astro
  // for the one inline <style> it cannot see); our middleware adds frame-ancestors and friends.
  // actionBodySizeLimit: forms may carry files (images, evidence) up to ACTION_UPLOAD_LIMIT in
  // src/lib/server/http/action-bodies.ts, which keeps every other action body to 1 MB.
  security: { checkOrigin: false, csp: true, actionBodySizeLimit: MAX_UPLOAD_BYTES },
  vite: {
    ssr: {
      // Native addons and Node-only packages must stay external to the SSR bundle.
      external: ['@duckdb/node-api', 'exceljs', 'croner', 'iconv-lite', 'pg', 'sharp'],
    },
  },
});
