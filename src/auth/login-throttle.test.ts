import { createHmac, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createTestApp,
  REDIS_URL,
  registerUser,
  TEST_SECRET,
  type TestApp,
  type TestUser,
} from '../../test/helpers.ts';

// Each case gets addresses of its own, so that counts left by an earlier case (or an earlier run, in Redis)
// never interfere.
const newAddress = () => `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

// The Redis case is skipped, saying why, on a machine without Redis (see test/services.ts).
const stores = [
  ['in memory', false] as const,
  ...(inject('redisAvailable') ? [['in Redis', true] as const] : []),
];

describe.each(stores)('sign-in throttling %s', (_name, useRedis) => {
  let redis: Redis | undefined;
  let t: TestApp;
  let owner: TestUser;
  beforeAll(async () => {
    redis = useRedis ? new Redis(REDIS_URL) : undefined;
    t = await createTestApp({
      env: {
        RATE_LIMIT_ENABLED: 'true',
        LOGIN_FAILURES_PER_MINUTE: '3',
        LOGIN_FAILURES_PER_ACCOUNT_PER_HOUR: '6',
        AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      },
      ...(redis ? { redis } : {}),
    });
    owner = await registerUser(t.app);
  });
  afterAll(async () => {
    await t.close();
    redis?.disconnect();
  });

  const login = (email: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { email, password } });

  it('never counts a correct password: the owner signs in as often as they like', async () => {
    const address = newAddress();
    for (let i = 0; i < 8; i++) {
      expect((await login(owner.email, owner.password, address)).statusCode).toBe(200);
    }
  });

  it('makes one address wait after its failures, and says how long with the headers of that limit', async () => {
    const user = await registerUser(t.app);
    const address = newAddress();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(user.email, 'wrong guess', address)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const refused = await login(user.email, user.password, address);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'request.rate_limited' });
    expect(refused.json().detail).toMatch(/failed sign-ins/);
    expect(refused.headers['ratelimit-limit']).toBe('3');
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['retry-after']).toBe(refused.headers['ratelimit-reset']);
  });

  it("does not let a guesser's failures lock the owner out from the owner's own address", async () => {
    const user = await registerUser(t.app);
    const attacker = newAddress();
    for (let i = 0; i < 5; i++) await login(user.email, 'wrong guess', attacker);
    expect((await login(user.email, user.password, attacker)).statusCode).toBe(429);
    expect((await login(user.email, user.password, newAddress())).statusCode).toBe(200);
  });

  it('clears an address after a correct password, so a typo or two never adds up', async () => {
    const user = await registerUser(t.app);
    const address = newAddress();
    // Two rounds of two typos: more than the address may fail in a row, fewer than the account's ceiling.
    for (let round = 0; round < 2; round++) {
      expect((await login(user.email, 'typo', address)).statusCode).toBe(401);
      expect((await login(user.email, 'typo again', address)).statusCode).toBe(401);
      expect((await login(user.email, user.password, address)).statusCode).toBe(200);
    }
  });

  it('slows a guesser spread over many addresses to one failure per address, and still lets the owner in', async () => {
    const user = await registerUser(t.app);
    // Six failures from six addresses reach the account's ceiling.
    for (let i = 0; i < 6; i++)
      expect((await login(user.email, 'spread guess', newAddress())).statusCode).toBe(401);
    const next = newAddress();
    expect((await login(user.email, 'guess', next)).statusCode).toBe(401);
    const slowed = await login(user.email, 'guess', next);
    expect(slowed.statusCode).toBe(429);
    expect(slowed.headers['ratelimit-limit']).toBe('1');
    expect((await login(user.email, user.password, newAddress())).statusCode).toBe(200);
  });

  it.runIf(useRedis)('keeps no e-mail address in Redis, under keys that are built right', async () => {
    const user = await registerUser(t.app);
    const address = newAddress();
    await login(user.email, 'wrong guess', address);
    // Every key in Redis, whoever wrote it: none may carry this user's address.
    const everything = (await redis?.keys('*'))?.join('\n') ?? '';
    expect(everything).not.toContain(user.email);
    // The two counts this failure moved are where they belong, under an HMAC of the account (and address). Other
    // suites share this Redis and keep counts of their own (chat, ask), so only this throttle's keys are checked:
    // whoever wrote them, every one has that shape.
    const hashed = (name: string, key: string) =>
      `doable:count:${name}:${createHmac('sha256', TEST_SECRET).update(`${name}\n${key}`).digest('base64url').slice(0, 22)}`;
    const ours = [
      hashed('login-failures', `${user.email}\n${address}`),
      hashed('login-failures-account', user.email),
    ];
    expect(await redis?.exists(...ours)).toBe(2);
    const counters = (await redis?.keys('doable:count:login-failures*')) ?? [];
    expect(counters).toEqual(expect.arrayContaining(ours));
    for (const key of counters) expect(key).toMatch(/^doable:count:login-failures(-account)?:[\w-]{22}$/);
  });
});
