import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectProblem, registerUser, type TestUser, TOOLS } from '../../../test/helpers.ts';
import { rowsOf } from '../../db/database.ts';
import type { InteractionDetails } from './mcp-oauth.schemas.ts';
import {
  authorizationUrl,
  CookieJar,
  connectApp,
  consentByHttp,
  type HttpsTestServer,
  httpsTestServer,
  listeningTestApp,
  pkce,
  registerClient,
  TestOAuthClient,
  tokenRequest,
  trustingFetch,
} from './mcp-oauth.test-helpers.ts';

let documents: HttpsTestServer;
let t: Awaited<ReturnType<typeof listeningTestApp>>;
let user: TestUser;

/** The client metadata document of the CIMD client, served by the test's own https server. */
const CIMD_PATH = '/client.json';

beforeAll(async () => {
  documents = await httpsTestServer((request, response) => {
    if (request.url !== CIMD_PATH) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60' });
    response.end(
      JSON.stringify({
        client_id: `${documents.base}${CIMD_PATH}`,
        client_name: 'Metadata Document Client',
        client_uri: documents.base,
        logo_uri: `${documents.base}/logo.png`,
        redirect_uris: ['http://127.0.0.1:9/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    );
  });
  t = await listeningTestApp({ oauthFetch: trustingFetch(documents.ca) });
  user = await registerUser(t.app);
});
afterAll(async () => {
  await t?.close();
  await documents?.close();
});

const mcpUrl = () => new URL('/mcp', t.base);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Makes every access token of the user's connected apps expire, as an hour passing would. */
async function expireAccessTokens(userId: string) {
  await t.database.db.execute(sql`
    update oauth_records set payload = jsonb_set(payload, '{exp}', to_jsonb(extract(epoch from now())::int - 60)),
      expires_at = now() - interval '1 minute'
    where kind = 'AccessToken' and account_id = ${userId}`);
}

describe('an MCP client connecting by URL alone, with the official SDK', () => {
  it.each([
    ['registers itself (RFC 7591)', undefined, 'dynamic'],
    ['names its client metadata document', CIMD_PATH, 'metadata_document'],
  ] as const)(
    '%s, signs in, works, refreshes, and is cut off when disconnected',
    async (_name, path, registration) => {
      const person = await registerUser(t.app);
      let details: InteractionDetails | undefined;
      const provider = new TestOAuthClient({
        clientMetadataUrl: path && `${documents.base}${path}`,
        consent: (url) => consentByHttp(url, person.accessToken, { onDetails: (read) => (details = read) }),
      });

      // No token: a 401 that names the resource metadata; the SDK discovers, registers and sends the browser.
      await expect(
        new Client({ name: 'test', version: '1' }).connect(
          new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider }),
        ),
      ).rejects.toThrow(UnauthorizedError);
      expect(provider.redirects).toHaveLength(1);
      const asked = provider.redirects[0] as URL;
      expect(`${asked.origin}${asked.pathname}`).toBe(`${t.base}/oauth/authorize`);
      expect(Object.fromEntries(asked.searchParams)).toMatchObject({
        response_type: 'code',
        code_challenge_method: 'S256',
        resource: `${t.base}/mcp`,
        // From the 401's challenge, which names what MCP needs.
        scope: 'tasks:read tasks:write',
        redirect_uri: provider.redirectUrl,
      });
      if (path) expect(provider.information?.client_id).toBe(`${documents.base}${path}`);
      else expect(provider.information?.client_id).toMatch(/^[\w-]{20,}$/);

      const transport = new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider });
      await transport.finishAuth(await provider.code(t.base));
      expect(details).toEqual({
        uid: expect.any(String),
        client: {
          client_id: provider.information?.client_id,
          name: path ? 'Metadata Document Client' : 'Test MCP client',
          client_uri: path ? documents.base : null,
          logo_uri: path ? `${documents.base}/logo.png` : null,
          registration,
          redirect_host: 'localhost',
          redirect_kind: 'loopback',
        },
        scopes: [
          { scope: 'tasks:read', description: 'See your tasks and tags' },
          { scope: 'tasks:write', description: 'Add, change, complete and delete your tasks' },
        ],
        resource: `${t.base}/mcp`,
      });
      expect(provider.saved?.access_token).toMatch(/^doable_oat_/);
      expect(provider.saved?.refresh_token).toMatch(/^doable_ort_/);

      const client = new Client({ name: 'test', version: '1' });
      await client.connect(transport);
      expect((await client.listTools()).tools).toHaveLength(TOOLS.length);
      const added = (await client.callTool({
        name: 'add_task',
        arguments: { title: `from ${registration}` },
      })) as CallToolResult;
      expect(added.structuredContent).toMatchObject({
        task: { title: `from ${registration}`, user_id: person.id },
      });
      const listed = (await client.callTool({ name: 'list_tasks', arguments: {} })) as CallToolResult;
      expect(listed.structuredContent).toMatchObject({
        total: 1,
        tasks: [{ title: `from ${registration}` }],
      });

      // An hour later: the access token has expired, and the SDK refreshes on the 401 by itself.
      const first = { ...provider.saved };
      await expireAccessTokens(person.id);
      const again = (await client.callTool({ name: 'list_tasks', arguments: {} })) as CallToolResult;
      expect(again.isError).toBeFalsy();
      expect(provider.saved?.access_token).not.toBe(first.access_token);
      expect(provider.saved?.refresh_token).not.toBe(first.refresh_token);

      // The person disconnects the app in Doable: its very next call is refused, and the SDK must ask again.
      const apps = await t.app.inject({ url: '/api/auth/connected-apps', headers: person.headers });
      expect(apps.json()).toEqual([
        {
          id: expect.any(String),
          client_id: provider.information?.client_id,
          name: details?.client.name,
          client_uri: details?.client.client_uri,
          redirect_host: 'localhost',
          redirect_kind: 'loopback',
          scopes: ['tasks:read', 'tasks:write'],
          connected_at: expect.any(String),
          last_used_at: expect.any(String),
        },
      ]);
      const removed = await t.app.inject({
        method: 'DELETE',
        url: `/api/auth/connected-apps/${apps.json()[0].id}`,
        headers: person.headers,
      });
      expect(removed.statusCode).toBe(204);
      const revoked = await fetch(mcpUrl(), {
        method: 'POST',
        headers: {
          ...bearer(provider.saved?.access_token ?? ''),
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(revoked.status).toBe(401);
      provider.consent = undefined;
      await expect(client.callTool({ name: 'list_tasks', arguments: {} })).rejects.toThrow();
      expect(provider.redirects).toHaveLength(2);
      expect(
        (await t.app.inject({ url: '/api/auth/connected-apps', headers: person.headers })).json(),
      ).toEqual([]);
      await client.close();
    },
    60_000,
  );
});

describe('discovery', () => {
  it('answers /mcp without a token with a 401 problem whose challenge names the resource metadata', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/mcp',
      headers: { accept: 'application/json, text/event-stream' },
      payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });
    expectProblem(response, 401, 'auth.missing_token');
    expect(response.headers['www-authenticate']).toBe(
      `Bearer resource_metadata="${t.base}/.well-known/oauth-protected-resource/mcp", scope="tasks:read tasks:write"`,
    );
    const bad = await t.app.inject({
      method: 'POST',
      url: '/mcp',
      headers: { ...bearer('doable_oat_not-a-token'), accept: 'application/json, text/event-stream' },
      payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });
    expectProblem(bad, 401, 'auth.invalid_token');
    expect(bad.headers['www-authenticate']).toMatch(/^Bearer resource_metadata="/);
  });

  it('serves the protected resource metadata at the path of /mcp and at the root, to any origin', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const response = await t.app.inject({ url: path, headers: { origin: 'https://claude.ai' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.json()).toEqual({
        resource: `${t.base}/mcp`,
        authorization_servers: [t.base],
        scopes_supported: ['tasks:read', 'tasks:write', 'assistant'],
        bearer_methods_supported: ['header'],
        resource_name: 'Doable',
        resource_documentation: `${t.base}/docs`,
      });
    }
  });

  it('serves the authorization server metadata where OAuth and OpenID Connect clients look', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const response = await fetch(`${t.base}${path}`, { headers: { origin: 'https://chatgpt.com' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://chatgpt.com');
      expect(response.headers.get('x-request-id')).toEqual(expect.any(String));
      const metadata = (await response.json()) as Record<string, unknown>;
      expect(metadata).toMatchObject({
        issuer: t.base,
        authorization_endpoint: `${t.base}/oauth/authorize`,
        token_endpoint: `${t.base}/oauth/token`,
        registration_endpoint: `${t.base}/oauth/register`,
        revocation_endpoint: `${t.base}/oauth/revoke`,
        code_challenge_methods_supported: ['S256'],
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        scopes_supported: ['tasks:read', 'tasks:write', 'assistant'],
        client_id_metadata_document_supported: true,
        authorization_response_iss_parameter_supported: true,
      });
      expect(metadata.token_endpoint_auth_methods_supported).toContain('none');
    }
    // Its key set: the public half of the key derived from JWT_SECRET, the same on every instance.
    const jwks = (await (await fetch(`${t.base}/oauth/jwks`)).json()) as {
      keys: Array<Record<string, string>>;
    };
    expect(jwks.keys).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: expect.any(String), use: 'sig' },
    ]);
  });

  it('takes the issuer from PUBLIC_URL, else SPACE_HOST on Spaces, else localhost and says so in the log', async () => {
    const { loadConfig } = await import('../../config.ts');
    expect(loadConfig({ PUBLIC_URL: 'https://doable.example.com/' }).issuer).toBe(
      'https://doable.example.com',
    );
    expect(loadConfig({ SPACE_HOST: 'ada-doable.hf.space' }).issuer).toBe('https://ada-doable.hf.space');
    expect(loadConfig({ PORT: '8080' })).toMatchObject({
      issuer: 'http://localhost:8080',
      issuerSource: 'localhost',
    });
    const lines: string[] = [];
    const { Writable } = await import('node:stream');
    const local = await createTestApp({
      env: { LOG_LEVEL: 'warn' },
      logStream: new Writable({ write: (chunk, _e, done) => done(void lines.push(String(chunk))) }),
    });
    await local.close();
    expect(lines.filter((line) => /need PUBLIC_URL/.test(line))).toHaveLength(1);
  });
});

