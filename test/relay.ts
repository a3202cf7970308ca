import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between the service and a real server (PostgreSQL, Redis): `close()` is the server going away
 * (connections dropped, new ones refused, as when it is stopped), `stall()` is the network going silent
 * (connections accepted, nothing answered, as when a host or link dies), `open()` brings it back on the same port.
 * The service is never restarted in between, and the shared server itself is never touched.
 */
export class Relay {
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  #stalled = false;
  readonly #target: { host: string; port: number };
  port = 0;

  constructor(target: string | URL) {
    const url = new URL(target);
    this.#target = { host: url.hostname, port: Number(url.port || defaultPort(url.protocol)) };
  }

  /** The URL with the relay in place of the server's host and port. */
  url(target: string | URL): string {
    const url = new URL(target);
    url.host = `127.0.0.1:${this.port}`;
    return url.toString();
  }

  async open() {
    this.#stalled = false;
    if (this.#server?.listening) return;
    this.#server = createServer((client) => this.#accept(client));
    await new Promise<void>((resolve) => this.#server?.listen(this.port, '127.0.0.1', resolve));
    const address = this.#server.address();
    if (address && typeof address === 'object') this.port = address.port;
  }

  async close() {
    this.#stalled = false;
    this.#dropAll();
    const server = this.#server;
    this.#server = undefined;
    if (server?.listening) await new Promise((resolve) => server.close(resolve));
  }

  /** Connections stay open and new ones are accepted, but no byte goes through in either direction. */
  async stall() {
    await this.open();
    this.#stalled = true;
    for (const socket of this.#sockets) {
      socket.unpipe();
      socket.pause();
    }
  }

  /** Ends a stall: the connections it held are dropped (their peers see them close) and new ones go through. */
  async resume() {
    if (this.#stalled) this.#dropAll();
    await this.open();
  }

  #accept(client: Socket) {
    this.#track(client);
    if (this.#stalled) {
      client.pause();
      return;
    }
    const upstream = connect(this.#target.port, this.#target.host);
    this.#track(upstream);
    client.pipe(upstream).pipe(client);
  }

  #track(socket: Socket) {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  #dropAll() {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }
}

function defaultPort(protocol: string): number {
  return protocol.startsWith('redis') ? 6379 : 5432;
}
