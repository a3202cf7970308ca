import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../bench/lib.ts';
import { expandScopes, OAUTH_SCOPES, SCOPES, type Scope } from '../src/auth/index.ts';
import { connectApp } from '../src/auth/testing.ts';
import { createTestApp, registerUser, type TestApp, type TestUser } from './helpers.ts';
import {
  countWrites,
  exampleOf,
  expectSoundAnswer,
  fillPath,
  injectAnswer,
  operations,
  type Route,
  routeTable,
  succeed,
} from './hostile.ts';

/**
 * The authorization matrix: every route of the route table × every credential that must not get in, generated from
 * the app itself, so that a route added tomorrow is in it (or must be declared public here, with the reason).
 * The requests aim at the first user's data: their user id and their task, conversation and token ids.
 */

/** Routes anyone may call, and why. Everything else must refuse each credential below. */
const PUBLIC: Array<[RegExp, string]> = [
  [/^GET \/(docs|redoc|openapi\.json)\b/, 'the API documentation is public'],
  [/^GET \/(index\.html|favicon\.svg|assets\/.*)?$/, 'the web page, which signs in from the browser'],
  [/^GET \/health\b/, 'probes for load balancers and orchestrators'],
  [/^GET \/api$/, 'name, version and links'],
  [/^POST \/(api\/)?auth\/(register|signup|login|signin)$/, 'where a token comes from'],
  [
    /^POST \/(api\/)?auth\/refresh$/,
    'the refresh token is the credential (auth.test.ts covers reuse and expiry)',
  ],
  [
    /^POST \/(api\/)?auth\/(logout|signout)$/,
    'without a session it ends nothing (auth.test.ts covers whose it ends)',
  ],
  [/^GET \/api\/auth\/(providers|oauth\/:provider(\/callback)?)$/, 'outside sign-in starts before any token'],
  [/^(GET|DELETE) \/mcp$/, 'a fixed 405: MCP here is stateless, POST only'],
  [/^GET \/\.well-known\/[\w/-]+$/, 'metadata: where MCP clients sign in (RFC 9728, RFC 8414)'],
  [
    /^GET \/oauth\/(jwks|authorize(\/:uid)?)$/,
    'the OAuth server for MCP clients: a sign-in starts before any token; the person decides on the page below',
  ],
  [
    /^POST \/oauth\/(token|revoke|register)$/,
    'OAuth endpoints, which check codes, refresh tokens and clients themselves (mcp-oauth.hostile.test.ts)',
  ],
  [
    /^GET \/oauth\/interaction\/:uid\/details$/,
    'what the consent page shows of a sign-in, to the browser holding its cookie (mcp-oauth.test.ts)',
  ],
];

const CREDENTIALS = [
  'no token',
  'garbage',
  'expired',
  'forged',
  "another user's token",
  'revoked API token',
  'disconnected app',
  'deleted user',
] as const;
type Credential = (typeof CREDENTIALS)[number];

const MARKER = `owner-secret-${randomBytes(6).toString('hex')}`;
const INGEST_TOKEN = 'authorization-matrix-ingest-token';

let t: TestApp;
let owner: TestUser;
let ownerIds: Record<string, string>;
let authorization: Record<Credential, string | undefined>;
let writes: () => Promise<number>;
let shift = 0;
let base: string;

