import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../bench/lib.ts';
import { connectApp, pkce, registerClient } from '../src/auth/testing.ts';
import { createTestApp, registerUser, type TestApp, type TestUser } from './helpers.ts';
import {
  asText,
  contentType,
  countWrites,
  encodeSegment,
  exampleOf,
  expectSoundAnswer,
  fillPath,
  fromSchema,
  headerValue,
  hostileSegment,
  hostileString,
  hostileValue,
  injectAnswer,
  type JsonSchema,
  type Operation,
  operations,
  rawHostileBody,
  routeTable,
  succeed,
  Tally,
} from './hostile.ts';

/**
 * Hostile clients: requests generated from the app's own OpenAPI document (and MCP's own tool list), with
 * hostile bodies, parameters and headers. Whatever is sent, the answer is never a 5xx, a refusal is a problem
 * document, and a refused request writes nothing. HOSTILE_RUNS (default 1,000) is the number of requests in
 * all, shared out among the operations.
 */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 1_000);
const INGEST_TOKEN = 'hostile-ingest-token-0123456789';

/** Routes that serve files, not an API: nothing in them reads the request. */
const NOT_FUZZED = /^\/(docs|redoc|assets\/|index\.html|favicon\.svg|openapi\.json|$)/;

let t: TestApp;
let owner: TestUser;
let other: TestUser;
let writes: () => Promise<number>;
let known: Record<string, string[]>;
let mcpTools: Array<{ name: string; inputSchema: JsonSchema }>;
/** Values an OAuth client would send that Doable knows: a registered client, its redirect, a refresh token. */
let oauth: { clientId: string; redirectUri: string; refreshToken: string; accessToken: string; base: string };
const tally = new Tally();

const MCP_HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };

beforeAll(async () => {
  // Listening at its issuer's address, so that an app connects as MCP clients do. Client metadata documents named
  // by fuzzed client_ids are never fetched: the network is not the test's.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  t = await createTestApp({
    env: { INGEST_TOKEN, PUBLIC_URL: base },
    oauthFetch: async () => {
      throw new Error('no network in this test');
    },
  });
  await t.app.listen({ host: '127.0.0.1', port });
  owner = await registerUser(t.app);
  other = await registerUser(t.app);
  const tasks = [
    await succeed(t.app, owner, 'POST', '/api/me/tasks', { title: 'water the plants', tags: ['home'] }),
    await succeed(t.app, owner, 'POST', '/api/me/tasks', {
      title: 'pay rent',
      due_date: '2026-12-01',
      recurrence: 'FREQ=MONTHLY',
      priority: 'high',
    }),
  ];
  const othersTask = await succeed(t.app, other, 'POST', '/api/me/tasks', { title: 'not yours' });
  const lists = [
    await succeed(t.app, owner, 'POST', '/api/me/lists', { name: 'errands' }),
    await succeed(t.app, other, 'POST', '/api/me/lists', { name: 'not yours' }),
  ];
  // Deleted tasks, the owner's and another user's, for the restore route to aim at.
  const deleted = [
    await succeed(t.app, owner, 'POST', '/api/me/tasks', { title: 'deleted by its owner' }),
    await succeed(t.app, other, 'POST', '/api/me/tasks', { title: 'deleted by another user' }),
  ];
  await succeed(t.app, owner, 'DELETE', `/api/me/tasks/${deleted[0].id}`);
  await succeed(t.app, other, 'DELETE', `/api/me/tasks/${deleted[1].id}`);
  // Someone invited to the owner's list, and the other user a member of it, for the members' routes.
  const members = [
    await succeed(t.app, owner, 'POST', `/api/me/lists/${lists[0].id}/members`, {
      email: 'friend@example.com',
      role: 'viewer',
    }),
    await succeed(t.app, owner, 'POST', `/api/me/lists/${lists[0].id}/members`, {
      email: other.email,
      role: 'editor',
    }),
  ];
  await succeed(t.app, other, 'POST', `/api/me/lists/${lists[0].id}/membership`);
  const chat = await succeed(t.app, owner, 'POST', '/api/me/chat', { message: 'add call mum tomorrow 5pm' });
  const othersChat = await succeed(t.app, other, 'POST', '/api/me/chat', { message: 'what is due today?' });
  const token = await succeed(t.app, owner, 'POST', '/api/auth/tokens', { name: 'script' });
  const ingest = await t.app.inject({
    method: 'POST',
    url: '/api/knowledge/documents',
    headers: { authorization: `Bearer ${INGEST_TOKEN}` },
    payload: [{ path: 'guide.md', content: '# Guide\n\nTasks can repeat every monday.' }],
  });
  const tools = await t.app.inject({
    method: 'POST',
    url: '/mcp',
    headers: { ...owner.headers, ...MCP_HEADERS },
    payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
  });
  mcpTools = tools.json().result.tools;
  const app = await connectApp(base, owner.accessToken);
  const client = await registerClient(base);
  oauth = { ...app, clientId: client.client_id, redirectUri: client.redirect_uris[0] as string, base };
  const apps = await succeed(t.app, owner, 'GET', '/api/auth/connected-apps');
  known = {
    user_id: ['me', owner.id, other.id],
    task_id: [...tasks, othersTask, ...deleted].map((task) => String(task.id)),
    conversation_id: [String(chat.conversation_id), String(othersChat.conversation_id)],
    list_id: lists.map((list) => String(list.id)),
    member_id: members.map((member) => String(member.id)),
    id: [token.id, ingest.json().documents[0].id, '00000000-0000-4000-8000-000000000000', apps[0].id],
    provider: ['google', 'github', 'oidc'],
    uid: ['x', 'a'.repeat(43)],
  };
  writes = await countWrites(t.database);
}, 120_000);

