import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { expect, inject } from 'vitest';
import { adminQuery, withDatabase } from '../bench/lib.ts';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { type Database, openDatabase, PGLITE_EXTENSIONS } from '../src/db/database.ts';
import type { Problem } from '../src/http/problem.ts';

/**
 * The tools the app serves at /mcp, for the tests of other features (auth's sign-in of MCP clients) that count them
 * through the whole app: they reach the assistant through this harness, as the app does, not by importing it.
 */
export { TOOLS } from '../src/assistant/index.ts';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
export { POSTGRES_URL, REDIS_URL } from './services.ts';

/** A fresh, migrated database of its own: a copy of the run's template (see global-setup.ts). */
export async function createTestDatabase(): Promise<Database> {
  const postgresTemplate = inject('postgresTemplate');
  const url = process.env.DATABASE_URL;
  if (postgresTemplate && url) {
    const name = `doable_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(url, `create database ${name} template ${postgresTemplate}`);
    const database = await openDatabase({ url: withDatabase(url, name), poolSize: 5 });
    return {
      ...database,
      close: async () => {
        await database.close();
        await adminQuery(url, `drop database if exists ${name} with (force)`);
      },
    };
  }
  return openDatabase({ pglite: await pgliteTestCopy() });
}

/** PGlite runs: a fresh copy of the run's migrated template, as an open client (see global-setup.ts). */
export async function pgliteTestCopy(): Promise<PGlite> {
  const template = inject('pgliteTemplate');
  if (!template) throw new Error('global-setup did not prepare a template database');
  return PGlite.create({ loadDataDir: new Blob([await readFile(template)]), extensions: PGLITE_EXTENSIONS });
}

/** The configuration tests start from: quiet, no rate limits unless a test turns them on. */
export function testConfig(env: Record<string, string> = {}): Config & { jwtSecret: string } {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_ENABLED: 'false',
    DATA_DIR: '/nonexistent',
    // The user guide is ingested at start only where a test asks for it: most tests want an empty knowledge base.
    KNOWLEDGE_SEED_DOCS: 'false',
    ...env,
  });
  return { ...config, jwtSecret: config.jwtSecret ?? TEST_SECRET };
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

export async function createTestApp(
  options: {
    env?: Record<string, string>;
    clock?: () => Date;
    redis?: Redis;
    database?: Database;
    logStream?: NodeJS.WritableStream;
    /** How the OAuth server fetches client metadata documents (see buildApp's oauthFetch). */
    oauthFetch?: typeof fetch;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const app = await buildApp({
    config: testConfig(options.env),
    database,
    redis: options.redis,
    clock: options.clock,
    logStream: options.logStream,
    oauthFetch: options.oauthFetch,
  });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      if (!options.database) await database.close();
    },
  };
}

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomBytes(5).toString('hex')}@example.com`;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  headers: { authorization: string };
}

/** Signs a new user up through the real route, as a client would. */
export async function registerUser(
  app: FastifyInstance,
  overrides: { email?: string; name?: string } = {},
): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = 'correct horse battery staple';
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email, password, name: overrides.name ?? 'Test User' },
  });
  if (response.statusCode !== 201)
    throw new Error(`register failed: ${response.statusCode} ${response.body}`);
  const body = response.json();
  return {
    id: body.user.id,
    email,
    password,
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    headers: { authorization: `Bearer ${body.access_token}` },
  };
}

export interface InjectedResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  json: () => unknown;
}

/** Asserts an RFC 9457 problem answer with this status and code, carrying the request's id. */
export function expectProblem(response: InjectedResponse, status: number, code: string): Problem {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json() as Problem;
  expect(body).toMatchObject({ status, code, type: 'about:blank' });
  expect(body.request_id).toBe(response.headers['x-request-id']);
  expect(body.detail).toEqual(expect.any(String));
  expectPlainWords(body);
  return body;
}

/** The validation library's own wording, which no answer passes on: what it says is made into plain words. */
const LIBRARY_WORDS =
  /Invalid (input|option|string|email|UUID|URL|number|key|element|arguments for tool)|Too (small|big)|expected [\w"|]+( to have|, received)|Unrecognized key|[<>]=\d|MCP error/;
/** An internal path (`tags.0`, `priority.1`) where the client's own name (`tags[0]`, `priority`) belongs. */
const DOTTED_INDEX = /[\w\]]\.\d+\b/;

/**
 * A refusal speaks of fields as the client names them, in words a person reads. Fields that echo what the client
 * sent (an unknown field is named as it came) are left out of the path check, since any name may be sent.
 */
export function expectPlainWords(problem: { detail?: string; errors?: Problem['errors'] } | string) {
  const { detail = '', errors = [] } = typeof problem === 'string' ? { detail: problem } : problem;
  const context = JSON.stringify(problem);
  for (const text of [detail, ...errors.map((error) => error.message)])
    expect(text, context).not.toMatch(LIBRARY_WORDS);
  for (const { field, message } of errors) {
    if (!/^is not (a field of this request|known here)/.test(message))
      expect(field, context).not.toMatch(DOTTED_INDEX);
  }
}

/** A log stream for createTestApp that keeps each JSON line the service writes, parsed, in `lines`. */
export function captureLogs<Line = Record<string, unknown>>(): { lines: Line[]; stream: Writable } {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

/**
 * Counts the turns of the event loop until `stop()`, which answers the count: on the embedded database a request
 * made of many statements gives no turn unless it yields on purpose, so the count tells whether it does.
 */
export function countEventLoopTurns(): { stop: () => number } {
  let turns = 0;
  let running = true;
  const count = () => {
    turns++;
    if (running) setImmediate(count);
  };
  setImmediate(count);
  return {
    stop: () => {
      running = false;
      return turns;
    },
  };
}
