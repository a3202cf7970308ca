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

    const requestLines = lines.filter((line) => line.req || line.res);
    expect(requestLines.length).toBeGreaterThanOrEqual(4);
    for (const line of requestLines) expect(line.request_id).toEqual(expect.any(String));
    expect(lines.filter((line) => line.request_id === 'login-trace-1')).toHaveLength(2);

    const everything = JSON.stringify(lines);
    expect(everything).not.toContain(user.password);
    expect(everything).not.toContain(user.accessToken);
    expect(everything).not.toContain(user.refreshToken);
  });
});
