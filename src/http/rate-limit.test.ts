import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createTestApp,
  createTestDatabase,
  expectProblem,
  REDIS_URL,
  registerUser,
  type TestApp,
  type TestUser,
} from '../../test/helpers.ts';
import type { Database } from '../db/database.ts';
import { flexible } from './rate-limit.ts';

describe.skipIf(!inject('redisAvailable'))('rate limits shared through Redis', () => {
  let redis: Redis;
  let database: Database;
  let first: TestApp;
  let second: TestApp;
  // A client address of its own per run, so counts left in Redis by an earlier run never interfere.
  const client = `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    database = await createTestDatabase();
    const env = { RATE_LIMIT_ENABLED: 'true', AUTH_RATE_LIMIT_PER_MINUTE: '4' };
    // Two instances of the service on one database and one Redis, as behind a load balancer.
    first = await createTestApp({ env, redis, database });
    second = await createTestApp({ env, redis, database });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await database.close();
    redis.disconnect();
  });

  const attempt = (app: TestApp) =>
    app.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: client,
      payload: {
        email: `nobody-${randomBytes(4).toString('hex')}@example.com`,
        password: 'whatever password',
      },
    });

  it('counts requests to either instance against one budget, then answers 429 with Retry-After', async () => {
    const statuses = [];
    for (const app of [first, second, first, second]) statuses.push((await attempt(app)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401]);

    const limited = await attempt(first);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ status: 429, code: 'request.rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['ratelimit-limit']).toBe('4');
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect((await attempt(second)).statusCode).toBe(429);
  });
});

describe('rate limits in memory', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_ENABLED: 'true', AUTH_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => t.close());

  it('sends RateLimit headers on ordinary responses', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api' });
    expect(response.headers['ratelimit-limit']).toBeDefined();
    expect(response.headers['ratelimit-remaining']).toBeDefined();
  });

  it("loads rate-limiter-flexible's own files for its stores, the very classes its index exports", async () => {
    const index = await import('rate-limiter-flexible');
    expect(flexible.memory()).toBe(index.RateLimiterMemory);
    expect(flexible.redis()).toBe(index.RateLimiterRedis);
    expect(flexible.result()).toBe(index.RateLimiterRes);
  });
});

describe('behind a proxy (TRUST_PROXY=1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { RATE_LIMIT_ENABLED: 'true', AUTH_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1' },
    });
  });
  afterAll(() => t.close());

  it('counts the address the proxy saw, whatever a client writes into X-Forwarded-For', async () => {
    // Never .250, the other client's below.
    const client = `203.0.113.${(randomBytes(1)[0] ?? 0) % 200}`;
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        // The proxy (the connection's address) appends the address it saw after whatever the client sent.
        remoteAddress: '10.1.1.1',
        headers: { 'x-forwarded-for': `10.0.0.${i}, ${client}` },
        payload: {
          email: `proxied-${randomBytes(4).toString('hex')}@example.com`,
          password: 'long enough pw',
        },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    // Another client behind the same proxy has a budget of its own.
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      remoteAddress: '10.1.1.1',
      headers: { 'x-forwarded-for': '203.0.113.250' },
      payload: { email: `other-${randomBytes(4).toString('hex')}@example.com`, password: 'long enough pw' },
    });
    expect(other.statusCode).toBe(201);
  });
});

describe('in the Docker image on a host that is not Hugging Face Spaces', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The environment the image sets (ENV lines of the Dockerfile), with no TRUST_PROXY and no SPACE_ID added.
    const dockerfile = await readFile(join(import.meta.dirname, '../../Dockerfile'), 'utf8');
    const imageEnv: Record<string, string> = {};
    for (const [, block = ''] of dockerfile.matchAll(/^ENV\s+((?:.*\\\n)*.*)$/gm)) {
      for (const [, name = '', value = ''] of block.matchAll(/([A-Z_][A-Z0-9_]*)=(\S*)/g))
        imageEnv[name] = value;
    }
    delete imageEnv.NODE_ENV;
    delete imageEnv.DATA_DIR;
    expect(imageEnv.SPACE_ID).toBeUndefined();
    t = await createTestApp({ env: { ...imageEnv, RATE_LIMIT_ENABLED: 'true' } });
  });
  afterAll(() => t.close());

  it('answers 429 to 30 wrong passwords from one connection, whatever X-Forwarded-For it writes', async () => {
    const user = await registerUser(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '203.0.113.7',
        headers: { 'x-forwarded-for': `198.51.100.${i}` },
        payload: { email: user.email, password: `wrong password ${i}` },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(20);
  });
});

describe('per-user and per-client budgets count before the body is read', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        RATE_LIMIT_ENABLED: 'true',
        CHAT_RATE_LIMIT_PER_MINUTE: '1',
        ASK_RATE_LIMIT_PER_MINUTE: '1',
        MCP_RATE_LIMIT_PER_MINUTE: '1',
      },
    });
    user = await registerUser(t.app);
  });
  afterAll(() => t.close());

  const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { 'content-type': 'application/json', ...user.headers, ...headers },
    });
  /** Invalid JSON, and a body over every limit: either would be a 400 or 413 if it were read. */
  const unreadable = ['{"not json', `{"message": "${'x'.repeat(40 * 1024 * 1024)}"}`];

  it('refuses an import over its budget with 429 before parsing or validating the body', async () => {
    for (let i = 0; i < 5; i++)
      expectProblem(await post('/api/me/import', '{"not json'), 400, 'request.malformed_json');
    for (const body of unreadable)
      expectProblem(await post('/api/me/import', body), 429, 'request.rate_limited');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/me/tasks', headers: user.headers })).json().total,
    ).toBe(0);
  });

  it('refuses chat, ask and MCP over their budgets with 429 before parsing the body, doing nothing', async () => {
    const chat = await post('/api/me/chat', JSON.stringify({ message: 'add buy milk' }));
    expect(chat.statusCode).toBe(200);
    const mcp = { accept: 'application/json, text/event-stream' };
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect((await post('/mcp', ping, mcp)).statusCode).toBe(200);
    expect((await post('/api/knowledge/ask', JSON.stringify({ query: 'what is doable' }))).statusCode).toBe(
      200,
    );
    for (const body of unreadable) {
      expectProblem(await post('/api/me/chat', body), 429, 'request.rate_limited');
      expectProblem(await post('/api/knowledge/ask', body), 429, 'request.rate_limited');
      expectProblem(await post('/mcp', body, mcp), 429, 'request.rate_limited');
    }
    expectProblem(
      await post('/api/me/chat', JSON.stringify({ message: 'add buy bread' })),
      429,
      'request.rate_limited',
    );
    const tasks = await t.app.inject({ method: 'GET', url: '/api/me/tasks', headers: user.headers });
    expect(tasks.json().tasks.map((task: { title: string }) => task.title)).toEqual(['buy milk']);
  });
});
