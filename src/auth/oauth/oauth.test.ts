import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  registerUser,
  TEST_SECRET,
  type TestApp,
  uniqueEmail,
} from '../../../test/helpers.ts';
import { createAuthRepository } from '../auth.repository.ts';
import { createAuthService } from '../auth.service.ts';
import { TokenVerifier } from '../token-verifier.ts';
import { oidcIdentity } from './oauth.oidc.ts';
import { githubIdentity, googleIdentity } from './oauth.providers.ts';
import { createOAuthService } from './oauth.service.ts';
import { createStateSealer, type SignInState } from './oauth.state.ts';

const FRONT_END = 'https://app.example.com';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    env: {
      GOOGLE_CLIENT_ID: 'google-client',
      GOOGLE_CLIENT_SECRET: 'google-secret',
      GITHUB_CLIENT_ID: 'github-client',
      GITHUB_CLIENT_SECRET: 'github-secret',
      FRONTEND_URL: FRONT_END,
    },
  });
});
afterAll(() => t.close());

async function start(provider: string, app = t.app) {
  const response = await app.inject({ method: 'GET', url: `/api/auth/oauth/${provider}` });
  expect(response.statusCode).toBe(302);
  return {
    url: new URL(response.headers.location as string),
    cookie: response.headers['set-cookie'] as string,
  };
}

describe('starting a sign-in with an outside provider', () => {
  it('lists only the providers that are configured', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/auth/providers' });
    expect(response.json()).toEqual([
      { id: 'google', name: 'Google' },
      { id: 'github', name: 'GitHub' },
    ]);
  });

  it('answers an unconfigured provider with 404 naming the settings that turn it on', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/auth/oauth/oidc' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body.code).toBe('auth.provider_not_configured');
    expect(body.detail).toContain('OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
  });

  it('sends the browser to Google with client id, callback, state, an S256 code challenge and scopes', async () => {
    const { url } = await start('google');
    expect(`${url.origin}${url.pathname}`).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    const q = url.searchParams;
    expect(q.get('client_id')).toBe('google-client');
    expect(q.get('response_type')).toBe('code');
    expect(q.get('redirect_uri')).toBe('http://localhost:80/api/auth/oauth/google/callback');
    expect(q.get('state')).toMatch(/^[\w-]{40,}$/);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('scope')?.split(' ')).toEqual(['openid', 'email', 'profile']);
  });

  it('sends the browser to GitHub with client id, callback, state, an S256 code challenge and scopes', async () => {
    const { url } = await start('github');
    expect(`${url.origin}${url.pathname}`).toBe('https://github.com/login/oauth/authorize');
    const q = url.searchParams;
    expect(q.get('client_id')).toBe('github-client');
    expect(q.get('redirect_uri')).toBe('http://localhost:80/api/auth/oauth/github/callback');
    expect(q.get('state')).toMatch(/^[\w-]{40,}$/);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('scope')?.split(' ')).toEqual(['read:user', 'user:email']);
  });

  it('keeps the sign-in state in a short-lived, httpOnly, SameSite=Lax cookie that reveals nothing', async () => {
    const { url, cookie } = await start('google');
    expect(cookie).toMatch(/^doable_oauth=/);
    expect(cookie).toMatch(/; Max-Age=600/);
    expect(cookie).toMatch(/; Path=\/api\/auth\/oauth/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/; Secure/);
    expect(cookie).not.toContain(url.searchParams.get('state'));

    // What the cookie carries is what the provider was sent: the state and the verifier of the code challenge.
    const sealed = /^doable_oauth=([^;]+)/.exec(cookie)?.[1];
    const saved = await createStateSealer(TEST_SECRET, () => new Date()).open(sealed);
    expect(saved).toMatchObject({
      provider: 'google',
      state: url.searchParams.get('state'),
      redirect_to: null,
    });
    const challenge = createHash('sha256')
      .update(saved?.code_verifier ?? '')
      .digest('base64url');
    expect(challenge).toBe(url.searchParams.get('code_challenge'));
  });

  it('builds the callback on PUBLIC_URL and marks the cookie Secure behind https', async () => {
    const other = await createTestApp({
      database: t.database,
      env: {
        GOOGLE_CLIENT_ID: 'google-client',
        GOOGLE_CLIENT_SECRET: 'google-secret',
        PUBLIC_URL: 'https://doable.example.com/',
      },
    });
    try {
      const { url, cookie } = await start('google', other.app);
      expect(url.searchParams.get('redirect_uri')).toBe(
        'https://doable.example.com/api/auth/oauth/google/callback',
      );
      expect(cookie).toMatch(/; Secure/);
    } finally {
      await other.close();
    }
  });

  it('answers 503 when the OpenID provider cannot be reached for discovery', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const other = await createTestApp({
      database: t.database,
      env: {
        OIDC_ISSUER: `http://127.0.0.1:${port}`,
        OIDC_CLIENT_ID: 'doable',
        OIDC_CLIENT_SECRET: 'secret',
      },
    });
    try {
      const response = await other.app.inject({ method: 'GET', url: '/api/auth/oauth/oidc' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'auth.provider_unavailable' });
    } finally {
      await other.close();
    }
  });

  it('sends a callback it cannot match back to FRONTEND_URL with the error in the fragment', async () => {
    // With the parameters providers add of their own (Google's), which the callback, unlike the API, accepts.
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/auth/oauth/github/callback?code=abc&state=def&scope=email+profile&authuser=0&prompt=consent&hd=example.com',
    });
    expect(response.statusCode).toBe(302);
    const landed = new URL(response.headers.location as string);
    expect(`${landed.origin}${landed.pathname}`).toBe(`${FRONT_END}/`);
    expect(Object.fromEntries(new URLSearchParams(landed.hash.slice(1)))).toMatchObject({
      error: 'auth.oauth_invalid_state',
    });
  });
});

