import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { jwtVerify } from 'jose';
import pg from 'pg';
import { ISSUER } from '../src/auth/index.ts';
import { acquireDirectoryLock } from '../src/db/directory-lock.ts';
import type { BaselineStatements, Statement } from './lib.ts';

/**
 * The raw baseline of bench/tasks.ts: what GET and POST /api/me/tasks cost with no framework. node:http, the
 * JWT check of TokenVerifier.verifyAccessToken (jwtVerify, same key, same options, same typ check), the very
 * SQL text and parameters the tasks repository sends (captured from it by bench/tasks.ts and handed over in
 * BASELINE_STATEMENTS), and JSON.stringify of the rows. No validation, no logging, no response schema.
 *
 * On PostgreSQL it uses a pg Pool as large as the service's; on the embedded database it opens the service's
 * PGlite directory itself (PGlite is single-process, so only once the service has stopped, under its lock).
 */
const env = process.env;
const statements = JSON.parse(env.BASELINE_STATEMENTS ?? 'null') as BaselineStatements | null;
if (!statements || !env.JWT_SECRET) throw new Error('BASELINE_STATEMENTS and JWT_SECRET are required');
// Imported once, as TokenVerifier does.
const key = await crypto.subtle.importKey(
  'raw',
  new TextEncoder().encode(env.JWT_SECRET),
  { name: 'HMAC', hash: 'SHA-256' },
  false,
  ['verify'],
);

type Run = (statement: Statement, params: unknown[]) => Promise<Array<Record<string, unknown>>>;
const { run, close } = env.DATABASE_URL
  ? openPostgres(env.DATABASE_URL, Number(env.DATABASE_POOL_SIZE ?? 10))
  : await openPglite(join(env.DATA_DIR ?? './data', 'pglite'));

function openPostgres(url: string, max: number): { run: Run; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max });
  return {
    run: async ({ name, text }, params) => (await pool.query({ name, text, values: params })).rows,
    close: () => pool.end(),
  };
}

async function openPglite(dir: string): Promise<{ run: Run; close: () => Promise<void> }> {
  const lock = await acquireDirectoryLock(dir);
  const client = await PGlite.create(dir);
  return {
    // PGlite has no named statements; Drizzle's PGlite driver ignores the name as well.
    run: async ({ text }, params) => (await client.query<Record<string, unknown>>(text, params)).rows,
    close: async () => {
      await client.close();
      await lock.release();
    },
  };
}

/** The user id of a valid access token, or undefined. */
async function authenticate(request: IncomingMessage): Promise<string | undefined> {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) return undefined;
  try {
    const { payload } = await jwtVerify(header.slice(7), key, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: ISSUER,
      requiredClaims: ['sub', 'exp'],
      currentDate: new Date(),
    });
    return payload.typ === 'access' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

function parameters(statement: Statement, userId: string, body: Record<string, unknown> = {}): unknown[] {
  const now = new Date().toISOString();
  return statement.params.map((source) => {
    if (source.from === 'user') return userId;
    if (source.from === 'now') return now;
    if (source.from === 'body') return body[source.field] ?? null;
    return source.value;
  });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: string) {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  { list, create }: BaselineStatements,
) {
  const path = request.url?.split('?', 1)[0];
  if (path === '/health/ready') return send(response, 200, '{"status":"ok"}');
  if (path !== '/api/me/tasks') return send(response, 404, '{"code":"not_found"}');
  const userId = await authenticate(request);
  if (!userId) return send(response, 401, '{"code":"auth.invalid_token"}');
  if (request.method === 'GET') {
    // Serves the default list only (limit 50, offset 0), which is what the benchmark asks for.
    const rows = await run(list, parameters(list, userId));
    return send(
      response,
      200,
      JSON.stringify({ tasks: rows, total: rows[0]?.count ?? 0, limit: 50, offset: 0 }),
    );
  }
  if (request.method === 'POST') {
    const body = JSON.parse(await readBody(request)) as Record<string, unknown>;
    if (typeof body.title !== 'string') return send(response, 400, '{"code":"request.invalid"}');
    const [row] = await run(create, parameters(create, userId, body));
    return send(response, 201, JSON.stringify(row));
  }
  return send(response, 405, '{"code":"method_not_allowed"}');
}

const server = createServer((request, response) => {
  handle(request, response, statements).catch((error: unknown) =>
    send(response, 500, JSON.stringify(String(error))),
  );
});
server.listen(Number(env.PORT ?? 0), env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void close().then(() => process.exit(0));
});
