import { createServer, type Server } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../bench/lib.ts';
import {
  captureLogs,
  createTestApp,
  expectProblem,
  registerUser,
  type TestUser,
} from '../../../test/helpers.ts';
import { rowsOf } from '../../db/database.ts';
import { checkedAddresses, createDocumentFetch, NOT_FETCHED } from './mcp-oauth.fetch.ts';
import {
  authorizationUrl,
  connectApp,
  consentByHttp,
  type HttpsTestServer,
  httpsTestServer,
  listeningTestApp,
  pkce,
  registerClient,
  tokenRequest,
  trustingFetch,
} from './mcp-oauth.test-helpers.ts';

/**
 * What a hostile client, a stolen code or token, or a malicious client metadata document tries. None of it yields
 * a token; each refusal says what is wrong.
 */

let t: Awaited<ReturnType<typeof listeningTestApp>>;
/** An app with production's fetch for client metadata documents (special-use addresses refused). */
let guarded: Awaited<ReturnType<typeof listeningTestApp>>;
const guardedLogs = captureLogs<{ msg: string; request_id?: string; url?: string; reason?: string }>();
let documents: HttpsTestServer;
/** A TCP server on every loopback address that counts the connections it gets, and says nothing. */
let listener: { server: Server; port: number; connections: number; hold: boolean };
let user: TestUser;

const REDIRECT = 'http://127.0.0.1:9/callback';

/** Documents for every case: a good one, one that answers slowly, one far too large. */
function document(base: string, path: string) {
  return {
    client_id: `${base}${path}`,
    client_name: 'Document Client',
    redirect_uris: [REDIRECT],
    token_endpoint_auth_method: 'none',
  };
}

