import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, type TestApp, uniqueEmail } from '../../../test/helpers.ts';

const CLIENT_ID = 'doable';
const CLIENT_SECRET = randomBytes(24).toString('hex');
const FRONT_END = 'http://localhost:5173';
const ADMIN_EMAIL = uniqueEmail('chief');

let t: TestApp;
let doable: string;
let issuer: string;
const providerServer = createServer();

/**
 * A real OpenID provider (oidc-provider) in front of Doable on real ports. Its development login form takes any
 * login: the login is the email, and a login starting with "unverified-" has an unverified email.
 */
beforeAll(async () => {
  await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;
  t = await createTestApp({
    env: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_NAME: 'Company login',
      ALLOWED_ORIGINS: FRONT_END,
      ADMIN_EMAILS: ADMIN_EMAIL,
    },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  doable = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${doable}/api/auth/oauth/oidc/callback`],
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx, login) => ({
      accountId: login,
      claims: () => ({
        sub: login,
        email: login.replace(/^unverified-/, ''),
        email_verified: !login.startsWith('unverified-'),
        name: `Person ${login.split('@')[0]}`,
      }),
    }),
  });
  providerServer.on('request', provider.callback());
});

afterAll(async () => {
  providerServer.close();
  await t?.close();
});

/** Just enough of a browser: follows nothing by itself, keeps cookies per origin and path. */
class Browser {
  readonly #jar = new Map<string, { origin: string; path: string; name: string; value: string }>();

  async get(url: string | URL) {
    return this.#send(new URL(url), { method: 'GET' });
  }

  async post(url: string | URL, form: Record<string, string>) {
    return this.#send(new URL(url), {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  async #send(url: URL, init: RequestInit) {
    const cookies = [...this.#jar.values()]
      .filter((c) => c.origin === url.origin && url.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`);
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: cookies.join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const [name = '', value = ''] = pair.split(/=(.*)/s);
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const key = `${url.origin} ${path} ${name}`;
      const gone = value === '' || attributes.some((a) => /^max-age=0$|^expires=.*1970/i.test(a));
      if (gone) this.#jar.delete(key);
      else this.#jar.set(key, { origin: url.origin, path, name, value });
    }
    return response;
  }
}

function location(response: Response, base: string): URL {
  const header = response.headers.get('location');
  if (!header || response.status < 300 || response.status > 399) {
    throw new Error(`expected a redirect, got ${response.status}`);
  }
  return new URL(header, base);
}

/**
 * Walks the whole redirect dance in one browser, signing in at the provider as `login` (or cancelling there),
 * and returns the URL the browser finally lands on, outside Doable's sign-in routes and the provider.
 */
async function signIn(
  login: string,
  options: { redirectTo?: string; returnState?: string; cancel?: boolean; browser?: Browser } = {},
): Promise<URL> {
  const browser = options.browser ?? new Browser();
  const params = new URLSearchParams();
  if (options.redirectTo) params.set('redirect_to', options.redirectTo);
  if (options.returnState) params.set('return_state', options.returnState);
  const query = params.size > 0 ? `?${params}` : '';
  let url = new URL(`${doable}/api/auth/oauth/oidc${query}`);
  for (let step = 0; step < 20; step++) {
    let response = await browser.get(url);
    if (response.status === 200) {
      const page = await response.text();
      const action = /action="([^"]+)"/.exec(page)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
      if (!action || !prompt) throw new Error(`unexpected page at ${url}: ${page.slice(0, 200)}`);
      response =
        prompt === 'login' && options.cancel
          ? await browser.get(new URL(`${url.pathname}/abort`, url))
          : await browser.post(new URL(action, url), { prompt, login, password: 'anything' });
    }
    url = location(response, url.href);
    if (url.origin !== issuer && !url.pathname.startsWith('/api/auth/oauth/')) return url;
  }
  throw new Error('the sign-in did not finish within 20 steps');
}

function fragment(url: URL): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(url.hash.slice(1)));
}

async function me(accessToken: string) {
  const response = await fetch(`${doable}/api/auth/me`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; email: string | null; name: string };
}

