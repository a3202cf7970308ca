import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, POSTGRES_URL, type TestApp } from '../../test/helpers.ts';
import { Relay } from '../../test/relay.ts';
import { type Database, openDatabase } from '../db/database.ts';

describe.skipIf(!inject('postgresAvailable'))('readiness follows the database', () => {
  const relay = new Relay(POSTGRES_URL);
  let database: Database;
  let t: TestApp;

  beforeAll(async () => {
    await relay.open();
    database = await openDatabase({ url: relay.url(POSTGRES_URL), poolSize: 2 });
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
