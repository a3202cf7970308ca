import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { toNodeHandler } from 'better-auth/node';
import { jwt } from 'better-auth/plugins';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, type TestApp, uniqueEmail } from '../../test/helpers.ts';

const SECRET = randomBytes(32).toString('hex');
const server = createServer();
let baseUrl: string;
let auth: ReturnType<typeof startBetterAuth>;
let t: TestApp;

/** A real Better Auth server with its JWT plugin, in memory, as a front end would run it. */
function startBetterAuth(url: string) {
  return betterAuth({
    baseURL: url,
    secret: SECRET,
    database: memoryAdapter({ user: [], session: [], account: [], verification: [], jwks: [] }),
    emailAndPassword: { enabled: true },
    plugins: [jwt()],
    telemetry: { enabled: false },
    logger: { disabled: true },
  });
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  auth = startBetterAuth(baseUrl);
  server.on('request', toNodeHandler(auth));
  t = await createTestApp({ env: { BETTER_AUTH_URL: baseUrl, BETTER_AUTH_SECRET: SECRET } });
});

afterAll(async () => {
  server.close();
  await t?.close();
});

/** Signs up through Better Auth's own endpoint and returns its user and session cookie. */
async function signUp(email = uniqueEmail('ba')) {
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password: 'correct horse battery staple', name: 'Better User' }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { user: { id: string; email: string } };
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return { user: body.user, cookie };
}

async function jwtFor(cookie: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/token`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

function call(url: string, token: string) {
  return t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
}

const hs256 = (claims: Record<string, unknown>, secret = SECRET, expiresIn: number | string = '15m') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));

function expectRefused(response: { statusCode: number; json: () => { code: string } }, code: string) {
  expect(response.statusCode).toBe(401);
  expect(response.json().code).toBe(code);
}

describe('tokens from a real Better Auth server (JWT plugin, keys at its JWKS)', () => {
  it('accepts its token and makes the first one of an unknown subject that same user', async () => {
    const { user, cookie } = await signUp();
    const token = await jwtFor(cookie);

    const me = await call('/api/auth/me', token);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.id, email: user.email, name: 'Better User' });

    const verify = await t.app.inject({ method: 'POST', url: '/api/auth/verify', payload: { token } });
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toMatchObject({ valid: true, user_id: user.id, email: user.email });
    expect(new Date(verify.json().expires_at).getTime()).toBeGreaterThan(Date.now());
  });

  it('accepts the token Better Auth hands out in the set-auth-jwt header of get-session', async () => {
    const { user, cookie } = await signUp();
    const session = await fetch(`${baseUrl}/api/auth/get-session`, { headers: { cookie } });
    const token = session.headers.get('set-auth-jwt') ?? '';
    expect(token.split('.')).toHaveLength(3);
    expect((await call('/api/auth/me', token)).json().id).toBe(user.id);
  });

  it('does not give a Better Auth user the Doable account that has the same email', async () => {
    const owner = await registerUser(t.app, { email: uniqueEmail('owner') });
    const { user, cookie } = await signUp(owner.email);
    const me = await call('/api/auth/me', await jwtFor(cookie));
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.id, email: null });
    expect(me.json().id).not.toBe(owner.id);
  });

  it('refuses a token signed by its key for another issuer or another audience', async () => {
    const { user } = await signUp();
    const { token: proper } = await auth.api.signJWT({ body: { payload: { sub: user.id } } });
    expect((await call('/api/auth/me', proper)).statusCode).toBe(200);
    for (const claims of [{ iss: 'https://evil.example' }, { aud: 'https://other.example' }]) {
      const { token } = await auth.api.signJWT({ body: { payload: { sub: user.id, ...claims } } });
      expectRefused(await call('/api/auth/me', token), 'auth.invalid_token');
    }
  });

  it('refuses one of its tokens whose payload was changed', async () => {
    const { cookie } = await signUp();
    const victim = await signUp();
    const [header, payload, signature] = (await jwtFor(cookie)).split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: victim.user.id })).toString('base64url');
    expectRefused(await call('/api/auth/me', `${header}.${forged}.${signature}`), 'auth.invalid_token');
  });
});

describe('HS256 tokens signed with BETTER_AUTH_SECRET', () => {
  it('accepts one naming the user in sub, creating the user on first sight', async () => {
    const id = `ba-${randomBytes(6).toString('hex')}`;
    const token = await hs256({ sub: id, email: uniqueEmail('hs'), name: 'Shared Secret' });
    const me = await call('/api/auth/me', token);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id, name: 'Shared Secret' });
  });

  it('accepts one naming the user in a userId claim instead of sub', async () => {
    const id = `ba-${randomBytes(6).toString('hex')}`;
    const token = await hs256({ userId: id });
    expect((await call('/api/auth/me', token)).json().id).toBe(id);
    const verify = await t.app.inject({ method: 'POST', url: '/api/auth/verify', payload: { token } });
    expect(verify.json()).toMatchObject({ valid: true, user_id: id });
  });

  it('refuses one signed with another secret, expired, unsigned or tampered with', async () => {
    const id = `ba-${randomBytes(6).toString('hex')}`;
    expectRefused(
      await call('/api/auth/me', await hs256({ sub: id }, randomBytes(32).toString('hex'))),
      'auth.invalid_token',
    );
    expectRefused(
      await call('/api/auth/me', await hs256({ sub: id }, SECRET, Math.floor(Date.now() / 1000) - 60)),
      'auth.token_expired',
    );

    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + 600;
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: id, exp })}.`;
    expectRefused(await call('/api/auth/me', unsigned), 'auth.invalid_token');

    const [header, , signature] = (await hs256({ sub: id })).split('.');
    const tampered = `${header}.${encode({ sub: 'someone-else', exp })}.${signature}`;
    expectRefused(await call('/api/auth/me', tampered), 'auth.invalid_token');
  });
});

describe('recent sign-in with a Better Auth token', () => {
  const inject = (method: 'POST' | 'PATCH', url: string, token: string, payload: object) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });

  it('creates tokens and a first password only when the token says the sign-in is recent (auth_time)', async () => {
    const sub = `ba-${randomBytes(4).toString('hex')}`;
    const seconds = Math.floor(Date.now() / 1000);
    const noClaim = await hs256({ sub });
    const stale = await hs256({ sub, auth_time: seconds - 3600 });
    const recent = await hs256({ sub, auth_time: seconds - 60 });
    for (const token of [noClaim, stale]) {
      const refused = await inject('POST', '/api/auth/tokens', token, { name: 'script' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('auth.reauthentication_required');
      expect(refused.json().detail).toMatch(/sign in again/);
      const password = await inject('PATCH', '/api/auth/me', token, { new_password: 'a first password' });
      expect(password.json().code).toBe('auth.reauthentication_required');
    }
    expect((await inject('POST', '/api/auth/tokens', recent, { name: 'script' })).statusCode).toBe(201);
    const first = await inject('PATCH', '/api/auth/me', recent, { new_password: 'a first password' });
    expect(first.statusCode).toBe(200);
  });
});