describe('sign-in with an OpenID Connect provider', () => {
  it('lists the provider for the sign-in page', async () => {
    const response = await fetch(`${doable}/api/auth/providers`);
    expect(await response.json()).toEqual([{ id: 'oidc', name: 'Company login' }]);
  });

  it('signs a new user in through the whole redirect dance and hands the session over in the fragment', async () => {
    const email = uniqueEmail('ada');
    const landed = await signIn(email);
    expect(`${landed.origin}${landed.pathname}`).toBe(`${doable}/`);
    const session = fragment(landed);
    expect(session).toMatchObject({ token_type: 'bearer', expires_in: '900' });
    expect(session.refresh_token).toBeTruthy();

    const user = await me(session.access_token ?? '');
    expect(user).toMatchObject({ email, name: `Person ${email.split('@')[0]}` });

    const refreshed = await fetch(`${doable}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: session.refresh_token }),
    });
    expect(refreshed.status).toBe(200);
  });

  it('gives the same account to the same identity the next time', async () => {
    const email = uniqueEmail('grace');
    const first = await me(fragment(await signIn(email)).access_token ?? '');
    const second = await me(fragment(await signIn(email)).access_token ?? '');
    expect(second.id).toBe(first.id);
  });

  it('joins the account that has the same email when the provider has verified it', async () => {
    const existing = await registerUser(t.app, { email: uniqueEmail('linda') });
    const user = await me(fragment(await signIn(existing.email)).access_token ?? '');
    expect(user.id).toBe(existing.id);
  });

  it('ends the password and sessions of an account someone registered in the verified owner’s name', async () => {
    // Password sign-up proves nothing about the email: this account may be a squatter's trap for its owner.
    const squatter = await registerUser(t.app, { email: uniqueEmail('owner') });
    const owner = await me(fragment(await signIn(squatter.email)).access_token ?? '');
    expect(owner.id).toBe(squatter.id);

    const post = (url: string, body: object) =>
      fetch(`${doable}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect(
      (await post('/api/auth/login', { email: squatter.email, password: squatter.password })).status,
    ).toBe(401);
    expect((await post('/api/auth/refresh', { refresh_token: squatter.refreshToken })).status).toBe(401);
  });

  it('keeps an unverified email away from the account that owns it', async () => {
    const existing = await registerUser(t.app, { email: uniqueEmail('victim') });
    const user = await me(fragment(await signIn(`unverified-${existing.email}`)).access_token ?? '');
    expect(user.id).not.toBe(existing.id);
    expect(user.email).toBeNull();
  });

  it('makes an administrator of an ADMIN_EMAILS address only once the provider has verified it', async () => {
    const ingest = (accessToken: string) =>
      fetch(`${doable}/api/knowledge/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ path: 'chief.md', content: '# From the chief\nVerified by the provider.' }]),
      });
    const unverified = fragment(await signIn(`unverified-${ADMIN_EMAIL}`)).access_token ?? '';
    expect((await ingest(unverified)).status).toBe(403);
    const verified = fragment(await signIn(ADMIN_EMAIL)).access_token ?? '';
    expect((await ingest(verified)).status).toBe(200);
  });

  it('hands the front end’s return_state back with the session or the error, and only when one was given', async () => {
    const returnState = randomBytes(16).toString('base64url');
    const landed = fragment(await signIn(uniqueEmail('rs'), { returnState }));
    expect(landed).toMatchObject({ return_state: returnState, token_type: 'bearer' });
    const cancelled = fragment(
      await signIn(uniqueEmail('rs'), { returnState, redirectTo: `${FRONT_END}/`, cancel: true }),
    );
    expect(cancelled).toMatchObject({ error: 'auth.oauth_denied', return_state: returnState });
    expect(fragment(await signIn(uniqueEmail('seed'))).return_state).toBeUndefined();
    const bad = await fetch(`${doable}/api/auth/oauth/oidc?return_state=short`, { redirect: 'manual' });
    expect(bad.status).toBe(400);
  });

  it('lands on redirect_to when it is an allowed front end', async () => {
    const landed = await signIn(uniqueEmail('fe'), { redirectTo: `${FRONT_END}/welcome?tab=today` });
    expect(`${landed.origin}${landed.pathname}${landed.search}`).toBe(`${FRONT_END}/welcome?tab=today`);
    expect(fragment(landed).access_token).toBeTruthy();
  });

  it('refuses a redirect_to on a foreign origin before leaving for the provider', async () => {
    for (const target of ['https://evil.example/steal', '//evil.example/x', 'javascript:alert(1)']) {
      const response = await fetch(
        `${doable}/api/auth/oauth/oidc?redirect_to=${encodeURIComponent(target)}`,
        { redirect: 'manual' },
      );
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ code: 'auth.redirect_not_allowed' });
      expect(response.headers.getSetCookie()).toEqual([]);
    }
  });

  it('reports a cancelled sign-in to the front end in the fragment', async () => {
    const landed = await signIn(uniqueEmail('shy'), { redirectTo: `${FRONT_END}/`, cancel: true });
    expect(landed.origin).toBe(FRONT_END);
    expect(fragment(landed)).toMatchObject({ error: 'auth.oauth_denied' });
    expect(fragment(landed).access_token).toBeUndefined();
  });

  it('refuses a callback without the state cookie of the browser that started it', async () => {
    const response = await fetch(`${doable}/api/auth/oauth/oidc/callback?code=stolen&state=whatever`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'auth.oauth_invalid_state' });
  });

  it('refuses a callback whose state does not match, and says so to the front end', async () => {
    const browser = new Browser();
    const start = await browser.get(
      `${doable}/api/auth/oauth/oidc?redirect_to=${encodeURIComponent(`${FRONT_END}/`)}`,
    );
    expect(location(start, doable).origin).toBe(issuer);
    const callback = await browser.get(`${doable}/api/auth/oauth/oidc/callback?code=forged&state=forged`);
    const landed = location(callback, doable);
    expect(landed.origin).toBe(FRONT_END);
    expect(fragment(landed)).toMatchObject({ error: 'auth.oauth_invalid_state' });
  });

  it('lets a callback URL work only once', async () => {
    const browser = new Browser();
    let callback: URL | undefined;
    let url = new URL(`${doable}/api/auth/oauth/oidc`);
    // Walk to the provider's answer without delivering it, then deliver it twice.
    while (!callback) {
      let response = await browser.get(url);
      if (response.status === 200) {
        const page = await response.text();
        const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1] ?? '';
        response = await browser.post(url, { prompt, login: uniqueEmail('once'), password: 'x' });
      }
      url = location(response, url.href);
      if (url.pathname === '/api/auth/oauth/oidc/callback') callback = url;
    }
    const first = await browser.get(callback);
    expect(fragment(location(first, doable)).access_token).toBeTruthy();
    const replay = await browser.get(callback);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ code: 'auth.oauth_invalid_state' });
  });
});
