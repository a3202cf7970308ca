import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, createTestApp, registerUser, type TestApp } from '../../test/helpers.ts';

describe('logs', () => {
  const { lines, stream } = captureLogs();
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LOG_LEVEL: 'info' }, logStream: stream });
  });
  afterAll(() => t.close());

  it('are one line per request, with its method, url, status, response time and request id', async () => {
    await t.app.inject({
      method: 'GET',
      url: '/api/me/tasks?limit=1',
      headers: { 'x-request-id': 'one-line-1' },
    });
    const ofRequest = lines.filter((line) => line.request_id === 'one-line-1');
    expect(ofRequest).toEqual([
      expect.objectContaining({
        msg: 'request completed',
        method: 'GET',
        url: '/api/me/tasks?limit=1',
        status: 401,
        response_time_ms: expect.any(Number),
      }),
    ]);
  });

  it('carry the request id on every line of a request and never a password or token', async () => {
    const user = await registerUser(t.app);
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-request-id': 'login-trace-1' },
      payload: { email: user.email, password: user.password },
    });
    await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { ...user.headers, 'x-request-id': 'me-trace-2' },
    });

    const requestLines = lines.filter((line) => line.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThanOrEqual(3);
    for (const line of requestLines) expect(line.request_id).toEqual(expect.any(String));

    const everything = JSON.stringify(lines);
    expect(everything).not.toContain(user.password);
    expect(everything).not.toContain(user.accessToken);
    expect(everything).not.toContain(user.refreshToken);
  });
});

describe('logged URLs', () => {
  const { lines, stream } = captureLogs();
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LOG_LEVEL: 'info' }, logStream: stream });
  });
  afterAll(() => t.close());

  const loggedUrl = async (url: string, id: string) => {
    await t.app.inject({ method: 'GET', url, headers: { 'x-request-id': id } });
    return lines.find((line) => line.request_id === id && line.msg === 'request completed')?.url;
  };

  it('hide the code and state of an OAuth callback', async () => {
    const url = await loggedUrl(
      '/api/auth/oauth/github/callback?code=gho_S3cretCode&state=st4te-value&iss=https%3A%2F%2Fid.example',
      'callback-1',
    );
    expect(url).toBe(
      '/api/auth/oauth/github/callback?code=[redacted]&state=[redacted]&iss=https%3A%2F%2Fid.example',
    );
  });

  it('hide every token-like query value and keep the rest as sent', async () => {
    const secrets = {
      access_token: 'acc3ss',
      refresh_token: 'r3fresh',
      token: 't0ken',
      id_token: 'id-t0ken',
      password: 'hunter22',
      client_secret: 'cl1ent',
      api_key: 'ap1key',
      key: 'k3y',
      'X-Amz-Signature': 's1gnature',
      Secret: 'upp3r',
      // The page's anti-login-CSRF value: whoever reads it could hand a pending tab a session of their own.
      return_state: 'p3nding-tab-state',
    };
    const query = new URLSearchParams({ limit: '5', ...secrets, search: 'milk' });
    const url = String(await loggedUrl(`/api/me/tasks?${query}`, 'tokens-1'));
    for (const value of Object.values(secrets)) expect(url).not.toContain(value);
    expect(url).toMatch(/^\/api\/me\/tasks\?limit=5&access_token=\[redacted\]&/);
    expect(url).toContain('&key=[redacted]&');
    expect(url).toMatch(/&search=milk$/);
  });
});