beforeAll(async () => {
  // Knowledge routes are open to anonymous askers by default; here they need an account, so they are in the matrix.
  // Listening, at the address it is the OAuth issuer of, so that apps can connect as MCP clients do.
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  t = await createTestApp({
    env: { ASK_REQUIRES_ACCOUNT: 'true', INGEST_TOKEN, PUBLIC_URL: base },
    clock: () => new Date(Date.now() + shift),
  });
  await t.app.listen({ host: '127.0.0.1', port });
  owner = await registerUser(t.app);
  const task = await succeed(t.app, owner, 'POST', '/api/me/tasks', {
    title: `${MARKER} task`,
    description: MARKER,
  });
  const list = await succeed(t.app, owner, 'POST', '/api/me/lists', { name: `${MARKER} list` });
  // Someone the list is shared with (an address no user here has): the members' routes aim at them.
  const member = await succeed(t.app, owner, 'POST', `/api/me/lists/${list.id}/members`, {
    email: `${MARKER}@example.com`,
    role: 'viewer',
  });
  await succeed(t.app, owner, 'POST', '/api/me/tasks', { title: `${MARKER} listed`, list_id: list.id });
  const deletedTask = await succeed(t.app, owner, 'POST', '/api/me/tasks', { title: `${MARKER} deleted` });
  await succeed(t.app, owner, 'DELETE', `/api/me/tasks/${deletedTask.id}`);
  const chat = await succeed(t.app, owner, 'POST', '/api/me/chat', {
    message: `add ${MARKER} errand tomorrow`,
  });
  const token = await succeed(t.app, owner, 'POST', '/api/auth/tokens', { name: `${MARKER} script` });
  const revoked = await succeed(t.app, owner, 'POST', '/api/auth/tokens', { name: `${MARKER} revoked` });
  await succeed(t.app, owner, 'DELETE', `/api/auth/tokens/${revoked.id}`);
  const ingested = await t.app.inject({
    method: 'POST',
    url: '/api/knowledge/documents',
    headers: { authorization: `Bearer ${INGEST_TOKEN}` },
    payload: [{ path: 'guide.md', content: '# Guide\n\nHow tasks repeat.' }],
  });
  await connectApp(base, owner.accessToken, { metadata: { client_name: `${MARKER} app` } });
  const disconnected = await connectApp(base, owner.accessToken, { metadata: { client_name: 'gone' } });
  const apps = await succeed(t.app, owner, 'GET', '/api/auth/connected-apps');
  const gone = apps.find((app: { name: string }) => app.name === 'gone');
  await succeed(t.app, owner, 'DELETE', `/api/auth/connected-apps/${gone.id}`);
  ownerIds = {
    task_id: String(task.id),
    deleted_task_id: String(deletedTask.id),
    list_id: String(list.id),
    member_id: String(member.id),
    conversation_id: String(chat.conversation_id),
    id: token.id,
    document_id: ingested.json().documents[0].id,
    connected_app_id: apps.find((app: { name: string }) => app.name !== 'gone').id,
    // A sign-in of the owner's would need their browser's cookie; no other credential gets that far.
    uid: 'the-owners-sign-in',
  };

  shift = -20 * 60_000;
  const expired = await succeed(t.app, owner, 'POST', '/api/auth/login', {
    email: owner.email,
    password: owner.password,
  });
  shift = 0;
  const other = await registerUser(t.app);
  const deleted = await registerUser(t.app);
  await t.database.db.execute(sql`delete from users where id = ${deleted.id}`);
  const forged = await new SignJWT({ typ: 'access', email: owner.email })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(owner.id)
    .setIssuer('doable')
    .setAudience('doable')
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode('not-the-secret-but-just-as-long-0123456789abcdef'));
  authorization = {
    'no token': undefined,
    garbage: 'Bearer not-a-token',
    expired: `Bearer ${expired.access_token}`,
    forged: `Bearer ${forged}`,
    "another user's token": other.headers.authorization,
    'revoked API token': `Bearer ${revoked.token}`,
    'disconnected app': `Bearer ${disconnected.accessToken}`,
    'deleted user': deleted.headers.authorization,
  };
  writes = await countWrites(t.database);
}, 120_000);
afterAll(() => t?.close());

const isPublic = (route: Route) => PUBLIC.some(([pattern]) => pattern.test(`${route.method} ${route.url}`));

/** The owner's own view of their data, to show that an answered request by someone else changed none of it. */
async function ownerView(): Promise<string> {
  const urls = [
    '/api/me/tasks?status=all',
    '/api/me/lists',
    `/api/me/lists/${ownerIds.list_id}/members`,
    '/api/me/conversations',
    '/api/auth/tokens',
    '/api/auth/connected-apps',
  ];
  const bodies = await Promise.all(urls.map((url) => succeed(t.app, owner, 'GET', url)));
  return JSON.stringify(bodies);
}

interface Cell {
  route: Route;
  credential: Credential;
  request: InjectOptions;
  /** What another user must get: 403 for the owner's user id in the path, 404 for the owner's resource ids. */
  expected: number[];
}

