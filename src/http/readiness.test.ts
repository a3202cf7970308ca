import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, POSTGRES_URL, type TestApp } from '../../test/helpers.ts';
import { type Database, openDatabase } from '../db/database.ts';

/**
 * A TCP relay between the service and the real PostgreSQL: closing it is the database going away, reopening it
 * on the same port is the database coming back. The service is not restarted in between.
 */
class Relay {
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  port = 0;

  async open() {
    const target = new URL(POSTGRES_URL);
    this.#server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.#server?.listen(this.port, '127.0.0.1', resolve));
    const address = this.#server.address();
    if (address && typeof address === 'object') this.port = address.port;
  }

  async close() {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server?.close(resolve));
  }
}

describe.skipIf(!inject('postgresAvailable'))('readiness follows the database', () => {
  const relay = new Relay();
  let database: Database;
  let t: TestApp;

  beforeAll(async () => {
    await relay.open();
    const url = new URL(POSTGRES_URL);
    url.host = `127.0.0.1:${relay.port}`;
    database = await openDatabase({ url: url.toString(), poolSize: 2 });
    t = await createTestApp({ database });
  });
  afterAll(async () => {
    await t.close();
    await database.close();
    await relay.close();
  });

  const ready = () => t.app.inject({ method: 'GET', url: '/health/ready' });

  it('is 200 while PostgreSQL answers, 503 while it is unreachable, and 200 again once it is back', async () => {
    expect((await ready()).statusCode).toBe(200);

    await relay.close();
    const down = await ready();
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'unhealthy', checks: { database: { status: 'down' } } });
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);

    await relay.open();
    await expect.poll(async () => (await ready()).statusCode, { timeout: 10_000, interval: 200 }).toBe(200);
  });
});
