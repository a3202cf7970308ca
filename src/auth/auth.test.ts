import { sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, TEST_SECRET, type TestApp, uniqueEmail } from '../../test/helpers.ts';
import { REFRESH_GRACE_MS } from './auth.service.ts';
import { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS, RECENT_SIGN_IN_MINUTES } from './credential-policy.ts';

let now = new Date('2026-11-23T12:00:00Z');
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
});
afterAll(() => t.close());

const post = (url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers });
const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('registration', () => {
  it.each(['/api/auth/register', '/auth/register', '/auth/signup', '/api/auth/signup'])(
    'signs a new user up at %s and returns a session',
    async (url) => {
      const email = uniqueEmail();
      const response = await post(url, { email, password: 'long enough password', name: 'Ada' });
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(body).toMatchObject({
        token_type: 'bearer',
        expires_in: 900,
        user: { email, name: 'Ada', timezone: 'UTC' },
      });
      expect(body.user.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
      expect((await get('/api/auth/me', bearer(body.access_token))).json().id).toBe(body.user.id);
    },
  );

  it('refuses an email that is already taken, whatever its case', async () => {
    const user = await registerUser(t.app);
    const again = await post('/api/auth/register', {
      email: user.email.toUpperCase(),
      password: 'another password',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('auth.email_taken');
  });

  it('refuses passwords shorter than 8 or longer than 128 characters', async () => {
    for (const password of ['short', 'x'.repeat(129)]) {
      const response = await post('/api/auth/register', { email: uniqueEmail(), password });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors[0].field).toBe('body.password');
    }
  });

  it('stores the password as an argon2id hash', async () => {
    const user = await registerUser(t.app);
    const result = await t.database.db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, user.id) });
    expect(result?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

describe('login', () => {
  it.each(['/api/auth/login', '/auth/login', '/auth/signin', '/api/auth/signin'])(
    'signs in at %s',
    async (url) => {
      const user = await registerUser(t.app);
      const response = await post(url, { email: user.email, password: user.password });
      expect(response.statusCode).toBe(200);
      expect(response.json().user.id).toBe(user.id);
    },
  );

  it('accepts the OAuth2 password form that FastAPI clients send', async () => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      // All of FastAPI's OAuth2PasswordRequestForm, including the fields Doable has no use for.
      payload: new URLSearchParams({
        grant_type: 'password',
        username: user.email,
        password: user.password,
        scope: '',
        client_id: '',
        client_secret: '',
      }).toString(),
    });
    expect(response.statusCode).toBe(200);
  });

  it('refuses a field it does not know, and a form on routes that take JSON only', async () => {
    const user = await registerUser(t.app);
    const typo = await post('/api/auth/login', { email: user.email, pasword: user.password });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().errors).toEqual([
      { field: 'body.password', message: 'is required' },
      { field: 'body.pasword', message: 'is not a field of this request (did you mean `password`?)' },
    ]);
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/me/tasks',
      headers: { ...user.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'title=from+a+form',
    });
    expect(form.statusCode).toBe(415);
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const user = await registerUser(t.app);
    const wrongPassword = await post('/api/auth/login', { email: user.email, password: 'not the password' });
    const unknownEmail = await post('/api/auth/login', {
      email: uniqueEmail(),
      password: 'not the password',
    });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, request_id: undefined });
    expect(strip(wrongPassword.json())).toEqual(strip(unknownEmail.json()));
    expect(wrongPassword.headers['www-authenticate']).toBe('Bearer');
  });
});

