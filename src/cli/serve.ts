import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchServer, type ServerHandle } from './server-process.ts';
import { env } from '../lib/server/config/env.ts';

/**
 * `npm run serve`: start the built server with HOST (default 0.0.0.0), PORT (default 4321) and DATA_DIR
 * from the environment, wait until it answers, and pass Ctrl-C / SIGTERM on to it; exits with the server's code
 * (0 after a graceful shutdown). package.json runs this with `exec` so that npm's forwarded signal reaches it
 * (without it, sh dies and leaves this process running).
 */
export async function serve(root: string): Promise<void> {
  const { HOST: host, PORT: port, KOTA_SHUTDOWN_GRACE_MS: graceMs } = env();
  // Listening from the start: a signal that arrives while the server is still starting must not kill this
  // launcher and leave the server running on its own. The server shuts down gracefully on its own signal; it gets
  // its drain time plus its own safety margin before this process would kill it.
  let server: ServerHandle | undefined;
  let stopRequested = false;
  const stop = () => {
    stopRequested = true;
    void server?.stop(graceMs + 15_000);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server = await launchServer({ root, host, port, env: process.env, stdio: 'inherit' });
  server.child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  if (stopRequested) return void server.stop(graceMs + 15_000);
  if (server.health.status === 200) {
    console.log(`[serve] ready: ${server.url}/ (health: ${server.health.body})`);
  } else {
    console.error(`[serve] the server is up but /api/v1/health answered ${server.health.status}: ${server.health.body.slice(0, 500)}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await serve(process.cwd());
}
