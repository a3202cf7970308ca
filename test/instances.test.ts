import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminQuery, type Service, startService, withDatabase } from '../bench/lib.ts';
import { MIGRATIONS_FOLDER } from '../src/db/database.ts';
import { POSTGRES_URL, REDIS_URL } from './helpers.ts';

/**
 * Two service processes on one PostgreSQL database and one Redis, as a deployment with two instances behind a
 * load balancer: whatever one instance did, the other one knows. (In-process instances on one database are tested
 * in src/assistant/assistant.instances.test.ts for what a conversation remembers.)
 */
const name = `doable_instances_${randomBytes(4).toString('hex')}`;
const url = withDatabase(POSTGRES_URL, name);
let first: Service;
let second: Service;

describe.skipIf(!inject('postgresAvailable') || !inject('redisAvailable'))('two instances', () => {
  beforeAll(async () => {
    await adminQuery(POSTGRES_URL, `create database ${name}`);
    const env = {
      NODE_ENV: undefined,
      DATABASE_URL: url,
      REDIS_URL,
      // Rate-limit keys are HMACs under this secret, so this run's counts are apart from any other's in Redis.
      JWT_SECRET: randomBytes(32).toString('hex'),
      RATE_LIMIT_ENABLED: 'true',
      // The client address is what X-Forwarded-For says (one proxy hop), so that each test has addresses of its own.
      TRUST_PROXY: '1',
      AUTH_RATE_LIMIT_PER_MINUTE: '4',
      CHAT_RATE_LIMIT_PER_MINUTE: '3',
      KNOWLEDGE_SEED_DOCS: 'false',
    };
    // The same instant, on an empty database: both migrate.
    [first, second] = await Promise.all([startService(env), startService(env)]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await adminQuery(POSTGRES_URL, `drop database if exists ${name} with (force)`);
  });

  /** A client address of its own (IPv6 documentation range): Redis keeps per-address counts by the plain address. */
  const anAddress = () => `2001:db8:${randomBytes(6).toString('hex').match(/..../g)?.join(':')}::1`;

  async function call(
    service: Service,
    method: string,
    path: string,
    options: { body?: object; token?: string; address?: string } = {},
  ) {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        'x-forwarded-for': options.address ?? anAddress(),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
    // biome-ignore lint/suspicious/noExplicitAny: the answers are checked by the assertions that read them
    return { status: response.status, body: (await response.json()) as any };
  }

  async function signUp(service: Service) {
    const email = `instances-${randomBytes(4).toString('hex')}@example.com`;
    const password = 'two instances, one account';
    const answer = await call(service, 'POST', '/api/auth/register', { body: { email, password } });
    expect(answer.status).toBe(201);
    return { email, password, ...(answer.body as { access_token: string; refresh_token: string }) };
  }

  it('started at the same instant on an empty database, applied each migration once', async () => {
    const journal = JSON.parse(await readFile(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as {
      entries: unknown[];
    };
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        'select count(*)::int as applied, count(distinct hash)::int as distinct from drizzle.__drizzle_migrations',
      );
      expect(rows).toEqual([{ applied: journal.entries.length, distinct: journal.entries.length }]);
    } finally {
      await client.end();
    }
  });

  it('share a rate limit: the budget spent on one is refused on the other', async () => {
    const address = anAddress();
    for (let attempt = 0; attempt < 4; attempt++) {
      const answer = await call(first, 'POST', '/api/auth/refresh', {
        body: { refresh_token: 'x' },
        address,
      });
      expect(answer.status).toBe(401);
    }
    const refused = await call(second, 'POST', '/api/auth/refresh', {
      body: { refresh_token: 'x' },
      address,
    });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('request.rate_limited');
    // Per user too: messages to the assistant.
    const user = await signUp(first);
    for (const message of ['add water the plants', 'list my tasks', 'add call mum']) {
      expect(
        (await call(second, 'POST', '/api/me/chat', { body: { message }, token: user.access_token })).status,
      ).toBe(200);
    }
    const overBudget = await call(first, 'POST', '/api/me/chat', {
      body: { message: 'add one more' },
      token: user.access_token,
    });
    expect(overBudget.status).toBe(429);
  });

  it('refresh a sign-in made on the other, and catch a refresh token replayed on the other', async () => {
    const user = await signUp(first);
    const signedIn = await call(first, 'POST', '/api/auth/login', {
      body: { email: user.email, password: user.password },
    });
    expect(signedIn.status).toBe(200);
    const refreshed = await call(second, 'POST', '/api/auth/refresh', {
      body: { refresh_token: signedIn.body.refresh_token },
    });
    expect(refreshed.status).toBe(200);
    expect(
      (await call(first, 'GET', '/api/auth/me', { token: refreshed.body.access_token })).body.email,
    ).toBe(user.email);
    const again = await call(second, 'POST', '/api/auth/refresh', {
      body: { refresh_token: refreshed.body.refresh_token },
    });
    expect(again.status).toBe(200);
    // The sign-in's token, two rotations old, comes back on the first instance: the family ends everywhere.
    const replay = await call(first, 'POST', '/api/auth/refresh', {
      body: { refresh_token: signedIn.body.refresh_token },
    });
    expect(replay.body.code).toBe('auth.refresh_token_reused');
    const afterReplay = await call(second, 'POST', '/api/auth/refresh', {
      body: { refresh_token: again.body.refresh_token },
    });
    expect(afterReplay.status).toBe(401);
  });

  it('continue on one a conversation started on the other', async () => {
    const user = await signUp(second);
    const started = await call(first, 'POST', '/api/me/chat', {
      body: { message: 'add buy milk #shop' },
      token: user.access_token,
    });
    expect(started.status).toBe(200);
    const continued = await call(second, 'POST', '/api/me/chat', {
      body: { message: 'complete it', conversation_id: started.body.conversation_id },
      token: user.access_token,
    });
    expect(continued.body.tool_calls).toMatchObject([
      { tool_name: 'complete_task', result: { success: true } },
    ]);
    const messages = await call(
      first,
      'GET',
      `/api/me/conversations/${started.body.conversation_id}/messages`,
      {
        token: user.access_token,
      },
    );
    expect(messages.body.map((message: { content: string }) => message.content)).toEqual(
      expect.arrayContaining(['add buy milk #shop', 'complete it']),
    );
  });
});