beforeAll(async () => {
  documents = await httpsTestServer((request, response) => {
    const path = request.url ?? '/';
    const body = JSON.stringify(document(documents.base, path));
    if (path === '/slow.json') {
      // Longer than oidc-provider's 2.5 s.
      setTimeout(
        () => response.writeHead(200, { 'content-type': 'application/json' }).end(body),
        3_500,
      ).unref();
      return;
    }
    if (path === '/huge-declared.json') {
      const padded = `${body.slice(0, -1)}, "padding": "${'x'.repeat(64 * 1024)}"}`;
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(padded),
      });
      response.end(padded);
      return;
    }
    if (path === '/long-name.json' || path === '/many-redirects.json') {
      const oversized = {
        ...document(documents.base, path),
        ...(path === '/long-name.json'
          ? { client_name: 'A'.repeat(201) }
          : { redirect_uris: Array.from({ length: 11 }, (_, i) => `http://127.0.0.1:9/callback/${i}`) }),
      };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(oversized));
      return;
    }
    if (path === '/huge.json') {
      // Sent without Content-Length, so that the bound is the one counted as the body streams in.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(`${body.slice(0, -1)}, "padding": "`);
      for (let i = 0; i < 64; i++) response.write('x'.repeat(1024));
      response.end('"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  t = await listeningTestApp({ oauthFetch: trustingFetch(documents.ca) });
  guarded = await listeningTestApp({ env: { LOG_LEVEL: 'warn' }, logStream: guardedLogs.stream });
  user = await registerUser(t.app);
  // Connections are held open, as a service that does not speak TLS would (nothing closes them but the fetch),
  // unless a test says to close them.
  const server = createServer((socket) => {
    listener.connections += 1;
    if (!listener.hold) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  listener = { server, port: (server.address() as { port: number }).port, connections: 0, hold: true };
}, 60_000);
afterAll(async () => {
  await Promise.all([t?.close(), guarded?.close()]);
  await documents?.close();
  listener?.server.close();
  listener?.server.unref();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const tasksWith = (token: string) => t.app.inject({ url: '/api/me/tasks', headers: bearer(token) });

/** A registered client, a PKCE pair, and a code the person allowed. */
async function allowedCode(options: { scope?: string } = {}) {
  const client = await registerClient(t.base);
  const { verifier, challenge } = pkce();
  const landing = await consentByHttp(
    authorizationUrl(t.base, {
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      ...(options.scope ? { scope: options.scope } : {}),
    }),
    user.accessToken,
  );
  const code = landing.searchParams.get('code');
  if (!code) throw new Error(`no code: ${landing}`);
  const exchange = (overrides: Record<string, string> = {}) =>
    tokenRequest(t.base, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      client_id: client.client_id,
      ...overrides,
    });
  return { client, verifier, code, exchange };
}

async function countOf(kind: string, app = t): Promise<number> {
  const result = await app.database.db.execute(
    sql`select count(*)::int as n from oauth_records where kind = ${kind}`,
  );
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}
const accessTokenCount = (app = t) => countOf('AccessToken', app);

describe('PKCE', () => {
  it('refuses a code without its verifier, or with another one', async () => {
    const { exchange } = await allowedCode();
    const missing = await exchange({ code_verifier: '' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/invalid_(grant|request)/);
    const wrong = await exchange({ code_verifier: pkce().verifier });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(wrong.body.access_token).toBeUndefined();
  });

  it('refuses an authorization request without a S256 challenge', async () => {
    const client = await registerClient(t.base);
    for (const params of [
      { code_challenge: '' },
      { code_challenge: pkce().challenge, code_challenge_method: 'plain' },
    ] as Array<{ code_challenge: string } & Record<string, string>>) {
      const url = authorizationUrl(t.base, {
        client_id: client.client_id,
        redirect_uri: REDIRECT,
        ...params,
      });
      if (!params.code_challenge) url.searchParams.delete('code_challenge');
      const landing = await consentByHttp(url, user.accessToken);
      expect(landing.searchParams.get('error')).toBe('invalid_request');
      expect(landing.searchParams.get('code')).toBeNull();
    }
  });
});

describe('redirect URIs', () => {
  it('refuses a redirect_uri one character off the registered one, without sending the browser there', async () => {
    const client = await registerClient(t.base);
    const url = authorizationUrl(t.base, {
      client_id: client.client_id,
      redirect_uri: 'http://127.0.0.1:9/callbacks',
      code_challenge: pkce().challenge,
    });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.headers.get('location')).toBeNull();
    const problem = (await response.json()) as Record<string, string>;
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // oidc-provider's answers carry Doable's headers, its Content-Security-Policy among them.
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(problem).toMatchObject({ code: 'oauth.invalid_redirect_uri', error: 'invalid_redirect_uri' });
    expect(problem.detail).toMatch(/not one the app registered/);
  });

  it('refuses a code exchanged with another redirect_uri than it was issued for', async () => {
    const { exchange } = await allowedCode();
    const answer = await exchange({ redirect_uri: 'http://127.0.0.1:9/callback/' });
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});

describe('codes', () => {
  it('takes a code once; used again it revokes what the first use gave', async () => {
    const { exchange } = await allowedCode();
    const first = await exchange();
    expect(first.status).toBe(200);
    expect((await tasksWith(first.body.access_token as string)).statusCode).toBe(200);
    const second = await exchange();
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(second.body.access_token).toBeUndefined();
    expectProblem(await tasksWith(first.body.access_token as string), 401, 'auth.invalid_token');
    const refreshed = await tokenRequest(t.base, {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token as string,
      client_id: first.body.client_id ?? '',
    });
    expect(refreshed.status).toBe(400);
  });

  it('does not take a code for another client', async () => {
    const { exchange } = await allowedCode();
    const thief = await registerClient(t.base);
    const answer = await exchange({ client_id: thief.client_id });
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});

describe('resources', () => {
  it('refuses a resource other than /mcp at the authorization endpoint', async () => {
    const client = await registerClient(t.base);
    for (const resource of [`${t.base}/api`, 'https://evil.example.com/mcp', `${t.base}/mcp/`]) {
      const landing = await consentByHttp(
        authorizationUrl(t.base, {
          client_id: client.client_id,
          redirect_uri: REDIRECT,
          code_challenge: pkce().challenge,
          resource,
        }),
        user.accessToken,
      );
      expect(landing.searchParams.get('error'), resource).toBe('invalid_target');
      expect(landing.searchParams.get('code')).toBeNull();
    }
  });

  it('refuses a resource other than /mcp at the token endpoint', async () => {
    const { exchange } = await allowedCode();
    const answer = await exchange({ resource: 'https://evil.example.com/mcp' });
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
    expect(answer.body.access_token).toBeUndefined();
  });

  it('refuses another resource without using up the code or refresh token, so the corrected retry works', async () => {
    const { client, exchange } = await allowedCode();
    for (const resource of [`${t.base}/mcp/`, t.base])
      expect(await exchange({ resource }), resource).toMatchObject({
        status: 400,
        body: { error: 'invalid_target' },
      });
    const tokens = await exchange({ resource: `${t.base}/mcp` });
    expect(tokens.status).toBe(200);
    const refresh = (extra: Record<string, string> = {}) =>
      tokenRequest(t.base, {
        grant_type: 'refresh_token',
        refresh_token: tokens.body.refresh_token as string,
        client_id: client.client_id,
        ...extra,
      });
    expect(await refresh({ resource: `${t.base}/mcp/` })).toMatchObject({
      status: 400,
      body: { error: 'invalid_target' },
    });
    const rotated = await refresh();
    expect(rotated.status).toBe(200);
    expect((await tasksWith(rotated.body.access_token as string)).statusCode).toBe(200);
  });

  it('answers a token without the scope /mcp or its tool needs with a 403 that says where to step up', async () => {
    const challenge = (scope: string) =>
      `Bearer error="insufficient_scope", scope="${scope}", ` +
      `resource_metadata="${t.base}/.well-known/oauth-protected-resource/mcp"`;
    const call = (token: string, tool: string) =>
      t.app.inject({
        method: 'POST',
        url: '/mcp',
        headers: { ...bearer(token), accept: 'application/json, text/event-stream' },
        payload: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: {} } },
      });
    // A tool beyond the token's scopes (read from the JSON-RPC body), and /mcp itself beyond them.
    const reader = await connectApp(t.base, user.accessToken, { scope: 'tasks:read' });
    const beyondTool = await call(reader.accessToken, 'add_task');
    expectProblem(beyondTool, 403, 'auth.insufficient_scope');
    expect(beyondTool.headers['www-authenticate']).toBe(challenge('tasks:write'));
    const chatter = await connectApp(t.base, user.accessToken, { scope: 'assistant' });
    const beyondRoute = await call(chatter.accessToken, 'list_tasks');
    expectProblem(beyondRoute, 403, 'auth.insufficient_scope');
    expect(beyondRoute.headers['www-authenticate']).toBe(challenge('tasks:read'));
  });

  it('holds a token for /mcp to its scopes on the API, and keeps it off the session-only routes', async () => {
    const app = await connectApp(t.base, user.accessToken, { scope: 'tasks:read' });
    expect((await tasksWith(app.accessToken)).statusCode).toBe(200);
    const headers = bearer(app.accessToken);
    const beyond = [
      t.app.inject({ method: 'POST', url: '/api/me/tasks', headers, payload: { title: 'x' } }),
      t.app.inject({ method: 'POST', url: '/api/me/chat', headers, payload: { message: 'hi' } }),
      t.app.inject({ url: '/api/me/export', headers }),
    ];
    for (const response of await Promise.all(beyond)) expectProblem(response, 403, 'auth.insufficient_scope');
    const sessionOnly = [
      t.app.inject({ url: '/api/auth/tokens', headers }),
      t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers, payload: { name: 'escalate' } }),
      t.app.inject({ url: '/api/auth/connected-apps', headers }),
    ];
    for (const response of await Promise.all(sessionOnly))
      expectProblem(response, 403, 'auth.session_required');
  });
});

describe('refresh tokens', () => {
  it('rotate; the old one replayed revokes the grant, and the new one with it', async () => {
    const app = await connectApp(t.base, user.accessToken);
    const refresh = (refresh_token: string) =>
      tokenRequest(t.base, { grant_type: 'refresh_token', refresh_token, client_id: app.clientId });
    const rotated = await refresh(app.refreshToken);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(app.refreshToken);

    const replayed = await refresh(app.refreshToken);
    expect(replayed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(replayed.body.access_token).toBeUndefined();
    expect(await refresh(rotated.body.refresh_token as string)).toMatchObject({ status: 400 });
    expectProblem(await tasksWith(rotated.body.access_token as string), 401, 'auth.invalid_token');
  });

  it('sent ten times at once, rotate once: the others are reuse, and end the connection', async () => {
    const app = await connectApp(t.base, user.accessToken);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        tokenRequest(t.base, {
          grant_type: 'refresh_token',
          refresh_token: app.refreshToken,
          client_id: app.clientId,
        }),
      ),
    );
    const rotated = answers.filter((answer) => answer.status === 200);
    expect(rotated.length).toBeLessThanOrEqual(1);
    expect(answers.filter((answer) => answer.status === 400)).toHaveLength(10 - rotated.length);
    for (const { body } of rotated) {
      expectProblem(await tasksWith(body.access_token as string), 401, 'auth.invalid_token');
      expect(
        await tokenRequest(t.base, {
          grant_type: 'refresh_token',
          refresh_token: body.refresh_token as string,
          client_id: app.clientId,
        }),
      ).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    }
  });

  it('are revoked at the revocation endpoint (RFC 7009), with the grant', async () => {
    const app = await connectApp(t.base, user.accessToken);
    const revoked = await fetch(`${t.base}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: app.refreshToken, client_id: app.clientId }),
    });
    expect(revoked.status).toBe(200);
    expectProblem(await tasksWith(app.accessToken), 401, 'auth.invalid_token');
  });
});

describe('client metadata documents', () => {
  /** An authorization request naming a document (a path on the test's server, or a whole URL): the answer. */
  async function authorizeWith(app: typeof t, document: string, code = 'oauth.invalid_client') {
    const before = await accessTokenCount(app);
    const url = authorizationUrl(app.base, {
      client_id: document.startsWith('https:') ? document : `${documents.base}${document}`,
      redirect_uri: REDIRECT,
      code_challenge: pkce().challenge,
    });
    const started = Date.now();
    const response = await fetch(url, { redirect: 'manual' });
    const elapsed = Date.now() - started;
    expect(response.headers.get('location')).toBeNull();
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as Record<string, string>;
    expect(problem).toMatchObject({ code, error: code.replace('oauth.', '') });
    expect(await accessTokenCount(app)).toBe(before);
    return { problem, elapsed };
  }
  /** The detail without the client_id it names, to compare two refusals' words. */
  const wording = (problem: Record<string, string>, clientId: string) => ({
    detail: problem.detail?.replace(clientId, '<client_id>'),
    error_description: problem.error_description,
  });

  it('works from the test’s own https server (the rules a test relaxes: the address only)', async () => {
    const url = authorizationUrl(t.base, {
      client_id: `${documents.base}/client.json`,
      redirect_uri: REDIRECT,
      code_challenge: pkce().challenge,
    });
    const landing = await consentByHttp(url, user.accessToken);
    expect(landing.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('are refused before any connection when their host is a loopback address, by name or number', async () => {
    listener.connections = 0;
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '[::ffff:127.0.0.1]', '127.1.2.3']) {
      const clientId = new URL(`https://${host}:${listener.port}/client.json`).href;
      const { problem } = await authorizeWith(guarded, clientId);
      expect(problem.detail, host).toMatch(/: it could not be fetched\./);
      // Why, for whoever reads the log, under the request's id.
      expect(guardedLogs.lines.filter((line) => line.request_id === problem.request_id)).toEqual([
        expect.objectContaining({
          msg: 'a client metadata document could not be fetched',
          url: clientId,
          reason: expect.stringMatching(/ a special-use address$/),
        }),
      ]);
    }
    // oidc-provider's own guard connected first and dropped the connection after: a port scanner by timing.
    expect(listener.connections).toBe(0);
  });

  it('say the same for a refused address as for a closed port, and no more', async () => {
    const refusedId = `https://127.0.0.1:${listener.port}/client.json`;
    const closedId = `https://127.0.0.1:${await freePort()}/client.json`;
    const refused = await authorizeWith(guarded, refusedId);
    // The test's app connects to loopback: the port is closed, as an internal host's may be.
    const closed = await authorizeWith(t, closedId);
    expect(wording(refused.problem, refusedId)).toEqual(wording(closed.problem, closedId));
    expect(refused.problem.detail).not.toMatch(/private|reserved|special|refused|ECONN|loopback/i);
  });

  it('refuse a host if any of its addresses is special-use, and connect to the one checked, once resolved', async () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '100.64.0.1',
      '169.254.169.254',
      '::1',
      '::ffff:127.0.0.1',
      'fd00::1',
    ]) {
      const resolve = async () => [
        { address: '93.184.215.14', family: 4 },
        { address, family: address.includes(':') ? 6 : 4 },
      ];
      await expect(checkedAddresses('internal.example', resolve), address).rejects.toThrow(/special-use/);
    }
    const publicOnly = async () => [{ address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 }];
    expect(await checkedAddresses('public.example', publicOnly)).toHaveLength(1);

    // The fetch: refused without a connection by production's rules; with a test's rules, one connection, to the
    // address the one lookup gave (doc.invalid has no address in DNS: a second lookup would fail).
    let lookups = 0;
    const toLoopback = async () => {
      lookups += 1;
      return [{ address: '::ffff:127.0.0.1', family: 6 }];
    };
    Object.assign(listener, { connections: 0, hold: false });
    const url = `https://doc.invalid:${listener.port}/client.json`;
    await expect(createDocumentFetch({ resolve: toLoopback })(url)).rejects.toThrow(NOT_FETCHED);
    expect(listener.connections).toBe(0);
    await expect(createDocumentFetch({ resolve: toLoopback, allowed: () => true })(url)).rejects.toThrow(
      NOT_FETCHED,
    );
    expect({ lookups, connections: listener.connections }).toEqual({ lookups: 2, connections: 1 });
    listener.hold = true;
  });

  it('are given up after 2.5 seconds', async () => {
    const { problem, elapsed } = await authorizeWith(t, '/slow.json');
    expect(problem.detail).toMatch(/: it could not be fetched\./);
    expect(elapsed).toBeLessThan(3_400);
  });

  it('are refused past 5 kB, whether or not their size is declared', async () => {
    for (const path of ['/huge.json', '/huge-declared.json']) {
      const { problem } = await authorizeWith(t, path);
      expect(problem.detail, path).toMatch(/larger than 5 kB/);
    }
  });

  it('are held to the sizes of a registration: a name of 200 characters, 10 redirect URIs', async () => {
    const long = await authorizeWith(t, '/long-name.json', 'oauth.invalid_client_metadata');
    expect(long.problem.detail).toMatch(
      /client metadata document .*: client_name must be at most 200 characters/,
    );
    const many = await authorizeWith(t, '/many-redirects.json', 'oauth.invalid_redirect_uri');
    expect(many.problem.detail).toMatch(/redirect_uris must hold at most 10 addresses/);
  });

  it('are fetched over https only', async () => {
    const url = authorizationUrl(t.base, {
      client_id: `http://127.0.0.1:${new URL(documents.base).port}/client.json`,
      redirect_uri: REDIRECT,
      code_challenge: pkce().challenge,
    });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('oauth.invalid_client');
  });
});

