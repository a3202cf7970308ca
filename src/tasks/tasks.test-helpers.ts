import { eq } from 'drizzle-orm';
import type { TestApp, TestUser } from '../../test/helpers.ts';
import { API_TOKEN_MAX_DAYS } from '../auth/index.ts';
import type { Db } from '../db/database.ts';
import { taskCompletions } from './tasks.tables.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A user's view of the API: each call carries their bearer token. */
export function clientFor(t: TestApp, user: TestUser) {
  const call = (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method,
      url,
      headers: { ...user.headers, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return {
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, payload?: unknown, headers?: Record<string, string>) =>
      call('POST', url, payload, headers),
    put: (url: string, payload?: unknown, headers?: Record<string, string>) =>
      call('PUT', url, payload, headers),
    patch: (url: string, payload?: unknown, headers?: Record<string, string>) =>
      call('PATCH', url, payload, headers),
    delete: (url: string, headers?: Record<string, string>) => call('DELETE', url, undefined, headers),

    /** Creates a task through the API and returns its body. */
    async create(body: Record<string, unknown>) {
      const response = await call('POST', '/api/me/tasks', body);
      if (response.statusCode !== 201)
        throw new Error(`create failed: ${response.statusCode} ${response.body}`);
      return response.json();
    },
  };
}

export type Client = ReturnType<typeof clientFor>;

/**
 * Signs the user in with a personal API token instead of the 15-minute access token, for tests that move
 * the clock by hours: every scope, and the longest lifetime (a year).
 */
export async function withApiToken(t: TestApp, user: TestUser): Promise<TestUser> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/auth/tokens',
    headers: user.headers,
    payload: { name: 'tests', scopes: ['account'], expires_in_days: API_TOKEN_MAX_DAYS },
  });
  if (response.statusCode !== 201) throw new Error(`token failed: ${response.statusCode} ${response.body}`);
  return { ...user, headers: { authorization: `Bearer ${response.json().token}` } };
}

/** A clock that tests can move. */
export function movableClock(start: string) {
  let now = new Date(start);
  return {
    clock: () => now,
    set: (at: string) => {
      now = new Date(at);
    },
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

/** The completions recorded of a task (the history a recurring task keeps), as stored. */
export function completionsOf(db: Db, taskId: number) {
  return db.select().from(taskCompletions).where(eq(taskCompletions.task_id, taskId));
}
