import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  adminQuery,
  type EventStream,
  openEventStream,
  type Service,
  type StreamBlock,
  startService,
  withDatabase,
} from '../bench/lib.ts';
import { POSTGRES_URL } from './helpers.ts';
import { Relay } from './relay.ts';

/**
 * Live updates across instances: two service processes on one PostgreSQL database, as behind a load balancer. A
 * change made through one reaches a stream held by the other, by the database's LISTEN/NOTIFY; and when the
 * listening connection is lost (terminated by PostgreSQL, or the network to it gone), the instance connects again
 * and delivers what was announced meanwhile, from the events table. The second instance reaches PostgreSQL
 * through a relay this test can close.
 */
const name = `doable_live_${randomBytes(4).toString('hex')}`;
const url = withDatabase(POSTGRES_URL, name);
let relay: Relay;
let first: Service;
let second: Service;
let token: string;
let stream: EventStream;

describe.skipIf(!inject('postgresAvailable'))('live updates across two instances', () => {
  beforeAll(async () => {
    await adminQuery(POSTGRES_URL, `create database ${name}`);
    relay = new Relay(url);
    await relay.open();
    const env = {
      NODE_ENV: undefined,
      REDIS_URL: undefined,
      JWT_SECRET: randomBytes(32).toString('hex'),
      KNOWLEDGE_SEED_DOCS: 'false',
    };
    first = await startService({ ...env, DATABASE_URL: url });
    second = await startService({ ...env, DATABASE_URL: relay.url(url) });
    const response = await fetch(`${first.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `live-${randomBytes(4).toString('hex')}@example.com`,
        password: 'two instances live',
      }),
    });
    expect(response.status).toBe(201);
    token = ((await response.json()) as { access_token: string }).access_token;
    stream = await openEventStream(`${second.url}/api/me/events`, { authorization: `Bearer ${token}` });
    expect(stream.status).toBe(200);
    await stream.next((block) => block.id !== undefined && block.event === '');
  }, 180_000);

  afterAll(async () => {
    stream?.close();
    await Promise.all([first?.stop(), second?.stop()]);
    await relay?.close();
    await adminQuery(POSTGRES_URL, `drop database if exists ${name} with (force)`);
  });

  async function addTask(title: string): Promise<number> {
    const response = await fetch(`${first.url}/api/me/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ title }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: number }).id;
  }
  const created = (taskId: number) => (block: StreamBlock) =>
    block.event === 'task.created' && JSON.parse(block.data).task_id === taskId;

  async function listeners(): Promise<number> {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      const { rows } = await client.query(
        `select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = 'doable-listen'`,
        [name],
      );
      return rows[0].n;
    } finally {
      await client.end();
    }
  }

  it('delivers a change made through one instance to a stream held by the other', async () => {
    expect(await listeners()).toBe(2);
    const started = performance.now();
    const id = await addTask('Made on the first instance');
    await stream.next(created(id), 5_000);
    console.log(
      `a change on one instance reached a stream on the other in ${Math.round(performance.now() - started)} ms`,
    );
  });

  it('listens again after PostgreSQL terminates the listening connections, and misses nothing', async () => {
    await adminQuery(
      POSTGRES_URL,
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and application_name = 'doable-listen'`,
    );
    // Right away, while the instances are still without their listening connections.
    const id = await addTask('Made while nobody listened');
    await stream.next(created(id), 10_000);
    for (let tries = 0; tries < 100 && (await listeners()) < 2; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await listeners()).toBe(2);
    const after = await addTask('Made once listening again');
    await stream.next(created(after), 5_000);
  });

  it('catches up, from the events table, on what was announced while it could not reach PostgreSQL', async () => {
    await relay.close();
    // The second instance hears nothing now; its stream stays open. The change commits on the first.
    const id = await addTask('Made while the second instance was cut off');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stream.events().some(created(id))).toBe(false);
    await relay.open();
    await stream.next(created(id), 15_000);
    const live = await addTask('Made after the network came back');
    await stream.next(created(live), 5_000);
    // Each event once, in the order they were made.
    const ids = stream.events().map((block) => Number(block.id));
    expect(new Set(ids).size).toBe(ids.length);
  }, 30_000);
});