afterAll(async () => {
  console.log(`hostile requests: ${tally.requests} (${tally}); 5xx: ${tally.serverErrors}`);
  await t?.close();
});

function pathParam(name: string): fc.Arbitrary<string> {
  const values = known[name] ?? [];
  return fc.oneof(
    { weight: values.length > 0 ? 4 : 0, arbitrary: fc.constantFrom('x', ...values).map(encodeSegment) },
    { weight: 2, arbitrary: hostileSegment },
  );
}

/** A query string: the operation's parameters, mostly well formed, plus repeats and strangers. */
function queryString(operation: Operation): fc.Arbitrary<string> {
  const pair = (name: string, schema: JsonSchema | undefined) =>
    fc
      .tuple(fromSchema(schema), fc.boolean())
      // Now and then the text goes in as it is, unencoded, as a careless client would put it.
      .map(
        ([value, raw]) =>
          `${name}=${raw ? asText(value).replace(/[#&]/g, '') : encodeSegment(asText(value))}`,
      );
  const pairs = [
    ...operation.query.map((parameter) => pair(parameter.name, parameter.schema)),
    pair('limit', undefined),
    hostileString.map((name) => `${encodeSegment(name)}=1`),
    hostileSegment.map((value) => `search=${value}`),
  ];
  // Indexes may repeat: a parameter given twice (`status=all&status=x`) arrives as an array.
  return fc
    .array(fc.nat(pairs.length - 1), { maxLength: 6 })
    .chain((chosen) =>
      fc
        .tuple(...chosen.map((index) => pairs[index] as fc.Arbitrary<string>), fc.constant(''))
        .map((parts) => parts.filter(Boolean).join('&')),
    );
}

type Body = { payload?: string | Buffer; type?: string | undefined };

function bodyFor(operation: Operation): fc.Arbitrary<Body> {
  const json = (arbitrary: fc.Arbitrary<unknown>) =>
    fc.tuple(arbitrary, contentType).map(([value, type]) => ({ payload: JSON.stringify(value) ?? '', type }));
  return fc.oneof(
    { weight: operation.body ? 8 : 0, arbitrary: json(fromSchema(operation.body)) },
    { weight: operation.url === '/mcp' ? 8 : 0, arbitrary: json(mcpMessage()) },
    {
      weight: 2,
      arbitrary: fc.tuple(rawHostileBody, contentType).map(([payload, type]) => ({ payload, type })),
    },
    { weight: 1, arbitrary: json(hostileValue) },
    { weight: operation.body && !operation.bodyRequired ? 3 : 1, arbitrary: fc.constant({}) },
  );
}

