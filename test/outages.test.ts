import { randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminQuery, withDatabase } from '../bench/lib.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { connectRedis } from '../src/http/rate-limit.ts';
import {
  createTestApp,
  expectProblem,
  POSTGRES_URL,
  REDIS_URL,
  registerUser,
  type TestApp,
  type TestUser,
} from './helpers.ts';
import { Relay } from './relay.ts';

/** The longest a request may take while a dependency is away: the database timeouts (3 s, 4 s) and some slack. */
const BOUND_MS = 5_000;

type Request = InjectOptions & { method: string; url: string };

/** A signed-up user with one task, written before any outage. */
interface Client {
  user: TestUser;
  taskId: number;
}

async function signUpWithTask(t: TestApp): Promise<Client> {
  const user = await registerUser(t.app);
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/me/tasks',
    headers: user.headers,
    payload: { title: 'Written before the outage' },
  });
  return { user, taskId: created.json<{ id: number }>().id };
}

/** One of each kind of request the service serves: reads, writes, sign-in, the assistant and the docs. */
function requests({ user, taskId }: Client): Request[] {
  const json = { ...user.headers, 'content-type': 'application/json' };
  return [
    { method: 'GET', url: '/api/me/tasks', headers: user.headers },
    { method: 'GET', url: `/api/me/tasks/${taskId}`, headers: user.headers },
    { method: 'POST', url: '/api/me/tasks', headers: json, payload: { title: 'Written during an outage' } },
    { method: 'PATCH', url: `/api/me/tasks/${taskId}`, headers: json, payload: { priority: 'high' } },
    { method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: user.password } },
    { method: 'POST', url: '/api/me/chat', headers: json, payload: { message: 'what is due today?' } },
    { method: 'POST', url: '/api/knowledge/ask', payload: { query: 'how do I add a task?' } },
  ];
}

/** A request and how long it took; one that hangs fails the test with its name rather than timing it out. */
async function timed(t: TestApp, request: Request) {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${request.method} ${request.url} did not answer in ${2 * BOUND_MS} ms`)),
      2 * BOUND_MS,
    );
  });
  try {
    const response = await Promise.race([t.app.inject(request), hung]);
    return { request, response, ms: performance.now() - start };
  } finally {
    clearTimeout(timer);
  }
}

/** Every kind of request, three of each at once, as clients keep coming during an outage. */
async function burst(t: TestApp, client: Client) {
  const all = [...requests(client), ...requests(client), ...requests(client)];
  return Promise.all(all.map((request) => timed(t, request)));
}

describe.skipIf(!inject('postgresAvailable'))('PostgreSQL going away and coming back', () => {
  const name = `doable_outage_${randomBytes(4).toString('hex')}`;
  const relay = new Relay(POSTGRES_URL);
  let database: Database;
  let t: TestApp;
  let client: Client;

  beforeAll(async () => {
    await adminQuery(POSTGRES_URL, `create database ${name}`);
    await relay.open();
    database = await openDatabase({ url: relay.url(withDatabase(POSTGRES_URL, name)), poolSize: 4 });
    await database.migrate();
    t = await createTestApp({ database });
    client = await signUpWithTask(t);
  });
  afterAll(async () => {
    await t?.close();
    await database?.close();
    await relay.close();
    await adminQuery(POSTGRES_URL, `drop database if exists ${name} with (force)`);
  });

  const expectUnavailable = (answers: Awaited<ReturnType<typeof burst>>) => {
    for (const { request, response, ms } of answers) {
      const what = `${request.method} ${request.url} took ${Math.round(ms)} ms`;
      expect(ms, what).toBeLessThan(BOUND_MS);
      expectProblem(response, 503, 'service.unavailable');
      expect(Number(response.headers['retry-after']), what).toBeGreaterThan(0);
    }
  };

  /** The same app, never restarted, serves again: every kind of request succeeds, and earlier writes are there. */
  const expectRecovered = async () => {
    await expect
      .poll(async () => (await timed(t, requests(client)[0] as Request)).response.statusCode, {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(200);
    for (const request of requests(client)) {
      const { response } = await timed(t, request);
      expect(response.statusCode, `${request.method} ${request.url}: ${response.body}`).toBeLessThan(300);
    }
    const task = await t.app.inject({
      method: 'GET',
      url: `/api/me/tasks/${client.taskId}`,
      headers: client.user.headers,
    });
    expect(task.json()).toMatchObject({ title: 'Written before the outage' });
  };

  it('answers 503 problems at once while PostgreSQL is stopped, and serves again once it is back', async () => {
    await relay.close();
    expectUnavailable(await burst(t, client));
    // Nothing was queued up behind the outage: a second round is answered the same way.
    expectUnavailable(await burst(t, client));

    await relay.open();
    await expectRecovered();
  });

  it('answers 503 problems within the timeouts while PostgreSQL accepts connections but never answers', async () => {
    await relay.stall();
    expectUnavailable(await burst(t, client));
    expectUnavailable(await burst(t, client));

    await relay.resume();
    await expectRecovered();
  });
});

describe.skipIf(!inject('redisAvailable'))('Redis going away and coming back', () => {
  const relay = new Relay(REDIS_URL);
  let redis: Redis;
  let t: TestApp;
  let client: Client;

  beforeAll(async () => {
    await relay.open();
    redis = await connectRedis(relay.url(REDIS_URL));
    t = await createTestApp({
      redis,
      env: {
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_REQUESTS_PER_MINUTE: '100000',
        AUTH_RATE_LIMIT_PER_MINUTE: '1000',
        LOGIN_FAILURES_PER_MINUTE: '2',
        CHAT_RATE_LIMIT_PER_MINUTE: '1000',
        ASK_RATE_LIMIT_PER_MINUTE: '1000',
      },
    });
    client = await signUpWithTask(t);
  });
  afterAll(async () => {
    await t?.close();
    redis?.disconnect();
    await relay.close();
  });

  /** Each request succeeds, every one of them a rate-limited route, answered within the bound. */
  const expectServed = (answers: Awaited<ReturnType<typeof burst>>) => {
    for (const { request, response, ms } of answers) {
      const what = `${request.method} ${request.url} took ${Math.round(ms)} ms: ${response.body}`;
      expect(response.statusCode, what).toBeLessThan(300);
      expect(ms, what).toBeLessThan(BOUND_MS);
    }
  };

  it('serves every request while Redis is stopped or silent, and counts again once it is back', async () => {
    expectServed(await burst(t, client));

    // Silent from a working connection first: a stall after a cut would only meet a connection not yet ready.
    await relay.stall();
    expectServed(await burst(t, client));
    await relay.resume();
    await expect.poll(() => redis.status, { timeout: 10_000 }).toBe('ready');

    await relay.close();
    expectServed(await burst(t, client));
    await relay.open();
    await expect.poll(() => redis.status, { timeout: 10_000 }).toBe('ready');
    expectServed(await burst(t, client));
    // Failed sign-ins are counted in Redis again: past LOGIN_FAILURES_PER_MINUTE (2) the next one is refused.
    const address = `10.1.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: address,
        payload: { email: client.user.email, password: 'not the password' },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([401, 401, 429]);
  });
});
