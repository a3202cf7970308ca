import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  expectProblem,
  type InjectedResponse,
  registerUser,
  type TestApp,
  type TestUser,
} from '../../test/helpers.ts';
import { MAX_JSON_DEPTH } from '../http/body-parsers.ts';
import { type Client, clientFor, movableClock, withApiToken } from './tasks.test-helpers.ts';

const time = movableClock('2026-12-03T10:00:00Z');
let t: TestApp;
let user: TestUser;
let api: Client;

beforeAll(async () => {
  t = await createTestApp({ clock: time.clock });
  user = await withApiToken(t, await registerUser(t.app));
  api = clientFor(t, user);
});
afterAll(() => t.close());

async function taskCount(): Promise<number> {
  const result = await t.database.db.execute(
    sql`select cast(count(*) as integer) as n from tasks where user_id = ${user.id}`,
  );
  return (result as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? -1;
}

describe('ETags', () => {
  it('answers If-None-Match with the current ETag (weak or in a list) with 304 and no body', async () => {
    const created = await api.post('/api/me/tasks', { title: 'Cached' });
    const { etag, location } = created.headers as { etag: string; location: string };
    for (const ifNoneMatch of [etag, `W/${etag}`, `"0-0", ${etag}`, '*']) {
      const response = await api.get(location, { 'if-none-match': ifNoneMatch });
      expect(response.statusCode).toBe(304);
      expect(response.body).toBe('');
      expect(response.headers.etag).toBe(etag);
    }
    const stale = await api.get(location, { 'if-none-match': '"0-0"' });
    expect(stale.statusCode).toBe(200);
  });

  it('writes with If-Match when the ETag is current, and answers the new ETag', async () => {
    const task = await api.post('/api/me/tasks', { title: 'Guarded' });
    const etag = task.headers.etag as string;
    const url = task.headers.location as string;
    const patched = await api.patch(url, { title: 'Guarded 2' }, { 'if-match': etag });
    expect(patched.statusCode).toBe(200);
    expect(patched.headers.etag).not.toBe(etag);
    const put = await api.put(url, { title: 'Guarded 3' }, { 'if-match': `"0-0", ${patched.headers.etag}` });
    expect(put.statusCode).toBe(200);
    const completed = await api.patch(`${url}/complete`, undefined, {
      'if-match': put.headers.etag as string,
    });
    expect(completed.statusCode).toBe(200);
    const any = await api.patch(url, { priority: 'low' }, { 'if-match': '*' });
    expect(any.statusCode).toBe(200);
    const deleted = await api.delete(url, { 'if-match': any.headers.etag as string });
    expect(deleted.statusCode).toBe(204);
  });

  it('refuses a stale or weak ETag with 412 on every write, writing nothing', async () => {
    const task = await api.post('/api/me/tasks', { title: 'Contended', tags: ['a'] });
    const url = task.headers.location as string;
    const stale = task.headers.etag as string;
    const current = await api.patch(url, { description: 'changed by someone else' });
    const before = await api.get(url);
    for (const response of [
      await api.put(url, { title: 'lost update' }, { 'if-match': stale }),
      await api.patch(url, { title: 'lost update', tags: ['b'] }, { 'if-match': stale }),
      await api.patch(`${url}/complete`, undefined, { 'if-match': stale }),
      await api.delete(url, { 'if-match': stale }),
      await api.patch(url, { title: 'weak' }, { 'if-match': `W/${current.headers.etag}` }),
    ]) {
      expectProblem(response, 412, 'tasks.precondition_failed');
      expect(response.headers.etag).toBe(current.headers.etag);
    }
    const after = await api.get(url);
    expect(after.json()).toEqual(before.json());
    expect(after.headers.etag).toBe(before.headers.etag);
  });

  it('refuses a malformed If-Match with 400 naming the header, writing nothing', async () => {
    const task = await api.post('/api/me/tasks', { title: 'Malformed' });
    const url = task.headers.location as string;
    for (const ifMatch of ['12-1', '"unterminated', 'W/', '"a" "b"']) {
      const body = expectProblem(
        await api.patch(url, { title: 'x' }, { 'if-match': ifMatch }),
        400,
        'request.invalid',
      );
      expect(body.errors?.map((e) => e.field)).toEqual(['header.if-match']);
      expectProblem(await api.delete(url, { 'if-match': ifMatch }), 400, 'request.invalid');
    }
    expect((await api.get(url)).json().title).toBe('Malformed');
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response to a retry with the same key and body, creating nothing more', async () => {
    const before = await taskCount();
    const headers = { 'idempotency-key': 'create-1' };
    const first = await api.post('/api/me/tasks', { title: 'Once', tags: ['x'], priority: 'high' }, headers);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    await api.patch(first.headers.location as string, { title: 'Changed since' });
    time.advance(3_600_000);
    // The same body with its keys in another order is the same request.
    const retry = await api.post('/api/me/tasks', { priority: 'high', tags: ['x'], title: 'Once' }, headers);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(first.body);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers.etag).toBe(first.headers.etag);
    expect(await taskCount()).toBe(before + 1);
  });

  it('refuses the same key with a different body with 422, creating nothing', async () => {
    const headers = { 'idempotency-key': 'create-2' };
    await api.post('/api/me/tasks', { title: 'Original' }, headers);
    const before = await taskCount();
    const response = await api.post('/api/me/tasks', { title: 'Something else' }, headers);
    expectProblem(response, 422, 'tasks.idempotency_key_reused');
    expect(await taskCount()).toBe(before);
  });

  it('creates once when two requests with the same key race', async () => {
    const before = await taskCount();
    const headers = { 'idempotency-key': 'race-1' };
    const [a, b] = await Promise.all([
      api.post('/api/me/tasks', { title: 'Raced' }, headers),
      api.post('/api/me/tasks', { title: 'Raced' }, headers),
    ]);
    expect([a?.statusCode, b?.statusCode]).toEqual([201, 201]);
    expect(a?.json().id).toBe(b?.json().id);
    expect(await taskCount()).toBe(before + 1);
  });

  it('frees the key when the request fails, and forgets it after 24 hours', async () => {
    const headers = { 'idempotency-key': 'create-3' };
    expectProblem(await api.post('/api/me/tasks', { title: '' }, headers), 400, 'request.invalid');
    const first = await api.post('/api/me/tasks', { title: 'Valid now' }, headers);
    expect(first.statusCode).toBe(201);
    time.advance(24 * 3_600_000 + 1);
    const later = await api.post('/api/me/tasks', { title: 'A day later' }, headers);
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.json().id).not.toBe(first.json().id);
  });

  it('refuses a key that is not 1-255 visible ASCII characters', async () => {
    for (const key of ['x'.repeat(256), 'with space']) {
      const body = expectProblem(
        await api.post('/api/me/tasks', { title: 'k' }, { 'idempotency-key': key }),
        400,
        'request.invalid',
      );
      expect(body.errors?.[0]?.field).toBe('header.idempotency-key');
    }
  });
});