describe('refresh tokens', () => {
  it('are also taken as a bearer token with no body, and asked for in words when missing', async () => {
    const user = await registerUser(t.app);
    const viaHeader = await post('/api/auth/refresh', undefined, bearer(user.refreshToken));
    expect(viaHeader.statusCode).toBe(200);
    expect(viaHeader.json().refresh_token).not.toBe(user.refreshToken);
    const missing = await post('/api/auth/refresh');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([
      { field: 'body.refresh_token', message: 'is required; send {"refresh_token": "..."} as JSON' },
    ]);
  });

  it('rotates: each refresh returns a new pair and the new refresh token works', async () => {
    const user = await registerUser(t.app);
    const first = await post('/api/auth/refresh', { refresh_token: user.refreshToken });
    expect(first.statusCode).toBe(200);
    const second = await post('/auth/refresh', { refresh_token: first.json().refresh_token });
    expect(second.statusCode).toBe(200);
    expect(second.json().refresh_token).not.toBe(first.json().refresh_token);
  });

  /** Two tabs refreshing the same token at the same moment; both are served. */
  async function refreshInTwoTabs(refreshToken: string) {
    const answers = await Promise.all([
      post('/api/auth/refresh', { refresh_token: refreshToken }),
      post('/api/auth/refresh', { refresh_token: refreshToken }),
    ]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    return answers.map((answer) => answer.json().refresh_token as string);
  }

  it('lets two tabs refresh the same token at once within the grace window', async () => {
    const user = await registerUser(t.app);
    const [, second = ''] = await refreshInTwoTabs(user.refreshToken);
    expect((await post('/api/auth/refresh', { refresh_token: second })).statusCode).toBe(200);
  });

  it('revokes the whole family when a used token comes back after the grace window', async () => {
    const user = await registerUser(t.app);
    const rotated = (await post('/api/auth/refresh', { refresh_token: user.refreshToken })).json();
    advance(REFRESH_GRACE_MS + 1_000);
    const replay = await post('/api/auth/refresh', { refresh_token: user.refreshToken });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('auth.refresh_token_reused');
    // The legitimate holder's newer token died with the family.
    const legit = await post('/api/auth/refresh', { refresh_token: rotated.refresh_token });
    expect(legit.statusCode).toBe(401);
    // Other sessions of the same user are untouched.
    const other = await post('/api/auth/login', { email: user.email, password: user.password });
    expect((await post('/api/auth/refresh', { refresh_token: other.json().refresh_token })).statusCode).toBe(
      200,
    );
  });

  /** Signs up and refreshes twice: A (the sign-in's token) → B → C, C being the family's newest. */
  async function rotatedTwice() {
    const user = await registerUser(t.app);
    const a = user.refreshToken;
    const b = (await post('/api/auth/refresh', { refresh_token: a })).json().refresh_token as string;
    const c = (await post('/api/auth/refresh', { refresh_token: b })).json().refresh_token as string;
    return { user, a, b, c };
  }

  it('takes a token two rotations old as reuse even within the grace window, and ends the family', async () => {
    const { a, c } = await rotatedTwice();
    advance(1_000);
    const replay = await post('/api/auth/refresh', { refresh_token: a });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('auth.refresh_token_reused');
    expect((await post('/api/auth/refresh', { refresh_token: c })).statusCode).toBe(401);
  });

  it("replays the newest token's parent within the grace window as a sibling, leaving the newest valid", async () => {
    const { b, c } = await rotatedTwice();
    advance(REFRESH_GRACE_MS - 1_000);
    const sibling = await post('/api/auth/refresh', { refresh_token: b });
    expect(sibling.statusCode).toBe(200);
    expect(sibling.json().refresh_token).not.toBe(c);
    expect((await post('/api/auth/refresh', { refresh_token: c })).statusCode).toBe(200);
    expect(
      (await post('/api/auth/refresh', { refresh_token: sibling.json().refresh_token })).statusCode,
    ).toBe(200);
  });

  it("takes the newest token's parent as reuse after the grace window", async () => {
    const { b, c } = await rotatedTwice();
    advance(REFRESH_GRACE_MS + 1_000);
    const replay = await post('/api/auth/refresh', { refresh_token: b });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('auth.refresh_token_reused');
    expect((await post('/api/auth/refresh', { refresh_token: c })).statusCode).toBe(401);
  });

  it('takes a token as reuse once a sibling of its child has been rotated', async () => {
    const user = await registerUser(t.app);
    const [, second = ''] = await refreshInTwoTabs(user.refreshToken);
    const newest = await post('/api/auth/refresh', { refresh_token: second });
    expect(newest.statusCode).toBe(200);
    expect((await post('/api/auth/refresh', { refresh_token: user.refreshToken })).json().code).toBe(
      'auth.refresh_token_reused',
    );
    expect((await post('/api/auth/refresh', { refresh_token: newest.json().refresh_token })).statusCode).toBe(
      401,
    );
  });

  it('refuses an expired refresh token and an unknown one', async () => {
    const user = await registerUser(t.app);
    advance(8 * 86_400_000);
    const expired = await post('/api/auth/refresh', { refresh_token: user.refreshToken });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('auth.refresh_token_expired');
    const unknown = await post('/api/auth/refresh', { refresh_token: 'made-up' });
    expect(unknown.json().code).toBe('auth.invalid_refresh_token');
  });
});

describe('logout', () => {
  it('ends the session of the given refresh token', async () => {
    const user = await registerUser(t.app);
    const response = await post('/api/auth/logout', { refresh_token: user.refreshToken }, user.headers);
    expect(response.statusCode).toBe(204);
    expect((await post('/api/auth/refresh', { refresh_token: user.refreshToken })).statusCode).toBe(401);
  });

  it('ends every session with all: true', async () => {
    const user = await registerUser(t.app);
    const other = (await post('/auth/login', { email: user.email, password: user.password })).json();
    expect((await post('/auth/logout', { all: true }, user.headers)).statusCode).toBe(204);
    for (const token of [user.refreshToken, other.refresh_token]) {
      expect((await post('/api/auth/refresh', { refresh_token: token })).statusCode).toBe(401);
    }
  });

  it("cannot end someone else's session", async () => {
    const victim = await registerUser(t.app);
    const attacker = await registerUser(t.app);
    await post('/api/auth/logout', { refresh_token: victim.refreshToken }, attacker.headers);
    expect((await post('/api/auth/refresh', { refresh_token: victim.refreshToken })).statusCode).toBe(200);
  });

  it.each(['/api/auth/logout', '/auth/logout', '/auth/signout'])('is served at %s', async (url) => {
    const user = await registerUser(t.app);
    expect((await post(url, { refresh_token: user.refreshToken })).statusCode).toBe(204);
    expect((await post('/api/auth/refresh', { refresh_token: user.refreshToken })).statusCode).toBe(401);
  });

  it('asks for a refresh token or all: true', async () => {
    const response = await post('/api/auth/logout', {});
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('body.refresh_token');
  });
});

describe('me', () => {
  it.each(['/api/auth/me', '/auth/me', '/api/users/me'])('answers who is signed in at %s', async (url) => {
    const user = await registerUser(t.app, { name: 'Grace' });
    const response = await get(url, user.headers);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: user.id, email: user.email, name: 'Grace' });
  });

  it.each(['/api/auth/me', '/auth/me', '/api/users/me'])('accepts changes at %s', async (url) => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({
      method: 'PATCH',
      url,
      headers: user.headers,
      payload: { name: 'Renamed' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().name).toBe('Renamed');
  });

  it('updates name and timezone, and refuses an unknown timezone', async () => {
    const user = await registerUser(t.app);
    const updated = await t.app.inject({
      method: 'PATCH',
      url: '/api/users/me',
      headers: user.headers,
      payload: { name: 'New Name', timezone: 'Europe/Paris' },
    });
    expect(updated.json()).toMatchObject({ name: 'New Name', timezone: 'Europe/Paris' });
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: user.headers,
      payload: { timezone: 'Mars/Olympus' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.timezone');
  });

  it('takes a zone by its current name or its older one, and UTC, and keeps it as written', async () => {
    const user = await registerUser(t.app);
    // The page offers current names (Asia/Kolkata); browsers report older ones (Asia/Calcutta) as their own zone.
    for (const timezone of [
      'Asia/Kolkata',
      'Asia/Calcutta',
      'Europe/Kyiv',
      'Europe/Kiev',
      'Asia/Ho_Chi_Minh',
      'UTC',
    ]) {
      const response = await t.app.inject({
        method: 'PATCH',
        url: '/api/auth/me',
        headers: user.headers,
        payload: { timezone },
      });
      expect(response.json(), timezone).toMatchObject({ timezone });
    }
  });

  it('changes the password only with the current one, and then ends every session', async () => {
    const user = await registerUser(t.app);
    const patch = (payload: object) =>
      t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: user.headers, payload });
    const wrong = await patch({ current_password: 'wrong wrong', new_password: 'a brand new password' });
    expect(wrong.statusCode).toBe(403);
    expect(
      (await patch({ current_password: user.password, new_password: 'a brand new password' })).statusCode,
    ).toBe(200);
    expect((await post('/api/auth/refresh', { refresh_token: user.refreshToken })).statusCode).toBe(401);
    expect((await post('/api/auth/login', { email: user.email, password: user.password })).statusCode).toBe(
      401,
    );
    expect(
      (await post('/api/auth/login', { email: user.email, password: 'a brand new password' })).statusCode,
    ).toBe(200);
  });
});

