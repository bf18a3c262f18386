import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Graceful shutdown of the HTTP server (issue 8, Operations): on SIGTERM or SIGINT it stops accepting connections,
 * lets the requests in flight finish (a download keeps streaming) for up to `graceMs`, cuts whatever is still open
 * after that, then runs `stop` (scheduler, sync loop, SQL workers, engines) and exits 0. A second signal while
 * stopping is ignored: Ctrl-C reaches the server both from the terminal and from `npm start`, which forwards it.
 */
export function installGracefulShutdown(server: Server, options: { graceMs: number; stop: () => Promise<void> }): void {
  trackResponses(server);
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.info(`[server] ${signal}: closing; requests in flight may take up to ${options.graceMs} ms`);
    // Whatever hangs, the process ends: the drain deadline plus time for the engines to close.
    setTimeout(() => {
      console.error('[server] shutdown took too long; exiting anyway');
      process.exit(1);
    }, options.graceMs + 10_000).unref();
    void drain(server, options.graceMs)
      .then(async (cut) => {
        if (cut > 0) console.warn(`[server] ${cut} connection(s) still open after ${options.graceMs} ms were cut`);
        await options.stop();
        console.info('[server] stopped');
        process.exit(0);
      })
      .catch((error: Error) => {
        console.error(`[server] shutdown failed: ${error.message}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * Node counts a connection as idle once its response's end() was called, even while most of that response still
 * waits in the socket's buffer (Astro writes a body without waiting for the client), so its own
 * closeIdleConnections, which server.close() calls, would cut a download mid-way. Here a connection is idle only
 * when no response on it is still being sent ('close' not yet emitted).
 */
function trackResponses(server: Server): void {
  const sockets = new Set<Socket>();
  const sending = new Map<Socket, number>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      sending.delete(socket);
    });
  });
  server.on('request', (_request, response: ServerResponse) => {
    const socket = response.socket;
    if (!socket) return;
    sending.set(socket, (sending.get(socket) ?? 0) + 1);
    response.once('close', () => {
      const left = (sending.get(socket) ?? 1) - 1;
      if (left > 0) sending.set(socket, left);
      else sending.delete(socket);
    });
  });
  server.closeIdleConnections = () => {
    for (const socket of sockets) if (!sending.has(socket)) socket.destroy();
  };
}

/** Stops listening and waits for open connections to end, up to `graceMs`; returns how many had to be cut. */
export async function drain(server: Server, graceMs: number): Promise<number> {
  // A keep-alive client sending another request meanwhile gets its answer and then a closed connection.
  server.on('request', (_request, response) => response.setHeader('connection', 'close'));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A connection whose response just ended stays open for keep-alive: close those as they turn idle.
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), graceMs)));
  const outcome = await Promise.race([closed.then(() => 'closed' as const), deadline]);
  clearTimeout(timer);
  clearInterval(sweep);
  if (outcome === 'closed') return 0;
  const open = await new Promise<number>((resolve) => server.getConnections((_error, count) => resolve(count ?? 0)));
  server.closeAllConnections();
  await closed;
  return open;
}
