// The server's entry point (dist/server/entry.mjs), in place of @astrojs/node's own (see astro.config.mjs): the
// same server, started here so that SIGTERM and SIGINT shut it down gracefully however it was started (`npm start`,
// `npm run serve`, or `node dist/server/entry.mjs`). The import order matters: autostart-off must run first.
import { autostart } from './autostart-off.ts';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { handler, options, startServer } from '@astrojs/node/server.js';
import { keptPages } from '../lib/kept-pages.ts';
import { apiFirst } from './api-first.ts';
import { freezeEnv } from '../lib/server/config/env.ts';
import { installGracefulShutdown } from '../lib/server/http/graceful.ts';
import { bindResponses } from '../lib/server/http/file-body.ts';
import { lingerOnUnreadBodies } from '../lib/server/http/linger.ts';
import { stopRuntime } from '../lib/server/runtime.ts';

if (autostart && options.mode === 'standalone') {
  const settings = freezeEnv();
  const { server } = startServer();
  // The adapter's listener (static files, then the app) stays first; API reads skip its static-file check.
  const [standalone] = server.server.listeners('request') as Parameters<typeof apiFirst>[0][];
  server.server.removeListener('request', standalone!);
  server.server.prependListener('request', apiFirst(standalone!, options));
  // Download bodies write themselves to their Node response through reused buffers (http/file-body.ts): wraps the
  // listener above, API reads included.
  bindResponses(server.server);
  serveKeptPagesFirst(server.server);
  lingerOnUnreadBodies(server.server);
  installGracefulShutdown(server.server, { graceMs: settings.KOTA_SHUTDOWN_GRACE_MS, stop: stopRuntime });
}

/**
 * Pages kept for readers without an account (lib/kept-pages.ts) are answered here, before Astro builds a Request
 * and runs the middleware: a Map lookup and one store query instead of a rendering. Anything else, and any doubt,
 * goes on to Astro's own listener.
 */
function serveKeptPagesFirst(server: Server): void {
  const astro = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const pass = () => {
      for (const listener of astro) listener.call(server, request, response);
    };
    let serving: false | Promise<boolean>;
    try {
      serving = keptPages.serve(request, response);
    } catch {
      serving = false;
    }
    if (serving === false) return pass();
    serving.then(
      (served) => served || pass(),
      () => pass(),
    );
  });
}

export { handler, options, startServer };