describe('what an anonymous client may store', () => {
  /** A registration as a client sends it: the status and the RFC 7591 answer. */
  async function register(metadata: Record<string, unknown>) {
    const response = await fetch(`${t.base}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', ...metadata }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  it('is a registration of a name up to 200 characters, 10 redirect URIs of 2048, 8 kB in all', async () => {
    const before = await countOf('Client');
    const refusals = [
      [{ client_name: 'n'.repeat(201) }, 'invalid_client_metadata', /client_name .* at most 200 characters/],
      [
        { redirect_uris: Array.from({ length: 11 }, (_, i) => `${REDIRECT}/${i}`) },
        'invalid_redirect_uri',
        /redirect_uris .* at most 10 addresses/,
      ],
      [
        { redirect_uris: [`${REDIRECT}?${'q'.repeat(2048)}`] },
        'invalid_redirect_uri',
        /redirect_uris .* at most 2048 characters/,
      ],
      [
        { redirect_uris: ['http://app.example.com/callback'] },
        'invalid_redirect_uri',
        /redirect_uris must be https, or http on this device/,
      ],
      [
        { client_name: 'ok', client_uri: `https://example.com/${'p'.repeat(8 * 1024)}` },
        'invalid_client_metadata',
        /registration must be at most 8192 bytes/,
      ],
    ] as const;
    for (const [metadata, error, description] of refusals) {
      const answer = await register(metadata);
      expect(answer, error).toMatchObject({ status: 400, body: { error } });
      expect(answer.body.error_description).toMatch(description);
    }
    expect(await countOf('Client')).toBe(before);
    // The limit is on what shows: 200 visible characters pass with any number of invisible ones between.
    const visible = await register({ client_name: `${'n\u200b'.repeat(200)}`, redirect_uris: [REDIRECT] });
    expect(visible.status).toBe(201);
    for (const onThisDevice of ['http://localhost:6274/cb', 'http://[::1]:8080/cb', 'http://127.0.0.1/cb'])
      expect((await register({ redirect_uris: [onThisDevice] })).status, onThisDevice).toBe(201);
  });

  it('is an authorization request of state and nonce up to 1024 characters, others 2048, 8 kB in all', async () => {
    const client = await registerClient(t.base);
    const before = await countOf('Interaction');
    const refusals = [
      [{ state: 's'.repeat(1025) }, /^state must be at most 1024 characters long$/],
      [
        { nonce: 'n'.repeat(1025), scope: 'openid tasks:read' },
        /^nonce must be at most 1024 characters long$/,
      ],
      [{ unknown_parameter: 'u'.repeat(2049) }, /^unknown_parameter must be at most 2048 characters long$/],
      [
        Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`p${i}`, 'x'.repeat(2000)])),
        /^the authorization request must be at most 8192 bytes of parameters/,
      ],
    ] as const;
    for (const [params, description] of refusals) {
      const url = authorizationUrl(t.base, {
        client_id: client.client_id,
        redirect_uri: REDIRECT,
        code_challenge: pkce().challenge,
        ...params,
      });
      // Refused as oidc-provider refuses any invalid request of a known client: back to the app, with the reason.
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBe(303);
      const back = new URL(response.headers.get('location') ?? '');
      expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('error_description')).toMatch(description);
      expect(back.searchParams.get('iss')).toBe(t.base);
    }
    // Nothing of them was stored: no sign-in request in progress.
    expect(await countOf('Interaction')).toBe(before);
    // A client unknown, or a redirect_uri not its own: refused on Doable's page, as oidc-provider does.
    const unknown = await fetch(
      authorizationUrl(t.base, {
        client_id: client.client_id,
        redirect_uri: 'http://127.0.0.1:9/elsewhere',
        code_challenge: pkce().challenge,
        state: 's'.repeat(1025),
      }),
      { redirect: 'manual' },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('location')).toBeNull();
  });

  it('is limited per client address at the authorization endpoint, with the sign-in budget', async () => {
    const limited = await createTestApp({
      env: { RATE_LIMIT_ENABLED: 'true', AUTH_RATE_LIMIT_PER_MINUTE: '2' },
    });
    try {
      const authorize = () =>
        limited.app.inject({ url: '/oauth/authorize?client_id=unknown&response_type=code' });
      expect((await authorize()).statusCode).toBe(400);
      expect((await authorize()).statusCode).toBe(400);
      const refused = await authorize();
      expectProblem(refused, 429, 'request.rate_limited');
      expect(refused.headers['retry-after']).toEqual(expect.any(String));
    } finally {
      await limited.close();
    }
  });
});

