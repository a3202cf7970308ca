import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * At a shutdown, closes the connections that never carried a request. Node's server.close() closes the idle
 * keep-alive connections, but takes one that was opened and never used for busy and waits for it: browsers and
 * fetch (undici) open such spare connections, and one of them held a stop until its 10 s limit and exit code 1.
 * Connections with a request in flight are left to finish.
 */
export function closeUnusedConnections(app: FastifyInstance) {
  const unused = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  app.server.on('request', (request: { socket: Socket }) => unused.delete(request.socket));
  app.addHook('preClose', async () => {
    for (const socket of unused) socket.destroy();
  });
}
