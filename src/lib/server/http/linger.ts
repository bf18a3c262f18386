import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * What happens to a request body nobody read once its answer is sent (a refusal: 411, 413, an SQL body too large to
 * hold a query). Node closes such a connection (`Connection: close`) and destroys the socket as soon as the answer is
 * written; a client still sending then gets EPIPE or ECONNRESET and can lose the answer it had not read yet (seen in
 * the tests, on a loaded machine). Keeping the connection alive instead would make Node drain the whole body:
 * hundreds of megabytes read for nothing, under attack. So, like a web server's lingering close: send the answer and
 * the end of our side, stop reading (TCP flow control holds the sender at no cost to us), give the client `lingerMs`
 * to read the answer, then close.
 *
 * Node closes only when the answer says `Connection: close`: a client that asks to keep the connection (every
 * browser, any attacker) otherwise gets `keep-alive` and Node reads and throws away the whole unread body, however
 * long it is and however slowly it comes (seen: a refused 500 MB upload drained at the sender's pace, the socket
 * held all along). So an answer written before its request's body has fully arrived says `Connection: close`.
 */
export const LINGER_MS = 2000;

export function lingerOnUnreadBodies(server: Server, lingerMs = LINGER_MS): void {
  server.on('request', (request, response) => {
    // Most requests carry no body: nothing can be left unread, so they skip the wrappers below.
    if (!request.headers['content-length'] && !request.headers['transfer-encoding']) return;
    const writeHead = response.writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse;
    response.writeHead = function closeIfUnread(this: ServerResponse, ...args: unknown[]) {
      if (!request.complete && !this.headersSent) this.setHeader('Connection', 'close');
      return writeHead.apply(this, args);
    } as typeof response.writeHead;
    // 'prefinish' comes before Node's own 'finish' handler, which closes the socket with destroySoon().
    response.once('prefinish', () => {
      if (request.complete) return;
      const socket: Socket = request.socket;
      socket.destroySoon = function lingeringClose(this: Socket) {
        this.end();
        this.pause();
        const timer = setTimeout(() => this.destroy(), lingerMs);
        timer.unref();
        this.once('close', () => clearTimeout(timer));
      };
    });
  });
}
