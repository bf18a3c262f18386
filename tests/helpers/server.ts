import { connect, createServer } from 'node:net';
import path from 'node:path';
import { launchServer, type ServerHandle } from '../../src/cli/server-process.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** A TCP port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface TestServer extends ServerHandle {
  /** Everything the server printed, for failure messages. */
  output(): string;
  get(pathname: string, init?: RequestInit): Promise<{ status: number; text: string; headers: Headers }>;
}

/**
 * Starts the built server (dist/, built by tests/integration/global-setup.ts) on a free port with its
 * own DATA_DIR and the scheduler off. `env` adds or overrides variables (e.g. PIPELINES_DIR).
 */
export async function startTestServer(options: { dataDir: string; env?: Record<string, string> }): Promise<TestServer> {
  const port = await freePort();
  const { VITEST: _v, VITEST_POOL_ID: _p, VITEST_WORKER_ID: _w, ...inherited } = process.env;
  const env = { ...inherited, NODE_ENV: 'production', DATA_DIR: options.dataDir, KOTA_SCHEDULER: 'off', ...options.env };
  let output = '';
  const handle = await launchServer({
    root: REPO_ROOT,
    host: '127.0.0.1',
    port,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    onOutput: (chunk) => (output += chunk),
  }).catch((error: Error) => {
    throw new Error(`${error.message}\n--- server output ---\n${output}`);
  });
  return {
    ...handle,
    output: () => output,
    async get(pathname, init) {
      const response = await fetch(`${handle.url}${pathname}`, { redirect: 'manual', ...init });
      return { status: response.status, text: await response.text(), headers: response.headers };
    },
  };
}

/** Sends `request` (request line and headers, as written) to `base` on its own socket; resolves with all it answered. */
export function sendRaw(base: string, request: string, encoding: BufferEncoding = 'utf8'): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(request, encoding));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}