describe('the sign-in state cookie', () => {
  const state: SignInState = {
    provider: 'github',
    state: 's',
    code_verifier: 'v',
    nonce: 'n',
    redirect_to: null,
  };
  let now = new Date('2030-01-01T00:00:00Z');
  const sealer = createStateSealer(TEST_SECRET, () => now);

  it('opens what it sealed, and nothing tampered, foreign or older than ten minutes', async () => {
    now = new Date('2030-01-01T00:00:00Z');
    const sealed = await sealer.seal(state);
    expect(await sealer.open(sealed)).toEqual(state);

    const parts = sealed.split('.');
    parts[3] = `${parts[3]?.[0] === 'A' ? 'B' : 'A'}${parts[3]?.slice(1)}`;
    expect(await sealer.open(parts.join('.'))).toBeUndefined();
    const foreign = createStateSealer(`${TEST_SECRET}-other`, () => now);
    expect(await foreign.open(sealed)).toBeUndefined();
    expect(await sealer.open(undefined)).toBeUndefined();

    now = new Date('2030-01-01T00:10:01Z');
    expect(await sealer.open(sealed)).toBeUndefined();
  });
});

describe("mapping a provider's answer to an identity", () => {
  it('takes the Google ID token claims, trusting the email only when Google verified it', () => {
    const claims = { sub: '1093', email: 'ada@gmail.com', email_verified: true, name: 'Ada L' };
    expect(googleIdentity(claims)).toEqual({
      provider: 'google',
      subject: '1093',
      email: 'ada@gmail.com',
      emailVerified: true,
      name: 'Ada L',
    });
    expect(googleIdentity({ ...claims, email_verified: false }).emailVerified).toBe(false);
    expect(() => googleIdentity({ email: 'x@gmail.com' })).toThrow(/cannot be trusted/);
  });

  it("takes GitHub's primary email, and counts it verified only when GitHub says so", () => {
    const user = { id: 583231, login: 'octocat', name: null, email: 'public@example.com' };
    const emails = [
      { email: 'other@example.com', primary: false, verified: true },
      { email: 'octo@example.com', primary: true, verified: true },
    ];
    expect(githubIdentity(user, emails)).toEqual({
      provider: 'github',
      subject: '583231',
      email: 'octo@example.com',
      emailVerified: true,
      name: 'octocat',
    });
    const unverified = githubIdentity(user, [{ email: 'octo@example.com', primary: true, verified: false }]);
    expect(unverified).toMatchObject({ email: 'octo@example.com', emailVerified: false });
    // Without access to the email list, the public profile email is all there is, and it proves nothing.
    expect(githubIdentity(user, [])).toMatchObject({ email: 'public@example.com', emailVerified: false });
  });

  it('accepts the string "true" some OpenID providers send for email_verified', () => {
    expect(oidcIdentity({ sub: 'abc', email: 'a@example.com', email_verified: 'true' }).emailVerified).toBe(
      true,
    );
    expect(oidcIdentity({ sub: 'abc', email: 'a@example.com' }).emailVerified).toBe(false);
    expect(oidcIdentity({ sub: 'abc', preferred_username: 'ann' })).toMatchObject({
      email: null,
      name: 'ann',
    });
  });
});

describe('signing in a provider identity', () => {
  const clock = () => new Date();
  const oauthService = () => {
    const repository = createAuthRepository(t.database.db);
    const verifier = new TokenVerifier({
      jwtSecret: TEST_SECRET,
      accessTokenMinutes: 15,
      betterAuthSecret: undefined,
      betterAuthUrl: undefined,
      repository,
      clock,
    });
    const auth = createAuthService({ repository, verifier, refreshTokenDays: 7, clock });
    return createOAuthService({
      providers: [],
      repository,
      startSession: auth.startSession,
      sealer: createStateSealer(TEST_SECRET, clock),
      redirectOrigins: [],
      clock,
    });
  };

  async function me(accessToken: string) {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  it('does not hand over an account to a GitHub user whose matching email is unverified', async () => {
    const owner = await registerUser(t.app, { email: uniqueEmail('owner') });
    const session = await oauthService().signIn(
      githubIdentity({ id: 1001, login: 'squatter' }, [
        { email: owner.email, primary: true, verified: false },
      ]),
    );
    const user = await me(session.access_token);
    expect(user.id).not.toBe(owner.id);
    expect(user).toMatchObject({ email: null, name: 'squatter' });
  });

  it('links a GitHub user with the verified email of an account to that account, once and for all', async () => {
    const owner = await registerUser(t.app, { email: uniqueEmail('octo') });
    const verified = githubIdentity({ id: 1002, login: 'octo' }, [
      { email: owner.email, primary: true, verified: true },
    ]);
    const first = await oauthService().signIn(verified);
    expect(first.user.id).toBe(owner.id);
    // The link holds even when the provider later reports another email.
    const later = await oauthService().signIn({ ...verified, email: 'changed@example.com' });
    expect(later.user.id).toBe(owner.id);
  });
});