/** JSON-RPC for MCP: calls of its own tools with arguments shaped by their input schemas, and everything else. */
function mcpMessage(): fc.Arbitrary<unknown> {
  const toolCall = fc
    .tuple(
      fc.nat(mcpTools.length - 1),
      fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileString }),
    )
    .chain(([index, name]) => {
      const tool = mcpTools[index] as (typeof mcpTools)[number];
      return fromSchema(tool.inputSchema).map((args) => ({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: name ?? tool.name, arguments: args },
      }));
    });
  const other = fc.constantFrom(
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'h', version: '1' } },
    },
    { jsonrpc: '2.0', id: 'x', method: 'tools/list' },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 2, method: 'resources/list' },
    { jsonrpc: '2.0', id: null, method: 'ping' },
    { jsonrpc: '1.0', id: 1, method: 'tools/list' },
    { id: 1, method: 'tools/call' },
  );
  return fc.oneof(
    { weight: 6, arbitrary: toolCall },
    { weight: 2, arbitrary: other },
    { weight: 1, arbitrary: fc.array(fc.oneof(toolCall, other), { maxLength: 3 }) },
    {
      weight: 1,
      arbitrary: fromSchema({ type: 'object', properties: { jsonrpc: {}, id: {}, method: {}, params: {} } }),
    },
  );
}

function headersFor(operation: Operation): fc.Arbitrary<Record<string, string>> {
  const knowledge = /knowledge|ingest/.test(operation.url);
  const authorization = fc.oneof(
    { weight: 10, arbitrary: fc.constant(owner.headers.authorization) },
    { weight: knowledge ? 10 : 0, arbitrary: fc.constant(`Bearer ${INGEST_TOKEN}`) },
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.constantFrom(
          '',
          'Bearer',
          'Bearer ',
          'bearer  x',
          'Basic Zm9vOmJhcg==',
          'Bearer a.b.c',
          'Bearer doable_pat_',
          `Bearer ${owner.accessToken}x`,
          `Bearer ${owner.refreshToken}`,
          other.headers.authorization,
        ),
        headerValue.map((value) => `Bearer ${value}`),
        headerValue,
      ),
    },
  );
  const accept = fc.oneof(
    { weight: operation.url === '/mcp' ? 8 : 0, arbitrary: fc.constant(MCP_HEADERS.accept) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'application/json',
        'text/event-stream',
        '*/*',
        'text/html',
        'application/xml',
      ),
    },
    { weight: 1, arbitrary: headerValue },
  );
  const optional = (name: string, value: fc.Arbitrary<string>) =>
    fc.option(
      value.map((v) => [name, v] as const),
      { freq: 3 },
    );
  return fc
    .tuple(
      fc.option(
        authorization.map((v) => ['authorization', v] as const),
        { freq: 12 },
      ),
      optional('accept', accept),
      ...operation.headers.map((header) =>
        optional(header.name, fc.oneof(fromSchema(header.schema).map(asText), headerValue)),
      ),
      optional('x-request-id', headerValue),
      optional('x-forwarded-for', headerValue),
      optional('origin', headerValue),
      optional('content-encoding', fc.constantFrom('gzip', 'br', 'identity', 'x')),
    )
    .map((entries) => Object.fromEntries(entries.filter((entry) => entry !== null)));
}

function requestFor(operation: Operation): fc.Arbitrary<InjectOptions> {
  return fc
    .record({
      params: fc.record(Object.fromEntries(operation.pathParams.map((name) => [name, pathParam(name)]))),
      // A route without query parameters refuses any before it reads the body, so strangers go to it now and
      // then (to be refused), and most of its requests still reach the body's validation.
      query:
        operation.query.length > 0
          ? fc.option(queryString(operation), { freq: 2 })
          : fc.oneof(
              { weight: 4, arbitrary: fc.constant(null) },
              { weight: 1, arbitrary: queryString(operation) },
            ),
      body: fc.option(bodyFor(operation), { freq: operation.method === 'GET' ? 8 : 20, nil: undefined }),
      headers: headersFor(operation),
    })
    .map(({ params, query, body, headers }) => {
      const url = `${fillPath(operation.url, params as Record<string, string>)}${query === null ? '' : `?${query}`}`;
      const all = { ...headers, ...(body?.type === undefined ? {} : { 'content-type': body.type }) };
      return {
        method: operation.method as InjectOptions['method'],
        url,
        headers: all,
        ...(body?.payload === undefined ? {} : { payload: body.payload }),
      };
    });
}

