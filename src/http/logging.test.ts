import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, type TestApp } from '../../test/helpers.ts';

describe('logs', () => {
  const lines: Array<Record<string, unknown>> = [];
  let t: TestApp;
  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    t = await createTestApp({ env: { LOG_LEVEL: 'info' }, logStream });
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