describe('registration', () => {
  it('is limited per client address, with the sign-in budget', async () => {
    const limited = await createTestApp({
      env: { RATE_LIMIT_ENABLED: 'true', AUTH_RATE_LIMIT_PER_MINUTE: '2' },
    });
    try {
      const register = () =>
        limited.app.inject({
          method: 'POST',
          url: '/oauth/register',
          payload: { redirect_uris: ['http://127.0.0.1:9/callback'], token_endpoint_auth_method: 'none' },
        });
      expect((await register()).statusCode).toBe(201);
      expect((await register()).statusCode).toBe(201);
      const refused = await register();
      expectProblem(refused, 429, 'request.rate_limited');
      expect(refused.headers['retry-after']).toEqual(expect.any(String));
    } finally {
      await limited.close();
    }
  });

  it('answers a registration it refuses as RFC 7591 says, and stores nothing', async () => {
    const before = await t.database.db.execute(
      sql`select count(*)::int as n from oauth_records where kind = 'Client'`,
    );
    const response = await fetch(`${t.base}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['not a url'], token_endpoint_auth_method: 'none' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_redirect_uri' });
    const after = await t.database.db.execute(
      sql`select count(*)::int as n from oauth_records where kind = 'Client'`,
    );
    expect(rowsOf<{ n: number }>(after)[0]?.n).toBe(rowsOf<{ n: number }>(before)[0]?.n);
  });
});

describe('the consent contract', () => {
  /** A sign-in request in progress: the consent page's path, and the browser's cookies. */
  async function started(scope?: string) {
    const client = await registerClient(t.base, { client_name: 'Contract Client' });
    const url = authorizationUrl(t.base, {
      client_id: client.client_id,
      redirect_uri: 'http://127.0.0.1:9/callback',
      code_challenge: pkce().challenge,
      ...(scope === undefined ? {} : { scope }),
    });
    const jar = new CookieJar();
    const response = await fetch(url, { redirect: 'manual' });
    jar.store(response);
    const page = new URL(response.headers.get('location') ?? '', t.base);
    return { page: page.pathname, jar, uid: page.pathname.split('/').at(-1) as string };
  }

  it('sends the browser to /oauth/interaction/{uid}, which is the web page', async () => {
    const { page } = await started();
    expect(page).toMatch(/^\/oauth\/interaction\/[\w-]+$/);
    const html = await fetch(`${t.base}${page}`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });

  it('describes the request to the page that holds its cookie, in plain words', async () => {
    const { page, jar, uid } = await started('assistant tasks:read openid');
    const details = await fetch(`${t.base}${page}/details`, {
      headers: jar.header(`${t.base}${page}/details`),
    });
    expect(details.status).toBe(200);
    expect(await details.json()).toMatchObject({
      uid,
      client: {
        name: 'Contract Client',
        registration: 'dynamic',
        redirect_host: 'localhost',
        redirect_kind: 'loopback',
      },
      scopes: [
        { scope: 'tasks:read', description: 'See your tasks and tags' },
        { scope: 'assistant', description: expect.stringMatching(/assistant/) },
      ],
      resource: `${t.base}/mcp`,
    });
  });

  it.each([
    ['https://app.example.com/callback', 'web', 'app.example.com'],
    ['https://app.example.com:8443/callback', 'web', 'app.example.com:8443'],
    ['http://127.0.0.1:33418/callback', 'loopback', 'localhost'],
    ['http://localhost:6274/oauth/callback', 'loopback', 'localhost'],
    ['http://[::1]:8080/callback', 'loopback', 'localhost'],
    ['cursor://anysphere.cursor-retrieval/oauth/callback', 'custom_scheme', 'cursor:'],
    ['com.example.app:/callback', 'custom_scheme', 'com.example.app:'],
  ] as const)(
    'says where %s goes back to by its kind: a site by its host, else an app on this device',
    async (redirect_uri, kind, host) => {
      const person = await registerUser(t.app);
      // A scheme of the app's own is for native apps only (oidc-provider refuses it from a web client).
      const client = await registerClient(t.base, {
        redirect_uris: [redirect_uri],
        ...(kind === 'custom_scheme' ? { application_type: 'native' } : {}),
      });
      let details: InteractionDetails | undefined;
      const landing = await consentByHttp(
        authorizationUrl(t.base, {
          client_id: client.client_id,
          redirect_uri,
          code_challenge: pkce().challenge,
        }),
        person.accessToken,
        { onDetails: (read) => (details = read) },
      );
      expect(landing.href.startsWith(redirect_uri)).toBe(true);
      expect(details?.client).toMatchObject({ redirect_host: host, redirect_kind: kind });
      const apps = await t.app.inject({ url: '/api/auth/connected-apps', headers: person.headers });
      expect(apps.json()).toEqual([
        expect.objectContaining({ client_id: client.client_id, redirect_host: host, redirect_kind: kind }),
      ]);
    },
  );

  it('answers an unknown uid, a missing cookie and another request’s cookie with 404 interaction_not_found', async () => {
    const { page, jar } = await started();
    const other = await started();
    const detail =
      'This sign-in request has expired or was started in another browser. Go back to the app and connect again.';
    const cases = [
      [`${page}/details`, {}],
      [`${page}/details`, other.jar.header(`${t.base}${other.page}/details`)],
      ['/oauth/interaction/no-such-request/details', jar.header(`${t.base}${page}/details`)],
    ] as const;
    for (const [url, headers] of cases) {
      const response = await t.app.inject({ url, headers });
      expect(expectProblem(response, 404, 'oauth.interaction_not_found').detail).toBe(detail);
    }
    const decision = await t.app.inject({
      method: 'POST',
      url: `${page}/decision`,
      headers: user.headers,
      payload: { allow: true },
    });
    expectProblem(decision, 404, 'oauth.interaction_not_found');
  });

  it('takes the decision only from a signed-in session', async () => {
    const { page, jar } = await started();
    const url = `${t.base}${page}/decision`;
    const personal = await t.app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: user.headers,
      payload: { name: 'x' },
    });
    const app = await connectApp(t.base, user.accessToken);
    const post = (headers: Record<string, string>, payload: unknown = { allow: true }) =>
      t.app.inject({
        method: 'POST',
        url: `${page}/decision`,
        headers: { ...jar.header(url), ...headers },
        payload: payload as object,
      });
    expectProblem(await post({}), 401, 'auth.missing_token');
    expectProblem(await post(bearer(personal.json().token)), 403, 'auth.session_required');
    expectProblem(await post(bearer(app.accessToken)), 403, 'auth.session_required');
    expectProblem(await post(user.headers, { allow: 'yes' }), 400, 'request.invalid');
    expectProblem(await post(user.headers, { allow: true, scopes: ['account'] }), 400, 'request.invalid');
    const accepted = await post(user.headers);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toEqual({
      redirect_to: expect.stringMatching(new RegExp(`^${t.base}/oauth/authorize/`)),
    });
  });

  it('gives an app that asks for no scope of Doable’s what a personal token gets, and never `account`', async () => {
    for (const scope of [undefined, 'account', 'openid offline_access']) {
      const app = await connectApp(t.base, user.accessToken, { ...(scope === undefined ? {} : { scope }) });
      expect(app.scope?.split(' ').filter((each) => each.includes(':'))).toEqual([
        'tasks:read',
        'tasks:write',
      ]);
      const exported = await t.app.inject({ url: '/api/me/export', headers: bearer(app.accessToken) });
      expectProblem(exported, 403, 'auth.insufficient_scope');
    }
    const chat = await connectApp(t.base, user.accessToken, { scope: 'assistant' });
    expect(chat.scope).toBe('assistant');
  });
});

describe('an app’s access token on the API', () => {
  it('works within its scopes, like a personal token, and never as a session', async () => {
    const app = await connectApp(t.base, user.accessToken, { scope: 'tasks:read' });
    const headers = bearer(app.accessToken);
    expect((await t.app.inject({ url: '/api/me/tasks', headers })).statusCode).toBe(200);
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/me/tasks',
      headers,
      payload: { title: 'no' },
    });
    expect(expectProblem(write, 403, 'auth.insufficient_scope').detail).toMatch(/Connect it again/);
    expect(write.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="tasks:write"');
    for (const url of ['/api/auth/tokens', '/api/auth/connected-apps']) {
      expectProblem(await t.app.inject({ url, headers }), 403, 'auth.session_required');
    }
    const password = await t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers,
      payload: { current_password: user.password, new_password: 'another long password' },
    });
    expectProblem(password, 403, 'auth.insufficient_scope');
  });

  it('records its last use on the connection at most once a minute', async () => {
    const person = await registerUser(t.app);
    const app = await connectApp(t.base, person.accessToken);
    const list = async () =>
      (await t.app.inject({ url: '/api/auth/connected-apps', headers: person.headers })).json()[0]
        .last_used_at;
    expect(await list()).toBeNull();
    await t.app.inject({ url: '/api/me/tasks', headers: bearer(app.accessToken) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const used = await list();
    expect(used).toEqual(expect.any(String));
    await t.app.inject({ url: '/api/me/tasks', headers: bearer(app.accessToken) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await list()).toBe(used);
  });

  it('lists an app once it holds a token, not when the browser never came back from the decision', async () => {
    const person = await registerUser(t.app);
    const client = await registerClient(t.base, { client_name: 'Abandoned' });
    const url = authorizationUrl(t.base, {
      client_id: client.client_id,
      redirect_uri: 'http://127.0.0.1:9/callback',
      code_challenge: pkce().challenge,
    });
    const jar = new CookieJar();
    const started = await fetch(url, { redirect: 'manual' });
    jar.store(started);
    const page = new URL(started.headers.get('location') ?? '', t.base);
    const decision = await fetch(`${t.base}${page.pathname}/decision`, {
      method: 'POST',
      headers: {
        ...jar.header(`${t.base}${page.pathname}/decision`),
        ...person.headers,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ allow: true }),
    });
    expect(decision.status).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/connected-apps', headers: person.headers })).json()).toEqual(
      [],
    );
  });

  it('keeps each account to its own connected apps', async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    await connectApp(t.base, owner.accessToken);
    const [app] = (await t.app.inject({ url: '/api/auth/connected-apps', headers: owner.headers })).json();
    expect(
      (await t.app.inject({ url: '/api/auth/connected-apps', headers: stranger.headers })).json(),
    ).toEqual([]);
    const taken = await t.app.inject({
      method: 'DELETE',
      url: `/api/auth/connected-apps/${app.id}`,
      headers: stranger.headers,
    });
    expectProblem(taken, 404, 'oauth.connected_app_not_found');
    expect(
      (await t.app.inject({ url: '/api/auth/connected-apps', headers: owner.headers })).json(),
    ).toHaveLength(1);
  });

  it.each([
    ['a sign-out everywhere', { method: 'POST', url: '/api/auth/logout', payload: { all: true } }],
    [
      'a password change',
      {
        method: 'PATCH',
        url: '/api/auth/me',
        payload: { current_password: 'correct horse battery staple', new_password: 'a brand new password' },
      },
    ],
  ] as const)('ends with %s, as the sessions do', async (_name, request) => {
    const person = await registerUser(t.app);
    const app = await connectApp(t.base, person.accessToken);
    const ended = await t.app.inject({ ...request, headers: person.headers });
    expect(ended.statusCode).toBeLessThan(300);
    expectProblem(
      await t.app.inject({ url: '/api/me/tasks', headers: bearer(app.accessToken) }),
      401,
      'auth.invalid_token',
    );
    const refreshed = await tokenRequest(t.base, {
      grant_type: 'refresh_token',
      refresh_token: app.refreshToken,
      client_id: app.clientId,
    });
    expect(refreshed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await t.app.inject({ url: '/api/auth/connected-apps', headers: person.headers })).json()).toEqual(
      [],
    );
  });

  it('is gone with its account', async () => {
    const person = await registerUser(t.app);
    const app = await connectApp(t.base, person.accessToken);
    await t.database.db.execute(sql`delete from users where id = ${person.id}`);
    expectProblem(
      await t.app.inject({ url: '/api/me/tasks', headers: bearer(app.accessToken) }),
      401,
      'auth.invalid_token',
    );
    const left = await t.database.db.execute(
      sql`select count(*)::int as n from oauth_records where account_id = ${person.id}`,
    );
    expect(rowsOf<{ n: number }>(left)[0]?.n).toBe(0);
  });
});

describe('the stored state', () => {
  it('keeps no token, code or cookie value in the database, only hashes of them', async () => {
    const app = await connectApp(t.base, user.accessToken);
    const rows = await t.database.db.execute(
      sql`select kind, id, payload::text as payload from oauth_records`,
    );
    const dump = JSON.stringify(rowsOf(rows));
    for (const secret of [app.accessToken, app.refreshToken]) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(secret.slice('doable_oat_'.length));
    }
  });

  it('serves one sign-in from two instances on one database, with the same secret', async () => {
    const second = await createTestApp({
      database: t.database,
      env: { PUBLIC_URL: t.base },
      oauthFetch: trustingFetch(documents.ca),
    });
    const other = await second.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const person = await registerUser(t.app);
      for (const clientId of [(await registerClient(other, {})).client_id, `${documents.base}${CIMD_PATH}`]) {
        const { verifier, challenge } = pkce();
        const redirect_uri = 'http://127.0.0.1:9/callback';
        // Started on the first; the page's calls (which read the app's document afresh there), the return and the
        // code exchange reach the second.
        const landing = await consentByHttp(
          authorizationUrl(t.base, { client_id: clientId, redirect_uri, code_challenge: challenge }),
          person.accessToken,
          { via: other },
        );
        const tokens = await tokenRequest(other, {
          grant_type: 'authorization_code',
          code: landing.searchParams.get('code') ?? '',
          code_verifier: verifier,
          redirect_uri,
          client_id: clientId,
        });
        expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
        const tasks = await t.app.inject({
          url: '/api/me/tasks',
          headers: bearer(tokens.body.access_token ?? ''),
        });
        expect(tasks.statusCode).toBe(200);
      }
    } finally {
      await second.close();
    }
  });
});