/** Paths that no route serves, with any method. */
const strayRequest: fc.Arbitrary<InjectOptions> = fc
  .tuple(
    fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
    fc.constantFrom(
      '/',
      '/api/',
      '/api/me/',
      '/api/auth/',
      '/mcp/',
      '/api/knowledge/',
      '/auth/',
      '/oauth/',
      '/oauth/interaction/',
      '/.well-known/',
    ),
    fc.array(hostileSegment, { minLength: 1, maxLength: 4 }),
  )
  .map(([method, prefix, segments]) => ({
    method: method as InjectOptions['method'],
    url: `${prefix}${segments.join('/')}`,
    headers: owner.headers,
  }));

/** What went wrong, one example per route and kind of failure, so that one run shows every fault. */
const failures = new Map<string, string>();

/** The write count after the last request: the count before the next one, which saves a query per request. */
let written: number | undefined;

async function checkRequest(request: InjectOptions) {
  const before = written ?? (await writes());
  const response = await injectAnswer(t.app, request);
  written = await writes();
  tally.add(response.statusCode);
  const route = `${request.method} ${String(request.url).split('?')[0]?.split('/').slice(0, 4).join('/')}`;
  try {
    expectSoundAnswer(request, response);
    if (response.statusCode >= 400) expect(written, 'a refused request wrote').toBe(before);
  } catch (error) {
    const kind = `${route} → ${response.statusCode} ${(error as Error).message.split('\n')[0]?.slice(-120)}`;
    if (!failures.has(kind)) failures.set(kind, JSON.stringify(request).slice(0, 2_000));
  }
}

/**
 * oidc-provider's endpoints, hidden from the OpenAPI document (they are OAuth's, listed in the authorization server
 * metadata): requests as OAuth clients build them, a query for the authorization endpoint, forms for the token
 * and revocation endpoints, JSON for registration, mostly well formed around Doable's known values and hostile
 * in every part, cookies included.
 */
const OAUTH: Operation[] = [
  ['GET', '/oauth/authorize'],
  ['GET', '/oauth/authorize/:uid'],
  ['GET', '/oauth/jwks'],
  ['POST', '/oauth/token'],
  ['POST', '/oauth/revoke'],
  ['POST', '/oauth/register'],
].map(([method, url]) => ({
  method: method as string,
  url: url as string,
  pathParams: url?.includes(':uid') ? ['uid'] : [],
  query: [],
  headers: [],
  body: undefined,
  bodyRequired: false,
}));

/** Now a value Doable knows or an OAuth client would send, now a hostile one. */
const oauthValue = (...values: string[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: hostileString });

