// The server's entry point (dist/server/entry.mjs), in place of @astrojs/node's own (see astro.config.mjs): the
// same server, started here so that SIGTERM and SIGINT shut it down gracefully however it was started (`npm start`,
// `npm run serve`, or `node dist/server/entry.mjs`). The import order matters: autostart-off must run first.
import { autostart } from './autostart-off.ts';
import { handler, options, startServer } from '@astrojs/node/server.js';
import { apiFirst } from './api-first.ts';
import { freezeEnv } from '../lib/server/config/env.ts';
import { installGracefulShutdown } from '../lib/server/http/graceful.ts';
import { lingerOnUnreadBodies } from '../lib/server/http/linger.ts';
import { stopRuntime } from '../lib/server/runtime.ts';

if (autostart && options.mode === 'standalone') {
  const settings = freezeEnv();
  const { server } = startServer();
  // The adapter's listener (static files, then the app) stays first; API reads skip its static-file check.
  const [standalone] = server.server.listeners('request') as Parameters<typeof apiFirst>[0][];
  server.server.removeListener('request', standalone!);
  server.server.prependListener('request', apiFirst(standalone!, options));
  lingerOnUnreadBodies(server.server);
  installGracefulShutdown(server.server, { graceMs: settings.KOTA_SHUTDOWN_GRACE_MS, stop: stopRuntime });
}

export { handler, options, startServer };