describe('answers', () => {
  it('come back in the query only: form_post, which is an HTML page with a script, is refused', async () => {
    const client = await registerClient(t.base);
    for (const mode of ['form_post', 'fragment', 'web_message']) {
      const url = authorizationUrl(t.base, {
        client_id: client.client_id,
        redirect_uri: REDIRECT,
        code_challenge: pkce().challenge,
        response_mode: mode,
      });
      const response = await t.app.inject({ url: `${url.pathname}${url.search}` });
      expectProblem(response, 400, 'oauth.unsupported_response_mode');
    }
    const metadata = await t.app.inject({ url: '/.well-known/oauth-authorization-server' });
    expect(metadata.json().response_modes_supported).toEqual(['query']);
  });
});

describe('consent', () => {
  it('refused, sends the app access_denied and no code', async () => {
    const client = await registerClient(t.base);
    const url = authorizationUrl(t.base, {
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      code_challenge: pkce().challenge,
      state: 'the-state',
    });
    const before = await accessTokenCount();
    const landing = await consentByHttp(url, user.accessToken, { allow: false });
    expect(`${landing.origin}${landing.pathname}`).toBe(REDIRECT);
    expect(Object.fromEntries(landing.searchParams)).toMatchObject({
      error: 'access_denied',
      state: 'the-state',
      iss: t.base,
    });
    expect(landing.searchParams.get('code')).toBeNull();
    expect(await accessTokenCount()).toBe(before);
  });

  it('shows the site an app claims only when where it returns to, or its metadata document, is on it', async () => {
    const person = await registerUser(t.app);
    const shown: Record<string, string | null> = {};
    for (const [which, redirect] of [
      ['impersonating', 'https://claude.ai.evil.example/callback'],
      ['vouched', 'https://claude.ai/api/callback'],
    ] as const) {
      const client = await registerClient(t.base, {
        client_name: 'Claude',
        client_uri: 'https://claude.ai',
        redirect_uris: [redirect],
      });
      await consentByHttp(
        authorizationUrl(t.base, {
          client_id: client.client_id,
          redirect_uri: redirect,
          code_challenge: pkce().challenge,
        }),
        person.accessToken,
        { onDetails: (details) => (shown[which] = details.client.client_uri), allow: false },
      );
    }
    expect(shown).toEqual({ impersonating: null, vouched: 'https://claude.ai' });
  });

  it('names an app by its name cleaned of what shows nothing, or by its address when nothing is left', async () => {
    const person = await registerUser(t.app);
    const redirect = 'https://app.example.com/callback';
    const names = {
      // Zero-width space, Braille blank, em space, right-to-left override, tab, Hangul filler.
      dressed: '\u200b Evil\u2800 \u2003Corp\u202e\t\u3164',
      blank: '\u3164\u2800\u200b\u115f\u1160\uffa0\u00ad\u2000\ufeff',
      // A tower of combining marks on the C draws over the lines around the name: two are left.
      stacked: `C${'\u0489\u0300\u0301\u0302'.repeat(10)}laude`,
    };
    const shown: Record<string, string> = {};
    for (const [which, client_name] of Object.entries(names)) {
      const client = await registerClient(t.base, { client_name, redirect_uris: [redirect] });
      await consentByHttp(
        authorizationUrl(t.base, {
          client_id: client.client_id,
          redirect_uri: redirect,
          code_challenge: pkce().challenge,
        }),
        person.accessToken,
        { onDetails: (details) => (shown[which] = details.client.name), allow: false },
      );
    }
    expect(shown).toEqual({ dressed: 'Evil Corp', blank: 'app.example.com', stacked: 'C\u0489\u0300laude' });

    // The list of connected apps cleans what a grant kept from before, too.
    const app = await connectApp(t.base, person.accessToken, { metadata: { client_name: 'Tidy' } });
    await t.database.db.execute(sql`
      update oauth_records set shown = jsonb_set(shown, '{name}', to_jsonb(${names.dressed}::text))
      where kind = 'Grant' and client_id = ${app.clientId}`);
    const listed = await t.app.inject({
      url: '/api/auth/connected-apps',
      headers: bearer(person.accessToken),
    });
    expect(listed.json().map((each: { name: string }) => each.name)).toEqual(['Evil Corp']);
  });
});