function oauthParams(operation: Operation): fc.Arbitrary<Record<string, string>> {
  const { challenge, verifier } = pkce();
  const common = {
    client_id: oauthValue(oauth.clientId, `${oauth.base}/client.json`, 'https://127.0.0.1/client.json', ''),
    redirect_uri: oauthValue(oauth.redirectUri, `${oauth.redirectUri}x`, 'https://evil.example.com/cb'),
    resource: oauthValue(`${oauth.base}/mcp`, `${oauth.base}/api`, 'https://evil.example.com/mcp', 'urn:x'),
    scope: oauthValue('tasks:read tasks:write', 'assistant', 'account', 'openid offline_access', ''),
  };
  const shapes: Record<string, Record<string, fc.Arbitrary<string>>> = {
    '/oauth/authorize': {
      ...common,
      response_type: oauthValue('code', 'token', 'code id_token', 'none'),
      code_challenge: oauthValue(challenge, '', 'x'),
      code_challenge_method: oauthValue('S256', 'plain', 's256'),
      state: oauthValue('state-value'),
      prompt: oauthValue('consent', 'none', 'login', 'select_account'),
      response_mode: oauthValue('query', 'fragment', 'form_post', 'web_message', 'jwt'),
      nonce: oauthValue('n'),
      max_age: oauthValue('0', '-1', '99999999999'),
      request: oauthValue('eyJhbGciOiJub25lIn0.e30.'),
      request_uri: oauthValue('urn:ietf:params:oauth:request_uri:x'),
      claims: oauthValue('{"id_token":{"sub":{"value":"x"}}}', '{'),
    },
    '/oauth/token': {
      ...common,
      grant_type: oauthValue('authorization_code', 'refresh_token', 'client_credentials', 'password'),
      code: oauthValue('x', 'a'.repeat(43)),
      code_verifier: oauthValue(verifier, '', 'x'),
      refresh_token: oauthValue(oauth.refreshToken, `${oauth.refreshToken}x`, 'doable_ort_x'),
      client_secret: oauthValue('secret'),
      client_assertion_type: oauthValue('urn:ietf:params:oauth:client-assertion-type:jwt-bearer'),
      client_assertion: oauthValue('a.b.c'),
    },
    '/oauth/revoke': {
      client_id: common.client_id,
      token: oauthValue(oauth.refreshToken, oauth.accessToken, 'doable_oat_x', ''),
      token_type_hint: oauthValue('access_token', 'refresh_token', 'x'),
    },
  };
  const shape = shapes[operation.url] ?? {};
  return fc.record(shape, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;
}

/** A form body or query string; now and then a parameter twice, which OAuth refuses. */
const formOf = (params: Record<string, string>, twice: boolean) => {
  const entries = Object.entries(params);
  if (twice && entries[0]) entries.push(entries[0]);
  return entries.map(([key, value]) => `${encodeSegment(key)}=${encodeSegment(value)}`).join('&');
};

const registration: JsonSchema = {
  type: 'object',
  properties: {
    client_name: { type: 'string' },
    redirect_uris: { type: 'array', items: { type: 'string', format: 'uri' } },
    grant_types: { type: 'array', items: { enum: ['authorization_code', 'refresh_token', 'implicit', 'x'] } },
    response_types: { type: 'array', items: { enum: ['code', 'token', 'id_token', 'x'] } },
    token_endpoint_auth_method: { enum: ['none', 'client_secret_basic', 'private_key_jwt', 'x'] },
    application_type: { enum: ['web', 'native', 'x'] },
    scope: { type: 'string' },
    client_uri: { type: 'string', format: 'uri' },
    logo_uri: { type: 'string', format: 'uri' },
    contacts: { type: 'array', items: { type: 'string', format: 'email' } },
    jwks_uri: { type: 'string', format: 'uri' },
    jwks: { type: 'object', properties: { keys: { type: 'array', items: { type: 'object' } } } },
    client_id: { type: 'string' },
    client_secret: { type: 'string' },
  },
};

function oauthRequestFor(operation: Operation): fc.Arbitrary<InjectOptions> {
  const headers = fc
    .tuple(
      headersFor(operation),
      fc.option(
        headerValue.map((cookie) => ['cookie', cookie] as const),
        { freq: 4 },
      ),
      fc.option(
        fc
          .tuple(oauthValue(oauth.clientId), oauthValue('secret'))
          .map(
            ([id, secret]) =>
              ['authorization', `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`] as const,
          ),
        { freq: 6 },
      ),
    )
    .map(([base, cookie, basic]) => ({
      ...base,
      ...(cookie ? { [cookie[0]]: cookie[1] } : {}),
      ...(basic ? { [basic[0]]: basic[1] } : {}),
    }));
  const path = fc.record(Object.fromEntries(operation.pathParams.map((name) => [name, pathParam(name)])));
  if (operation.method === 'GET') {
    return fc
      .tuple(path, oauthParams(operation), fc.boolean(), headers)
      .map(([params, query, twice, all]) => ({
        method: 'GET',
        url: `${fillPath(operation.url, params as Record<string, string>)}?${formOf(query, twice)}`,
        headers: all,
      }));
  }
  const body: fc.Arbitrary<Body> =
    operation.url === '/oauth/register'
      ? fc.oneof(
          {
            weight: 8,
            arbitrary: fromSchema(registration).map((value) => ({
              payload: JSON.stringify(value) ?? '',
              type: 'application/json',
            })),
          },
          {
            weight: 2,
            arbitrary: fc.tuple(rawHostileBody, contentType).map(([payload, type]) => ({ payload, type })),
          },
        )
      : fc.oneof(
          {
            weight: 8,
            arbitrary: fc.tuple(oauthParams(operation), fc.boolean()).map(([params, twice]) => ({
              payload: formOf(params, twice),
              type: 'application/x-www-form-urlencoded',
            })),
          },
          {
            weight: 2,
            arbitrary: fc.tuple(rawHostileBody, contentType).map(([payload, type]) => ({ payload, type })),
          },
          {
            weight: 1,
            arbitrary: oauthParams(operation).map((params) => ({
              payload: JSON.stringify(params),
              type: 'application/json',
            })),
          },
        );
  return fc.tuple(body, headers).map(([{ payload, type }, all]) => ({
    method: 'POST',
    url: operation.url,
    headers: { ...all, ...(type === undefined ? {} : { 'content-type': type }) },
    ...(payload === undefined ? {} : { payload }),
  }));
}

/** MCP is served beside the OpenAPI document, not in it: its requests are JSON-RPC (see mcpMessage). */
const MCP: Operation = {
  method: 'POST',
  url: '/mcp',
  pathParams: [],
  query: [],
  headers: [],
  body: undefined,
  bodyRequired: true,
};

describe('hostile clients', () => {
  it('fuzz every route of the route table but the static files, with MCP beside the OpenAPI operations', () => {
    const covered = new Set([...operations(t.app), MCP, ...OAUTH].map((op) => `${op.method} ${op.url}`));
    const missing = routeTable(t.app)
      .filter((route) => !NOT_FUZZED.test(route.url) && !covered.has(`${route.method} ${route.url}`))
      .map((route) => `${route.method} ${route.url}`);
    // GET and DELETE /mcp are fixed 405 answers, which the stray requests below reach.
    expect(missing.filter((route) => !/^(GET|DELETE) \/mcp$/.test(route))).toEqual([]);
  });

  it('refuses a query parameter it does not know on every route of the JSON API, naming it, writing nothing', async () => {
    const before = await writes();
    const accepted: string[] = [];
    const json = operations(t.app).filter(
      (op) => /^\/(api|auth|chat|ingest)(\/|$)/.test(op.url) && !op.url.endsWith('/callback'),
    );
    for (const operation of json) {
      const params = Object.fromEntries(operation.pathParams.map((name) => [name, known[name]?.[0] ?? 'x']));
      const ingest = /documents|ingest/.test(operation.url) && operation.method !== 'GET';
      const response = await injectAnswer(t.app, {
        method: operation.method as InjectOptions['method'],
        url: `${fillPath(operation.url, params)}?unknown_parameter=1`,
        headers: ingest ? { authorization: `Bearer ${INGEST_TOKEN}` } : owner.headers,
        ...(operation.body ? { payload: exampleOf(operation.body) as object } : {}),
      });
      const problem = response.statusCode === 400 ? response.json() : undefined;
      if (problem?.errors?.[0]?.field !== 'query.unknown_parameter')
        accepted.push(
          `${operation.method} ${operation.url} → ${response.statusCode} ${response.body.slice(0, 200)}`,
        );
    }
    expect(accepted).toEqual([]);
    expect(json.length).toBeGreaterThan(30);
    expect(await writes()).toBe(before);
    written = undefined;
  });

  it(
    'never answers a 5xx, always a problem, a refusal writes nothing and no prototype is polluted',
    async () => {
      const prototype = Object.getOwnPropertyNames(Object.prototype);
      const all = [...operations(t.app), MCP];
      const runs = Math.max(3, Math.ceil(RUNS / (all.length + OAUTH.length + 1)));
      for (const operation of all) {
        await fc.assert(fc.asyncProperty(requestFor(operation), checkRequest), { numRuns: runs });
      }
      for (const operation of OAUTH) {
        await fc.assert(fc.asyncProperty(oauthRequestFor(operation), checkRequest), { numRuns: runs * 3 });
      }
      await fc.assert(fc.asyncProperty(strayRequest, checkRequest), { numRuns: runs });
      expect([...failures].map(([kind, request]) => `${kind}\n    ${request}`)).toEqual([]);
      expect(tally.serverErrors).toBe(0);
      // `__proto__` and `constructor` keys were sent by the thousand: none reached a prototype.
      expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototype);
    },
    Math.max(600_000, RUNS * 200),
  );
});