describe('verify', () => {
  it.each(['/api/auth/verify', '/auth/verify'])('says whose token it is at %s', async (url) => {
    const user = await registerUser(t.app);
    const fromBody = await post(url, { token: user.accessToken });
    expect(fromBody.json()).toEqual({
      valid: true,
      user_id: user.id,
      email: user.email,
      expires_at: new Date(now.getTime() + 900_000 - (now.getTime() % 1000)).toISOString(),
    });
    const fromHeader = await post(url, undefined, user.headers);
    expect(fromHeader.json().user_id).toBe(user.id);
  });

  it('answers 401 for an invalid token', async () => {
    const response = await post('/api/auth/verify', { token: 'not.a.token' });
    expect(response.statusCode).toBe(401);
  });
});

describe('bearer tokens that must be refused', () => {
  const sign = (claims: object, key: string, options: { iss?: string; aud?: string; exp?: number } = {}) =>
    new SignJWT({ typ: 'access', ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('someone')
      .setIssuer(options.iss ?? 'doable')
      .setAudience(options.aud ?? 'doable')
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(options.exp ?? Math.floor(now.getTime() / 1000) + 600)
      .sign(new TextEncoder().encode(key));

  it('accepts a well-formed token as the control case', async () => {
    const user = await registerUser(t.app);
    const token = await new SignJWT({ typ: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('doable')
      .setAudience('doable')
      .setExpirationTime(Math.floor(now.getTime() / 1000) + 600)
      .sign(new TextEncoder().encode(TEST_SECRET));
    expect((await get('/api/auth/me', bearer(token))).statusCode).toBe(200);
  });

  it('refuses a tampered payload', async () => {
    const user = await registerUser(t.app);
    const [header, payload, signature] = user.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    const response = await get('/api/auth/me', bearer(`${header}.${forged}.${signature}`));
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('auth.invalid_token');
  });

  it('refuses an expired token, also one it accepted (and remembered as verified) before', async () => {
    const user = await registerUser(t.app);
    expect((await get('/api/auth/me', user.headers)).statusCode).toBe(200);
    advance(16 * 60_000);
    const response = await get('/api/auth/me', user.headers);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('auth.token_expired');
  });

  it('refuses alg: none', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({
        sub: 'x',
        iss: 'doable',
        aud: 'doable',
        typ: 'access',
        exp: Math.floor(now.getTime() / 1000) + 600,
      }),
    ).toString('base64url');
    expect((await get('/api/auth/me', bearer(`${header}.${payload}.`))).statusCode).toBe(401);
  });

  it('refuses a token signed with another key', async () => {
    const token = await sign({}, 'some-other-secret-that-is-also-long-enough-0000');
    expect((await get('/api/auth/me', bearer(token))).statusCode).toBe(401);
  });

  it('refuses a token from another issuer or for another audience', async () => {
    for (const options of [{ iss: 'someone-else' }, { aud: 'another-service' }]) {
      const token = await sign({}, TEST_SECRET, options);
      expect((await get('/api/auth/me', bearer(token))).statusCode).toBe(401);
    }
  });

  it("refuses a deleted account's access token on reads and writes alike", async () => {
    const user = await registerUser(t.app);
    await t.database.db.execute(sql`delete from users where id = ${user.id}`);
    for (const [method, url, payload] of [
      ['GET', '/api/me/tasks', undefined],
      ['POST', '/api/me/tasks', { title: 'written by nobody' }],
      ['POST', '/api/auth/tokens', { name: 'script' }],
    ] as const) {
      const response = await t.app.inject({ method, url, payload, headers: user.headers });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
      expect(response.json().code).toBe('auth.user_gone');
    }
  });

  it('refuses writes with 401, not 500, for a token already in use when its account was deleted', async () => {
    const user = await registerUser(t.app);
    expect((await get('/api/me/tasks', user.headers)).statusCode).toBe(200);
    await t.database.db.execute(sql`delete from users where id = ${user.id}`);
    for (const payload of [{ title: 'written by nobody' }, { title: 'tagged', tags: ['x'] }]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/me/tasks',
        payload,
        headers: user.headers,
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('auth.user_gone');
    }
  });

  it('refuses a missing or malformed Authorization header with a hint', async () => {
    const missing = await get('/api/auth/me');
    expect(missing.json().code).toBe('auth.missing_token');
    const basic = await get('/api/auth/me', { authorization: 'Basic abc' });
    expect(basic.json().code).toBe('auth.malformed_authorization');
    expect(basic.statusCode).toBe(401);
  });
});

describe('personal API tokens', () => {
  it('cannot manage tokens or the password: that needs a signed-in session', async () => {
    const user = await registerUser(t.app);
    // Even a token with every scope: credentials are a session's to manage.
    const { id, token } = (
      await post('/api/auth/tokens', { name: 'script', scopes: ['account'] }, user.headers)
    ).json();
    const viaToken = bearer(token);
    const attempts = [
      await post('/api/auth/tokens', { name: 'another' }, viaToken),
      await get('/api/auth/tokens', viaToken),
      await t.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: viaToken }),
      await t.app.inject({
        method: 'PATCH',
        url: '/api/auth/me',
        headers: viaToken,
        payload: { current_password: user.password, new_password: 'a brand new password' },
      }),
    ];
    for (const response of attempts) {
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('auth.session_required');
    }
    const tokens = (await get('/api/auth/tokens', user.headers)).json();
    expect(tokens.map((row: { id: string }) => row.id)).toEqual([id]);
    // What a token is for still works: reading and changing the profile.
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: viaToken,
      payload: { name: 'Scripted' },
    });
    expect(renamed.statusCode).toBe(200);
    expect((await post('/api/auth/login', { email: user.email, password: user.password })).statusCode).toBe(
      200,
    );
  });

  it('are shown once, listed without secrets, work as bearer tokens and stop working when revoked', async () => {
    const user = await registerUser(t.app);
    const created = await post('/api/auth/tokens', { name: 'my script' }, user.headers);
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    expect(token).toMatch(/^doable_pat_/);

    const me = await get('/api/auth/me', bearer(token));
    expect(me.json().id).toBe(user.id);

    const list = await get('/api/auth/tokens', user.headers);
    expect(list.json()).toEqual([expect.objectContaining({ id, name: 'my script' })]);
    expect(list.body).not.toContain(token);

    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/auth/tokens/${id}`,
      headers: user.headers,
    });
    expect(revoked.statusCode).toBe(204);
    expect((await get('/api/auth/me', bearer(token))).statusCode).toBe(401);
  });

  it('cannot be listed or revoked by another user', async () => {
    const owner = await registerUser(t.app);
    const other = await registerUser(t.app);
    const { id, token } = (await post('/api/auth/tokens', { name: 'x' }, owner.headers)).json();
    expect((await get('/api/auth/tokens', other.headers)).json()).toEqual([]);
    const attempt = await t.app.inject({
      method: 'DELETE',
      url: `/api/auth/tokens/${id}`,
      headers: other.headers,
    });
    expect(attempt.statusCode).toBe(404);
    expect((await get('/api/auth/me', bearer(token))).statusCode).toBe(200);
  });

  it('refuses a token id that is not a UUID with a 400', async () => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/api/auth/tokens/42',
      headers: user.headers,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('path.id');
  });
});

describe('recent sign-in (sudo mode)', () => {
  const patchMe = (headers: Record<string, string>, payload: object) =>
    t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers, payload });

  it('creates a personal API token from an older session only with the current password', async () => {
    const user = await registerUser(t.app);
    advance((RECENT_SIGN_IN_MINUTES + 1) * 60_000);
    const refused = await post('/api/auth/tokens', { name: 'stolen session' }, user.headers);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('auth.reauthentication_required');
    expect(refused.json().detail).toMatch(/password/);
    const wrong = await post(
      '/api/auth/tokens',
      { name: 'guess', password: 'not the password' },
      user.headers,
    );
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('auth.wrong_password');
    const confirmed = await post('/api/auth/tokens', { name: 'mine', password: user.password }, user.headers);
    expect(confirmed.statusCode).toBe(201);
  });

  it('keeps the sign-in time across refreshes: a refreshed session is not a new sign-in', async () => {
    const user = await registerUser(t.app);
    advance((RECENT_SIGN_IN_MINUTES + 1) * 60_000);
    const refreshed = (await post('/api/auth/refresh', { refresh_token: user.refreshToken })).json();
    const refused = await post('/api/auth/tokens', { name: 'x' }, bearer(refreshed.access_token));
    expect(refused.json().code).toBe('auth.reauthentication_required');
    // Still the sign-in's time after another rotation of the family.
    const again = (await post('/api/auth/refresh', { refresh_token: refreshed.refresh_token })).json();
    expect((await post('/api/auth/tokens', { name: 'x' }, bearer(again.access_token))).statusCode).toBe(403);
    const login = (await post('/api/auth/login', { email: user.email, password: user.password })).json();
    expect((await post('/api/auth/tokens', { name: 'x' }, bearer(login.access_token))).statusCode).toBe(201);
  });

  it('refuses a young sign-in that was ended since: a password change, or a sign-out everywhere', async () => {
    // Whoever holds a stolen access token still holds it for its minutes after the owner changes the password;
    // it must not buy them a token that outlives the change.
    const user = await registerUser(t.app);
    const stolen = user.headers;
    const changed = await patchMe(user.headers, {
      current_password: user.password,
      new_password: 'a brand new password',
    });
    expect(changed.statusCode).toBe(200);
    const minted = await post('/api/auth/tokens', { name: 'backdoor', scopes: ['account'] }, stolen);
    expect(minted.statusCode).toBe(401);
    expect(minted.json().code).toBe('auth.session_ended');
    const other = await registerUser(t.app);
    expect((await post('/api/auth/logout', { all: true }, other.headers)).statusCode).toBe(204);
    const afterLogout = await post('/api/auth/tokens', { name: 'x' }, other.headers);
    expect(afterLogout.json().code).toBe('auth.session_ended');
    // A new sign-in is a new session, and recent.
    const login = (
      await post('/api/auth/login', { email: user.email, password: 'a brand new password' })
    ).json();
    expect((await post('/api/auth/tokens', { name: 'mine' }, bearer(login.access_token))).statusCode).toBe(
      201,
    );
    expect(
      (
        await t.app.inject({ method: 'GET', url: '/api/auth/tokens', headers: bearer(login.access_token) })
      ).json(),
    ).toHaveLength(1);
  });

  it('counts a session started before sign-in times were recorded as old', async () => {
    const user = await registerUser(t.app);
    await t.database.db.execute(sql`update refresh_tokens set auth_time = null where user_id = ${user.id}`);
    const refreshed = (await post('/api/auth/refresh', { refresh_token: user.refreshToken })).json();
    const refused = await post('/api/auth/tokens', { name: 'x' }, bearer(refreshed.access_token));
    expect(refused.json().code).toBe('auth.reauthentication_required');
    const confirmed = await post(
      '/api/auth/tokens',
      { name: 'x', password: user.password },
      bearer(refreshed.access_token),
    );
    expect(confirmed.statusCode).toBe(201);
  });

  it('sets a first password on an account without one only from a recent sign-in', async () => {
    const fresh = await registerUser(t.app);
    const stale = await registerUser(t.app);
    // As a provider-only account is: no password to ask for.
    for (const user of [fresh, stale]) {
      await t.database.db.execute(sql`update users set password_hash = null where id = ${user.id}`);
    }
    const newPassword = { new_password: 'a first password' };
    expect((await patchMe(fresh.headers, newPassword)).statusCode).toBe(200);
    advance((RECENT_SIGN_IN_MINUTES + 1) * 60_000);
    const refused = await patchMe(stale.headers, newPassword);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('auth.reauthentication_required');
    expect(refused.json().detail).toMatch(/sign in again/);
  });
});

describe('personal API token lifetimes and scopes', () => {
  const day = 86_400_000;

  it(`expires after ${API_TOKEN_DEFAULT_DAYS} days by default, or the days asked for, with 401 auth.token_expired`, async () => {
    const user = await registerUser(t.app);
    const byDefault = (await post('/api/auth/tokens', { name: 'default' }, user.headers)).json();
    const week = (await post('/api/auth/tokens', { name: 'week', expires_in_days: 7 }, user.headers)).json();
    expect(Date.parse(byDefault.expires_at) - now.getTime()).toBe(API_TOKEN_DEFAULT_DAYS * day);
    expect(Date.parse(week.expires_at) - now.getTime()).toBe(7 * day);
    expect(byDefault.scopes).toEqual(['tasks:read', 'tasks:write']);
    const tooLong = await post(
      '/api/auth/tokens',
      { name: 'x', expires_in_days: API_TOKEN_MAX_DAYS + 1 },
      user.headers,
    );
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].field).toBe('body.expires_in_days');

    advance(7 * day + 1000);
    const expired = await get('/api/me/tasks', bearer(week.token));
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('auth.token_expired');
    expect((await get('/api/me/tasks', bearer(byDefault.token))).statusCode).toBe(200);
    advance(API_TOKEN_DEFAULT_DAYS * day);
    expect((await get('/api/me/tasks', bearer(byDefault.token))).json().code).toBe('auth.token_expired');
  });

  it('lists scopes, expiry and last use, without secrets', async () => {
    const user = await registerUser(t.app);
    const created = (
      await post('/api/auth/tokens', { name: 'reader', scopes: ['tasks:read'] }, user.headers)
    ).json();
    expect((await get('/api/me/tasks', bearer(created.token))).statusCode).toBe(200);
    const login = (await post('/api/auth/login', { email: user.email, password: user.password })).json();
    const [listed] = (await get('/api/auth/tokens', bearer(login.access_token))).json();
    expect(listed).toEqual({
      id: created.id,
      name: 'reader',
      scopes: ['tasks:read'],
      created_at: created.created_at,
      expires_at: created.expires_at,
      last_used_at: now.toISOString(),
    });
  });

  it('refuses a token beyond its scope with 403 insufficient_scope and the RFC 6750 challenge', async () => {
    const user = await registerUser(t.app);
    const reader = (
      await post('/api/auth/tokens', { name: 'reader', scopes: ['tasks:read'] }, user.headers)
    ).json();
    const refused = await post('/api/me/tasks', { title: 'not allowed' }, bearer(reader.token));
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", scope="tasks:write"',
    );
    expect(refused.json().code).toBe('auth.insufficient_scope');
    const tasks = (await get('/api/me/tasks?status=all', user.headers)).json();
    expect(tasks.total).toBe(0);
  });

  it('keeps full rights for tokens made before scopes and expiry (migrated to account, never expiring)', async () => {
    const user = await registerUser(t.app);
    const { id, token } = (await post('/api/auth/tokens', { name: 'old' }, user.headers)).json();
    await t.database.db.execute(
      sql`update api_tokens set scopes = default, expires_at = null where id = ${id}`,
    );
    expect((await get('/api/me/conversations', bearer(token))).statusCode).toBe(200);
    expect((await get('/api/me/export', bearer(token))).statusCode).toBe(200);
    advance(1000 * day);
    expect((await get('/api/auth/me', bearer(token))).statusCode).toBe(200);
  });
});

describe('changing the password', () => {
  const change = (headers: Record<string, string>, extra: object = {}) =>
    t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers,
      payload: {
        current_password: 'correct horse battery staple',
        new_password: 'a brand new password',
        ...extra,
      },
    });

  it('signs out every session and revokes every personal API token by default', async () => {
    const user = await registerUser(t.app);
    const { token } = (await post('/api/auth/tokens', { name: 'script' }, user.headers)).json();
    expect((await change(user.headers)).statusCode).toBe(200);
    const afterwards = await get('/api/me/tasks', bearer(token));
    expect(afterwards.statusCode).toBe(401);
    expect((await post('/api/auth/refresh', { refresh_token: user.refreshToken })).statusCode).toBe(401);
  });

  it('keeps personal API tokens with revoke_api_tokens: false, and still signs sessions out', async () => {
    const user = await registerUser(t.app);
    const { token } = (await post('/api/auth/tokens', { name: 'script' }, user.headers)).json();
    expect((await change(user.headers, { revoke_api_tokens: false })).statusCode).toBe(200);
    expect((await get('/api/me/tasks', bearer(token))).statusCode).toBe(200);
    expect((await post('/api/auth/refresh', { refresh_token: user.refreshToken })).statusCode).toBe(401);
  });

  it('refuses revoke_api_tokens without a new password', async () => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: user.headers,
      payload: { name: 'x', revoke_api_tokens: false },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('body.revoke_api_tokens');
  });
});