describe('bad input', () => {
  it('refuses unknown fields by name, with the field that was probably meant, and writes nothing', async () => {
    const before = await taskCount();
    const response = await api.post('/api/me/tasks', { title: 'typo', due: '2026-12-03', prio: 'high' });
    const body = expectProblem(response, 400, 'request.invalid');
    expect(body.errors).toEqual([
      { field: 'body.due', message: 'is not a field of this request (did you mean `due_date`?)' },
      { field: 'body.prio', message: 'is not a field of this request (did you mean `priority`?)' },
    ]);
    const task = await api.create({ title: 'Target' });
    const patched = await api.patch(`/api/me/tasks/${task.id}`, { titel: 'renamed' });
    expect(expectProblem(patched, 400, 'request.invalid').errors).toEqual([
      { field: 'body.titel', message: 'is not a field of this request (did you mean `title`?)' },
    ]);
    expect(await taskCount()).toBe(before + 1);
  });

  it('answers a body of 60,000 unknown fields in a few lines, naming ten and counting the rest', async () => {
    const before = await taskCount();
    const fields = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`f${i}`, 0]));
    const response = await api.post('/api/me/tasks', { title: 'flood', ...fields });
    const body = expectProblem(response, 400, 'request.invalid');
    expect(body.errors).toHaveLength(11);
    expect(body.errors?.[10]).toEqual({ field: 'body', message: 'has 59990 more problems like these' });
    expect(response.body.length).toBeLessThan(4_000);
    expect(await taskCount()).toBe(before);
    // Nor a few names of 90,000 characters each: each is said by its first hundred.
    const long = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`${i}${'n'.repeat(90_000)}`, 0]));
    const named = await api.post('/api/me/tasks', { title: 'flood', ...long });
    expectProblem(named, 400, 'request.invalid');
    expect(named.body.length).toBeLessThan(8_000);
  });

  it('refuses a query parameter the route does not take, naming the one probably meant, and writes nothing', async () => {
    const before = await taskCount();
    const typo = expectProblem(await api.get('/api/me/tasks?staus=completed'), 400, 'request.invalid');
    expect(typo.errors).toEqual([
      { field: 'query.staus', message: 'is not known here (did you mean `status`?)' },
    ]);
    expect(typo.detail).toBe(
      'The request is invalid: query parameter `staus` is not known here (did you mean `status`?).',
    );
    // The page's own address says `tag`; the API's parameter is `tags`.
    expect(expectProblem(await api.get('/api/me/tasks?tag=home'), 400, 'request.invalid').errors).toEqual([
      { field: 'query.tag', message: 'is not known here (did you mean `tags`?)' },
    ]);
    // Routes that take no query string refuse any parameter, with a body as without, under an alias too.
    for (const [method, url, payload] of [
      ['GET', '/api/me/tags?limit=5', undefined],
      ['POST', '/api/me/tasks?priority=high', { title: 'Not created' }],
      ['GET', '/auth/me?verbose=1', undefined],
    ] as const) {
      const response = await t.app.inject({ method, url, headers: user.headers, payload });
      const [, name] = /\?(\w+)=/.exec(url) ?? [];
      expect(expectProblem(response, 400, 'request.invalid').errors).toEqual([
        { field: `query.${name}`, message: 'is not known here' },
      ]);
    }
    expect(await taskCount()).toBe(before);
  });

  it('names fields as the client wrote them, in plain words rather than the validation library’s', async () => {
    const cases: Array<[Promise<InjectedResponse>, string, string]> = [
      [api.get('/api/me/tasks?status=done'), 'query.status', 'must be one of all, pending, completed'],
      [api.get('/api/me/tasks?order=up'), 'query.order', 'must be one of asc, desc'],
      [
        api.get('/api/me/tasks?priority=high,critical'),
        'query.priority',
        'must be one of low, medium, high, urgent',
      ],
      [api.post('/api/me/tasks', { title: 't', tags: ['ok', ' '] }), 'body.tags[1]', 'must not be empty'],
      [
        api.post('/api/me/tasks/quick', { text: 'x'.repeat(1_001) }),
        'body.text',
        'must be at most 1000 characters',
      ],
      [api.get('/api/me/tasks/12abc'), 'path.task_id', 'must be a task id (a positive whole number)'],
    ];
    for (const [pending, field, words] of cases) {
      const body = expectProblem(await pending, 400, 'request.invalid');
      expect(body.errors?.find((error) => error.field === field)?.message, JSON.stringify(body)).toContain(
        words,
      );
    }
  });

  it('leaves the parameters of what is not the JSON API alone: probes, documentation, the OAuth callback', async () => {
    for (const url of ['/health/live?nocache=1', '/openapi.json?v=2', '/docs/json?x=1']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
  });

  it('takes back a task it sent out: the read-only fields of a GET can go into a PUT', async () => {
    const task = await api.create({ title: 'Round trip', tags: ['a'] });
    const response = await api.put(`/api/me/tasks/${task.id}`, { ...task, title: 'Round trip, edited' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: task.id, title: 'Round trip, edited', tags: ['a'] });
  });

  it('says a missing field is required, and a missing or non-object body what to send', async () => {
    const missing = expectProblem(await api.post('/api/me/tasks', {}), 400, 'request.invalid');
    expect(missing.errors).toEqual([{ field: 'body.title', message: 'is required' }]);
    expect(missing.detail).toBe('The request is invalid: `title` is required.');
    const wrongType = expectProblem(await api.post('/api/me/tasks', { title: 5 }), 400, 'request.invalid');
    expect(wrongType.errors).toEqual([
      { field: 'body.title', message: 'must be a string, not a whole number' },
    ]);
    const list = expectProblem(await api.post('/api/me/tasks', [{ title: 'x' }]), 400, 'request.invalid');
    expect(list.errors).toEqual([
      { field: 'body', message: 'must be a JSON object; send one with Content-Type: application/json' },
    ]);
  });

  it('answers a body sent without Content-Type, as text or as a form with 415 naming the header to send', async () => {
    const send = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/me/tasks',
        headers: { ...user.headers, ...headers },
        payload: '{"title":"no header"}',
      });
    const before = await taskCount();
    for (const [headers, words] of [
      [{}, 'no Content-Type'],
      [{ 'content-type': 'text/plain;charset=UTF-8' }, 'Content-Type text/plain is not accepted here'],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 'Content-Type: application/json'],
    ] as const) {
      const body = expectProblem(await send(headers), 415, 'request.unsupported_media_type');
      expect(body.detail).toContain(words);
      expect(body.detail).toContain('application/json');
    }
    expect(await taskCount()).toBe(before);
  });

  it('answers 404 for a task id beyond any id ever given out', async () => {
    expectProblem(await api.get('/api/me/tasks/99999999999'), 404, 'tasks.not_found');
    expectProblem(await api.delete('/api/me/tasks/99999999999999999999999'), 404, 'tasks.not_found');
  });

  it('names the quick-add text, the only field sent, when the task it gives is invalid', async () => {
    const response = await api.post('/api/me/tasks/quick', { text: `${'long '.repeat(50)}tomorrow` });
    expect(expectProblem(response, 400, 'request.invalid').errors).toEqual([
      { field: 'body.text', message: 'gives a title that must be at most 200 characters' },
    ]);
  });

  it('refuses a due date past the year 9999 in UTC, by any way in, where the database had answered 500', async () => {
    const before = await taskCount();
    const { timezone } = (await api.get('/api/auth/me')).json();
    await api.patch('/api/auth/me', { timezone: 'America/New_York' });
    try {
      const late = '9999-12-31T23:59:00-05:00';
      expectProblem(
        await api.post('/api/me/tasks', { title: 'late', due_date: late }),
        400,
        'request.invalid',
      );
      for (const text of ['x 9999-12-31 23:59', 'x on dec 31 9999 at 11pm'])
        expect((await api.post('/api/me/tasks/quick', { text })).statusCode, text).toBe(400);
      const chat = await api.post('/api/me/chat', { message: 'add pay taxes on 9999-12-31 at 23:59' });
      expect(chat.statusCode).toBeLessThan(500);
      expect(await taskCount()).toBe(before);
    } finally {
      await api.patch('/api/auth/me', { timezone });
    }
  });

  it('answers 400 naming the field, and writes nothing', async () => {
    const task = await api.create({ title: 'Target' });
    const url = `/api/me/tasks/${task.id}`;
    const before = await taskCount();
    const cases: Array<[Promise<InjectedResponse>, string]> = [
      [api.post('/api/me/tasks', { title: 'p', priority: 'critical' }), 'body.priority'],
      [api.post('/api/me/tasks', { title: 'd', due_date: '2026-02-30' }), 'body.due_date'],
      [api.post('/api/me/tasks', { title: 'd', due_date: '2026-12-03T10:00:00' }), 'body.due_date'],
      [api.post('/api/me/tasks', { title: 'd', due_date: '2026-12-03T24:00:00Z' }), 'body.due_date'],
      [api.post('/api/me/tasks', { title: 'd', due_date: 'tomorrow' }), 'body.due_date'],
      [api.post('/api/me/tasks', { title: 'x'.repeat(10_000) }), 'body.title'],
      [api.post('/api/me/tasks', { title: '   ' }), 'body.title'],
      [api.post('/api/me/tasks', { title: ['array'] }), 'body.title'],
      [api.post('/api/me/tasks', { description: 'no title' }), 'body.title'],
      [api.post('/api/me/tasks', { title: 'd', description: 'y'.repeat(10_001) }), 'body.description'],
      [api.post('/api/me/tasks', { title: 't', tags: 'home' }), 'body.tags'],
      [api.post('/api/me/tasks', { title: 't', tags: ['a,b'] }), 'body.tags[0]'],
      [api.post('/api/me/tasks', { title: 't', tags: ['z'.repeat(51)] }), 'body.tags[0]'],
      [
        api.post('/api/me/tasks', { title: 't', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }),
        'body.tags',
      ],
      [api.post('/api/me/tasks', { title: 'r', recurrence: 'FREQ=SOMETIMES' }), 'body.recurrence'],
      [api.post('/api/me/tasks', { title: 'r', recurrence: 'FREQ=HOURLY' }), 'body.recurrence'],
      [
        api.post('/api/me/tasks', { title: 'r', recurrence: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' }),
        'body.recurrence',
      ],
      [api.post('/api/me/tasks', { title: 'r', recurrence: 'FREQ=DAILY;INTERVAL=0' }), 'body.recurrence'],
      [
        api.post('/api/me/tasks', { title: 'r', recurrence: 'FREQ=DAILY;COUNT=2;UNTIL=20270101' }),
        'body.recurrence',
      ],
      [api.post('/api/me/tasks', { title: 'c', completed: 'yes' }), 'body.completed'],
      [api.put(url, { priority: 'high' }), 'body.title'],
      [api.patch(url, { title: null }), 'body.title'],
      [api.patch(url, { priority: null }), 'body.priority'],
      [api.patch(`${url}/complete`, { completed: 'maybe' }), 'body.completed'],
      [api.get('/api/me/tasks?limit=0'), 'query.limit'],
      [api.get('/api/me/tasks?limit=10000'), 'query.limit'],
      [api.get('/api/me/tasks?limit=ten'), 'query.limit'],
      [api.get('/api/me/tasks?offset=-1'), 'query.offset'],
      [api.get('/api/me/tasks?sort_by=password'), 'query.sort_by'],
      [api.get('/api/me/tasks?order=sideways'), 'query.order'],
      [api.get('/api/me/tasks?status=done'), 'query.status'],
      [api.get('/api/me/tasks?status=all&status=pending'), 'query.status'],
      [api.get('/api/me/tasks?priority=high,critical'), 'query.priority'],
      [api.get('/api/me/tasks?due=tomorrow'), 'query.due'],
      [api.get('/api/me/tasks?due_before=2026-13-01'), 'query.due_before'],
      [api.get('/api/me/tasks/abc'), 'path.task_id'],
      [api.get('/api/me/tasks/0'), 'path.task_id'],
      [api.delete('/api/me/tasks/1.5'), 'path.task_id'],
    ];
    for (const [pending, field] of cases) {
      const response = await pending;
      const body = expectProblem(response, 400, 'request.invalid');
      expect(
        body.errors?.map((e) => e.field),
        JSON.stringify(body),
      ).toContain(field);
      // The sentence names the field as the client wrote it: `priority`, query parameter `limit`.
      expect(body.detail).toContain(`\`${field.split('.').slice(1).join('.')}\``);
    }
    expect(await taskCount()).toBe(before);
    expect((await api.get(url)).json()).toEqual(task);
  });

  it('answers a body that is not an object, or not JSON, with 400', async () => {
    expectProblem(await api.post('/api/me/tasks', [{ title: 'x' }]), 400, 'request.invalid');
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/me/tasks',
      headers: { ...user.headers, 'content-type': 'application/json' },
      payload: '{"title": ',
    });
    expectProblem(malformed, 400, 'request.malformed_json');
  });

  it('names a __proto__ key as what is refused, not the JSON, and writes nothing', async () => {
    const before = await taskCount();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/me/tasks',
      headers: { ...user.headers, 'content-type': 'application/json' },
      payload: '{"title":"x","__proto__":{"a":1}}',
    });
    const body = expectProblem(response, 400, 'request.forbidden_key');
    expect(body.detail).toContain('__proto__');
    expect(await taskCount()).toBe(before);
  });

  it('refuses a body nested deeper than MAX_JSON_DEPTH before parsing it', async () => {
    const post = (payload: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/me/tasks',
        headers: { ...user.headers, 'content-type': 'application/json' },
        payload,
      });
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deep = await post(nested(MAX_JSON_DEPTH + 1));
    expect(expectProblem(deep, 400, 'request.too_deep').detail).toContain('10,000');
    // Unclosed, as a hostile client sends it: refused for its depth before the parser walks a mebibyte of it.
    expectProblem(await post('['.repeat(1024 * 1024 - 10)), 400, 'request.too_deep');
    // As deep as allowed: parsed, then refused by validation like any body that is not an object.
    expectProblem(await post(nested(MAX_JSON_DEPTH)), 400, 'request.invalid');
    // Brackets inside strings are text.
    const title = `[{"${'['.repeat(150)}`;
    const created = await post(JSON.stringify({ title, description: '{'.repeat(20_000) }));
    expect(created.statusCode === 201 || created.statusCode === 400).toBe(true);
    if (created.statusCode === 400) expect(created.json().code).toBe('request.invalid');
  });
});