/** The request of one cell: the owner's ids in the path, a body the route would accept from its owner. */
function cellsFor(route: Route): Cell[] {
  const operation = operations(t.app).find((op) => op.method === route.method && op.url === route.url);
  const body = bodyFor(route, operation?.body ? exampleOf(operation.body) : undefined);
  const ids = {
    ...ownerIds,
    user_id: owner.id,
    id: route.url.startsWith('/api/knowledge')
      ? (ownerIds.document_id as string)
      : route.url.startsWith('/api/auth/connected-apps')
        ? (ownerIds.connected_app_id as string)
        : (ownerIds.id as string),
    // A restore aims at the owner's deleted task, which only the owner may bring back.
    ...(route.url.endsWith('/restore') ? { task_id: ownerIds.deleted_task_id as string } : {}),
  };
  const request = (url: string, credential: Credential): InjectOptions => ({
    method: route.method as InjectOptions['method'],
    url,
    headers: {
      ...(authorization[credential] ? { authorization: authorization[credential] } : {}),
      ...(route.url === '/mcp' ? { accept: 'application/json, text/event-stream' } : {}),
    },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  const ownsSomething = /:(task_id|conversation_id|list_id|member_id)|\/chat$/.test(route.url);
  const cells: Cell[] = CREDENTIALS.map((credential) => ({
    route,
    credential,
    request: request(fillPath(route.url, ids), credential),
    expected:
      credential !== "another user's token"
        ? [401]
        : route.url.includes(':user_id')
          ? [403]
          : /^\/api\/auth\/(tokens|connected-apps)\//.test(route.url)
            ? [404]
            : /knowledge\/documents|ingest/.test(route.url) && route.method !== 'GET'
              ? [403]
              : [],
  }));
  // Another user who puts "me" in the path reaches their own tasks: the owner's ids in it must be 404.
  if (route.url.includes(':user_id')) {
    cells.push({
      route,
      credential: "another user's token",
      request: request(fillPath(route.url, { ...ids, user_id: 'me' }), "another user's token"),
      expected: ownsSomething ? [404] : [],
    });
  }
  return cells;
}

function bodyFor(route: Route, example: unknown): unknown {
  if (route.url.endsWith('/chat') && route.url.includes(':user_id'))
    return { message: `complete ${MARKER} task`, conversation_id: Number(ownerIds.conversation_id) };
  if (route.url === '/mcp') {
    return {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'update_task', arguments: { task_id: Number(ownerIds.task_id), title: 'taken over' } },
    };
  }
  return example;
}

describe('authorization matrix', () => {
  it('covers every route of the route table that is not declared public, with a reason', () => {
    const routes = routeTable(t.app);
    const exempt = routes.filter(isPublic).map((route) => `${route.method} ${route.url}`);
    for (const [pattern, reason] of PUBLIC) {
      expect(
        exempt.some((route) => pattern.test(route)),
        `${pattern} (${reason}) matches no route`,
      ).toBe(true);
    }
    const protectedRoutes = routes.filter((route) => !isPublic(route)).map((r) => `${r.method} ${r.url}`);
    expect(protectedRoutes).toEqual(
      expect.arrayContaining([
        'GET /api/auth/me',
        'DELETE /api/auth/tokens/:id',
        'PATCH /api/:user_id/tasks/:task_id/complete',
        'POST /api/:user_id/tasks/:task_id/restore',
        'GET /api/:user_id/lists',
        'POST /api/:user_id/lists',
        'GET /api/:user_id/lists/:list_id',
        'PATCH /api/:user_id/lists/:list_id',
        'DELETE /api/:user_id/lists/:list_id',
        'GET /api/:user_id/lists/:list_id/members',
        'POST /api/:user_id/lists/:list_id/members',
        'PATCH /api/:user_id/lists/:list_id/members/:member_id',
        'DELETE /api/:user_id/lists/:list_id/members/:member_id',
        'POST /api/:user_id/lists/:list_id/membership',
        'DELETE /api/:user_id/lists/:list_id/membership',
        'GET /api/:user_id/invitations',
        'POST /api/users/:user_id/chat',
        'GET /api/:user_id/conversations/:conversation_id/messages',
        'POST /mcp',
        'POST /ingest',
        'POST /api/knowledge/ask',
        'POST /oauth/interaction/:uid/decision',
        'GET /api/auth/connected-apps',
        'DELETE /api/auth/connected-apps/:id',
      ]),
    );
  });

  it('refuses every credential but the owner’s, leaks nothing of theirs and writes nothing', async () => {
    const cells = routeTable(t.app)
      .filter((route) => !isPublic(route))
      .flatMap(cellsFor);
    const problems: string[] = [];
    const statuses = new Map<string, number>();
    let leaks = 0;
    const viewBefore = await ownerView();
    for (const cell of cells) {
      const before = await writes();
      const response = await injectAnswer(t.app, cell.request);
      const name = `${cell.credential} → ${cell.request.method} ${cell.request.url}: ${response.statusCode}`;
      const key = `${cell.credential} ${response.statusCode}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      try {
        expectSoundAnswer(cell.request, response);
        if (cell.expected.length > 0) expect(cell.expected).toContain(response.statusCode);
        if (response.statusCode >= 400) expect(await writes(), 'a refused request wrote').toBe(before);
      } catch (error) {
        problems.push(`${name} ${(error as Error).message.split('\n')[0]}`);
      }
      if (response.body.includes(MARKER) || response.body.includes(owner.email)) {
        leaks += 1;
        problems.push(`${name} leaks the owner's data: ${response.body.slice(0, 200)}`);
      }
    }
    expect(await ownerView(), "the owner's data changed").toBe(viewBefore);
    // Nobody else took the owner's deleted task: the owner still brings it back.
    await succeed(t.app, owner, 'POST', `/api/me/tasks/${ownerIds.deleted_task_id}/restore`);
    const routes = new Set(cells.map((cell) => `${cell.route.method} ${cell.route.url}`)).size;
    console.log(
      `authorization matrix: ${cells.length} requests (${routes} routes × ${CREDENTIALS.length} credentials, ` +
        `and "me" paths for another user); leaks: ${leaks}; failures: ${problems.length}\n` +
        [...statuses].map(([key, count]) => `  ${key}: ${count}`).join('\n'),
    );
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('scopes of personal API tokens and connected apps', () => {
  /** Refusals that come before the scope check and are not about scope: the route is not for tokens at all. */
  const REFUSED_FIRST = ['auth.session_required', 'knowledge.admin_only'];

  it('has every authenticated route declare the scope a token needs', () => {
    const undeclared = routeTable(t.app)
      .filter((route) => !isPublic(route))
      .filter((route) => t.app.declaredScope(route.method, route.url) === undefined)
      .map((route) => `${route.method} ${route.url}`);
    expect(undeclared, 'declare config.scope on these routes (see src/auth/scopes.ts)').toEqual([]);
    for (const route of routeTable(t.app)) {
      const scope = t.app.declaredScope(route.method, route.url);
      if (scope) expect(SCOPES).toContain(scope);
    }
  });

  it('lets a token of each scope through exactly the routes its scope covers, else 403 insufficient_scope', async () => {
    const user = await registerUser(t.app);
    const task = await succeed(t.app, user, 'POST', '/api/me/tasks', { title: 'scoped' });
    const list = await succeed(t.app, user, 'POST', '/api/me/lists', { name: 'scoped' });
    const chat = await succeed(t.app, user, 'POST', '/api/me/chat', { message: 'add scoped errand' });
    // Personal API tokens of every scope, and apps connected by OAuth with each scope an app may have: an app's
    // token must get exactly what a personal token of the same scope gets.
    const tokens: Array<{ kind: 'personal token' | 'connected app'; scope: Scope; token: string }> = [];
    for (const scope of SCOPES) {
      const created = await succeed(t.app, user, 'POST', '/api/auth/tokens', {
        name: scope,
        scopes: [scope],
      });
      tokens.push({ kind: 'personal token', scope, token: created.token });
    }
    for (const scope of OAUTH_SCOPES) {
      const app = await connectApp(base, user.accessToken, { scope });
      tokens.push({ kind: 'connected app', scope, token: app.accessToken });
    }
    // Its first use records last_used_at; done here, so that the refusals below can be shown to write nothing.
    for (const { token } of tokens) {
      await t.app.inject({
        method: 'GET',
        url: '/api/me/tasks',
        headers: { authorization: `Bearer ${token}` },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ids = {
      user_id: user.id,
      task_id: String(task.id),
      list_id: String(list.id),
      member_id: '1',
      conversation_id: String(chat.conversation_id),
      id: '00000000-0000-4000-8000-000000000000',
      uid: 'no-such-sign-in',
    };
    const problems: string[] = [];
    const verdicts = new Map<string, string>();
    let allowed = 0;
    let refused = 0;
    for (const route of routeTable(t.app).filter((r) => !isPublic(r))) {
      const declared = t.app.declaredScope(route.method, route.url);
      if (!declared) continue;
      // MCP's route lets any task token in; the call in the body (update_task) needs tasks:write.
      const needed: Scope = route.url === '/mcp' ? 'tasks:write' : declared;
      const operation = operations(t.app).find((op) => op.method === route.method && op.url === route.url);
      const body = bodyFor(route, operation?.body ? exampleOf(operation.body) : undefined);
      for (const { kind, scope, token } of tokens) {
        const before = await writes();
        const response = await injectAnswer(t.app, {
          method: route.method as InjectOptions['method'],
          url: fillPath(route.url, ids),
          headers: {
            authorization: `Bearer ${token}`,
            ...(route.url === '/mcp' ? { accept: 'application/json, text/event-stream' } : {}),
          },
          ...(body === undefined ? {} : { payload: body as object }),
        });
        const code = response.statusCode >= 400 ? response.json().code : undefined;
        const name = `${kind} ${scope} → ${route.method} ${route.url}: ${response.statusCode} ${code ?? ''}`;
        // Whether the credential was let through, or which refusal stopped it: the same for both kinds. (Statuses
        // past the check may differ: the personal token's call ran first and deleted the task.)
        const verdict = [...REFUSED_FIRST, 'auth.insufficient_scope'].includes(code) ? code : 'let through';
        const key = `${scope} ${route.method} ${route.url}`;
        if (kind === 'personal token') verdicts.set(key, verdict);
        else if (verdicts.get(key) !== verdict)
          problems.push(`${name}, where a personal token was ${verdicts.get(key)}`);
        if (expandScopes([scope]).has(needed)) {
          allowed += 1;
          if (code === 'auth.insufficient_scope') problems.push(`${name}, but ${scope} covers ${needed}`);
        } else if (REFUSED_FIRST.includes(code)) {
          refused += 1;
        } else {
          refused += 1;
          if (response.statusCode !== 403 || code !== 'auth.insufficient_scope') {
            problems.push(`${name}, expected 403 auth.insufficient_scope`);
          } else if (
            // The route's own scope is checked first; a tool's after it.
            response.headers['www-authenticate'] !==
            `Bearer error="insufficient_scope", scope="${expandScopes([scope]).has(declared) ? needed : declared}"` +
              // /mcp names its resource metadata, as its 401 does: where an OAuth client steps up.
              (route.url === '/mcp'
                ? `, resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`
                : '')
          ) {
            problems.push(`${name}: WWW-Authenticate ${response.headers['www-authenticate']}`);
          } else if ((await writes()) !== before) {
            problems.push(`${name}: the refusal wrote`);
          }
        }
      }
    }
    console.log(`scope matrix: ${allowed} allowed, ${refused} refused`);
    expect(problems).toEqual([]);
  }, 180_000);
});

describe('sharing matrix', () => {
  /** Everyone a shared list may meet, but its owner. */
  const ROLES = ['editor', 'viewer', 'left', 'removed', 'invitee', 'stranger'] as const;
  type Role = (typeof ROLES)[number];
  const MEMBERS: readonly Role[] = ['editor', 'viewer'];
  const SECRET = `shared-secret-${randomBytes(6).toString('hex')}`;
  /** What a cell must answer: a status and the problem's code; `skip` for what changes the membership itself. */
  type Expected = { status: number; code?: string } | 'allowed' | 'skip';

  let sharer: TestUser;
  let people: Record<Role, TestUser>;
  let ids: Record<string, string>;

  beforeAll(async () => {
    sharer = await registerUser(t.app);
    const list = await succeed(t.app, sharer, 'POST', '/api/me/lists', { name: `${SECRET} list` });
    const task = await succeed(t.app, sharer, 'POST', '/api/me/tasks', {
      title: `${SECRET} task`,
      list_id: list.id,
      tags: [SECRET],
    });
    const deleted = await succeed(t.app, sharer, 'POST', '/api/me/tasks', {
      title: `${SECRET} deleted`,
      list_id: list.id,
    });
    await succeed(t.app, sharer, 'DELETE', `/api/me/tasks/${deleted.id}`);
    people = Object.fromEntries(
      await Promise.all(ROLES.map(async (role) => [role, await registerUser(t.app)])),
    ) as Record<Role, TestUser>;
    const invite = (role: Role, as: 'editor' | 'viewer') =>
      succeed(t.app, sharer, 'POST', `/api/me/lists/${list.id}/members`, {
        email: people[role].email,
        role: as,
      });
    const accept = (role: Role) =>
      succeed(t.app, people[role], 'POST', `/api/me/lists/${list.id}/membership`);
    await invite('editor', 'editor');
    await accept('editor');
    const viewer = await invite('viewer', 'viewer');
    await accept('viewer');
    await invite('left', 'editor');
    await accept('left');
    await succeed(t.app, people.left, 'DELETE', `/api/me/lists/${list.id}/membership`);
    const removed = await invite('removed', 'editor');
    await accept('removed');
    await succeed(t.app, sharer, 'DELETE', `/api/me/lists/${list.id}/members/${removed.id}`);
    await invite('invitee', 'editor');
    ids = {
      user_id: 'me',
      list_id: String(list.id),
      task_id: String(task.id),
      deleted_task_id: String(deleted.id),
      member_id: String(viewer.id),
    };
  });

  /** The routes that reach a list, its members, its tasks, or what is made of them (tags, the export). */
  const inScope = (route: Route) =>
    /^\/api\/:user_id\/(lists|tasks|tags|invitations|export)\b/.test(route.url) &&
    !(route.method === 'POST' && route.url === '/api/:user_id/lists');

  function expectation(method: string, url: string, role: Role): Expected {
    const member = MEMBERS.includes(role);
    const route = `${method} ${url}`;
    const notFound = (code: string) => ({ status: 404, code });
    if (route === 'POST /api/:user_id/lists/:list_id/membership')
      return member ? { status: 200 } : role === 'invitee' ? 'skip' : notFound('lists.invitation_not_found');
    if (route === 'DELETE /api/:user_id/lists/:list_id/membership')
      return member || role === 'invitee' ? 'skip' : notFound('lists.not_found');
    if (/^(PATCH|DELETE) \/api\/:user_id\/lists\/:list_id$|^(POST|PATCH|DELETE) .*\/members/.test(route))
      return member ? { status: 403, code: 'lists.owner_only' } : notFound('lists.not_found');
    if (/^GET .*\/lists\/:list_id/.test(route) || route === 'GET /api/:user_id/tasks?list_id')
      return member ? { status: 200 } : notFound('lists.not_found');
    if (route.endsWith('/restore')) return notFound('tasks.not_found');
    if (route === 'GET /api/:user_id/tasks/:task_id')
      return member ? { status: 200 } : notFound('tasks.not_found');
    if (/\/tasks\/:task_id/.test(route))
      return role === 'editor'
        ? 'allowed'
        : role === 'viewer'
          ? { status: 403, code: 'lists.read_only' }
          : notFound('tasks.not_found');
    if (route === 'POST /api/:user_id/tasks' || route === 'POST /api/:user_id/tasks/quick')
      return role === 'editor'
        ? 'allowed'
        : role === 'viewer'
          ? { status: 403, code: 'lists.read_only' }
          : notFound('lists.not_found');
    return { status: 200 };
  }

  function bodyOf(method: string, url: string): object | undefined {
    const list_id = Number(ids.list_id);
    if (url === '/api/:user_id/tasks' && method === 'POST') return { title: 'matrix', list_id };
    if (url === '/api/:user_id/tasks/quick') return { text: 'matrix', list_id };
    if (url === '/api/:user_id/tasks/quick/preview') return { text: 'matrix' };
    if (url.endsWith('/complete')) return {};
    if (/\/tasks\/:task_id$/.test(url) && (method === 'PUT' || method === 'PATCH'))
      return { title: 'matrix' };
    if (url === '/api/:user_id/lists/:list_id' && method === 'PATCH') return { name: 'matrix' };
    if (url.endsWith('/members') && method === 'POST') return { email: 'matrix@example.com', role: 'viewer' };
    if (url.endsWith('/members/:member_id') && method === 'PATCH') return { role: 'editor' };
    return undefined;
  }

  /** The sharer's own view of the list, its members and its tasks. */
  const sharerView = async () =>
    JSON.stringify(
      await Promise.all(
        [
          '/api/me/tasks?status=all',
          '/api/me/lists',
          `/api/me/lists/${ids.list_id}/members`,
          '/api/me/tags',
          '/api/me/export',
        ].map((url) => succeed(t.app, sharer, 'GET', url)),
      ),
    ).replace(/"exported_at":"[^"]+"/, '');

  it('answers every role on every route of a list, its members and its tasks as specified, leaking nothing', async () => {
    const routes = routeTable(t.app).filter(inScope);
    const cells = routes.flatMap((route) => [
      ...ROLES.map((role) => ({ method: route.method, url: route.url, role })),
      // A list's tasks by its id, the filter of the list route.
      ...(route.method === 'GET' && route.url === '/api/:user_id/tasks'
        ? ROLES.map((role) => ({ method: 'GET', url: '/api/:user_id/tasks?list_id', role }))
        : []),
    ]);
    const before = await sharerView();
    const problems: string[] = [];
    const tally = new Map<string, number>();
    let leaks = 0;
    let ran = 0;
    for (const { method, url, role } of cells) {
      const expected = expectation(method, url, role);
      if (expected === 'skip' || expected === 'allowed') continue;
      const path = url.endsWith('?list_id')
        ? `/api/me/tasks?list_id=${ids.list_id}`
        : fillPath(url, url.endsWith('/restore') ? { ...ids, task_id: ids.deleted_task_id as string } : ids);
      const request: InjectOptions = {
        method: method as InjectOptions['method'],
        url: path,
        headers: people[role].headers,
        ...(bodyOf(method, url) === undefined ? {} : { payload: bodyOf(method, url) }),
      };
      const writesBefore = await writes();
      const response = await t.app.inject(request);
      ran += 1;
      const name = `${role} → ${method} ${path}: ${response.statusCode} ${response.body.slice(0, 160)}`;
      const key = `${role} ${response.statusCode}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
      try {
        expectSoundAnswer(request, response);
        expect(response.statusCode).toBe(expected.status);
        if (expected.code) expect(response.json().code).toBe(expected.code);
        // A refusal, and any read, writes nothing (the editor's accepting again included).
        expect(await writes(), 'it wrote').toBe(writesBefore);
      } catch (error) {
        problems.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
      }
      // Who is not a member sees nothing of the list; the invitee only its name and owner, among invitations.
      const mayRead = MEMBERS.includes(role) || (role === 'invitee' && url === '/api/:user_id/invitations');
      const secretInExport = url === '/api/:user_id/export' && response.body.includes(SECRET);
      if (
        (!mayRead && (response.body.includes(SECRET) || response.body.includes(sharer.email))) ||
        secretInExport
      ) {
        leaks += 1;
        problems.push(`${name} leaks the shared list`);
      }
    }
    expect(await sharerView(), "the sharer's data changed").toBe(before);
    console.log(
      `sharing matrix: ${ran} requests (${routes.length} routes × ${ROLES.length} roles); leaks: ${leaks}; ` +
        `failures: ${problems.length}\n${[...tally].map(([key, count]) => `  ${key}: ${count}`).join('\n')}`,
    );
    expect(problems).toEqual([]);
    expect(leaks).toBe(0);
  }, 120_000);

  it('lets the editor make every change it refuses the viewer, each task staying the sharer’s', async () => {
    const routes = routeTable(t.app).filter(inScope);
    let allowed = 0;
    for (const route of routes) {
      if (expectation(route.method, route.url, 'editor') !== 'allowed') continue;
      const fresh = await succeed(t.app, sharer, 'POST', '/api/me/tasks', {
        title: 'fresh',
        list_id: Number(ids.list_id),
      });
      const response = await t.app.inject({
        method: route.method as InjectOptions['method'],
        url: fillPath(route.url, { ...ids, task_id: String(fresh.id) }),
        headers: people.editor.headers,
        ...(bodyOf(route.method, route.url) === undefined
          ? {}
          : { payload: bodyOf(route.method, route.url) }),
      });
      expect(response.statusCode, `${route.method} ${route.url}: ${response.body}`).toBeLessThan(300);
      if (response.body) expect(response.json().user_id).toBe(sharer.id);
      allowed += 1;
    }
    expect(allowed).toBe(6);
  });
});
