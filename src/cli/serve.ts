import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchServer } from './server-process.ts';
import { env } from '../lib/server/config/env.ts';

/**
 * `npm run serve`: start the built server with HOST (default 0.0.0.0), PORT (default 4321) and DATA_DIR
 * from the environment, wait until it answers, and pass Ctrl-C / SIGTERM on to it.
 */
export async function serve(root: string): Promise<void> {
  const { HOST: host, PORT: port } = env();
  const server = await launchServer({ root, host, port, env: process.env, stdio: 'inherit' });
  if (server.health.status === 200) {
    console.log(`[serve] ready: ${server.url}/ (health: ${server.health.body})`);
  } else {
    console.error(`[serve] the server is up but /api/v1/health answered ${server.health.status}: ${server.health.body.slice(0, 500)}`);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void server.stop());
  }
  server.child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await serve(process.cwd());
}
