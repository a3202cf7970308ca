import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  expectProblem,
  registerUser,
  type TestApp,
  type TestUser,
} from '../../test/helpers.ts';
import { type Client, clientFor } from './tasks.test-helpers.ts';

let t: TestApp;
let owner: TestUser;
let intruder: TestUser;
let ownerApi: Client;
let intruderApi: Client;
let task: { id: number };

beforeAll(async () => {
  t = await createTestApp();
  owner = await registerUser(t.app);
  intruder = await registerUser(t.app);
  ownerApi = clientFor(t, owner);
  intruderApi = clientFor(t, intruder);
  task = await ownerApi.create({
    title: 'Secret zeppelin plans',
    description: 'confidential',
    priority: 'urgent',
    tags: ['Classified'],
    due_date: '2026-12-03',
    recurrence: 'FREQ=DAILY',
  });
  await ownerApi.create({ title: 'Second secret', tags: ['classified', 'private'] });
});
afterAll(() => t.close());

/** Everything stored about the owner's tasks, to prove that nothing changed. */
async function ownerState() {
  const result = await t.database.db.execute(sql`
    select t.id, t.title, t.description, t.completed, t.priority, t.due_date, t.recurrence, t.version,
      t.updated_at, t.tags
    from tasks t where t.user_id = ${owner.id} order by t.id`);
  const counts = await t.database.db.execute(sql`
    select (select count(*) from tags where user_id = ${owner.id}) as tags,
      (select count(*) from task_completions) as completions,
      (select count(*) from tasks) as tasks`);
  return JSON.stringify([
    (result as unknown as { rows: unknown[] }).rows,
    (counts as unknown as { rows: unknown[] }).rows,
  ]);
}

describe('another user’s id in the path', () => {
  it('is refused with 403 on every route, before the body or the task is looked at', async () => {
    const before = await ownerState();
    const base = `/api/${owner.id}`;
    const calls = [
      intruderApi.get(`${base}/tasks`),
      intruderApi.get(`${base}/tasks?limit=0`),
      intruderApi.post(`${base}/tasks`, { title: 'planted' }),
      intruderApi.post(`${base}/tasks`, { title: 'x'.repeat(10_000) }),
      intruderApi.get(`${base}/tasks/${task.id}`),
      intruderApi.get(`${base}/tasks/999999`),
      intruderApi.get(`${base}/tasks/not-a-number`),
      intruderApi.put(`${base}/tasks/${task.id}`, { title: 'hijacked' }),
      intruderApi.patch(`${base}/tasks/${task.id}`, { title: 'hijacked' }),
      intruderApi.patch(`${base}/tasks/${task.id}`, { priority: 'catastrophic' }),
      intruderApi.patch(`${base}/tasks/${task.id}/complete`),
      intruderApi.patch(`${base}/tasks/${task.id}/complete`, { completed: true }),
      intruderApi.delete(`${base}/tasks/${task.id}`),
      intruderApi.delete(`${base}/tasks/${task.id}`, { 'if-match': 'garbage' }),
      intruderApi.get(`${base}/tags`),
    ];
    for (const response of await Promise.all(calls)) {
      const body = expectProblem(response, 403, 'tasks.forbidden');
      expect(JSON.stringify(body)).not.toContain('zeppelin');
    }
    expect(await ownerState()).toBe(before);
  });

  it('is refused for a made-up id too, and without a token the answer is 401', async () => {
    expectProblem(await intruderApi.get('/api/somebody-else/tasks'), 403, 'tasks.forbidden');
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/${owner.id}/tasks` });
    expectProblem(anonymous, 401, 'auth.missing_token');
  });
});

describe('another user’s task under your own id', () => {
  it('answers 404 exactly like a task that does not exist, and changes nothing', async () => {
    const before = await ownerState();
    const pairs = [
      ['GET', (id: number | string) => intruderApi.get(`/api/me/tasks/${id}`)],
      ['GET 304?', (id: number | string) => intruderApi.get(`/api/me/tasks/${id}`, { 'if-none-match': '*' })],
      ['PUT', (id: number | string) => intruderApi.put(`/api/me/tasks/${id}`, { title: 'hijacked' })],
      ['PATCH', (id: number | string) => intruderApi.patch(`/api/me/tasks/${id}`, { completed: true })],
      ['complete', (id: number | string) => intruderApi.patch(`/api/me/tasks/${id}/complete`)],
      ['DELETE', (id: number | string) => intruderApi.delete(`/api/${intruder.id}/tasks/${id}`)],
      [
        'DELETE if-match',
        (id: number | string) => intruderApi.delete(`/api/me/tasks/${id}`, { 'if-match': '*' }),
      ],
    ] as const;
    for (const [, call] of pairs) {
      const theirs = await call(task.id);
      const missing = await call(2_000_000_000);
      const a = expectProblem(theirs, 404, 'tasks.not_found');
      const b = expectProblem(missing, 404, 'tasks.not_found');
      expect({ ...a, instance: '', request_id: '' }).toEqual({ ...b, instance: '', request_id: '' });
      expect(theirs.headers.etag).toBeUndefined();
    }
    expect(await ownerState()).toBe(before);
  });
});

describe('what another user can see', () => {
  it('leaks nothing through lists, counts, tags or search', async () => {
    const list = await intruderApi.get('/api/me/tasks');
    expect(list.json()).toEqual({ tasks: [], total: 0, limit: 50, offset: 0 });
    expect((await intruderApi.get('/api/me/tasks?search=zeppelin')).json().total).toBe(0);
    expect((await intruderApi.get('/api/me/tasks?tags=classified')).json().total).toBe(0);
    expect((await intruderApi.get('/api/me/tasks?due=today&priority=urgent')).json().total).toBe(0);
    expect((await intruderApi.get('/api/me/tags')).json()).toEqual([]);

    // Writing the owner's tag name gets the intruder a tag of their own spelling, not the owner's.
    const mine = await intruderApi.create({ title: 'My own', tags: ['CLASSIFIED'] });
    expect(mine.tags).toEqual(['CLASSIFIED']);
    expect((await intruderApi.get('/api/me/tags')).json()).toEqual([
      { name: 'CLASSIFIED', count: 1, total: 1 },
    ]);
    expect((await ownerApi.get('/api/me/tags')).json()).toEqual([
      { name: 'Classified', count: 2, total: 2 },
      { name: 'private', count: 1, total: 1 },
    ]);
    await intruderApi.delete(`/api/me/tasks/${mine.id}`);
  });

  it('gives ETags that depend only on the task itself, not on other users’ activity', async () => {
    const mine = await intruderApi.post('/api/me/tasks', { title: 'Mine' });
    const etag = mine.headers.etag;
    await ownerApi.patch(`/api/me/tasks/${task.id}`, { description: 'touched' });
    await ownerApi.create({ title: 'More owner work' });
    const again = await intruderApi.get(mine.headers.location as string);
    expect(again.headers.etag).toBe(etag);
    expect(etag).toBe(`"${mine.json().id}-1"`);
  });

  it('keeps Idempotency-Keys apart: the same key from another user is a new request', async () => {
    const key = 'shared-key-123';
    const first = await ownerApi.post('/api/me/tasks', { title: 'Owner keyed' }, { 'idempotency-key': key });
    const second = await intruderApi.post(
      '/api/me/tasks',
      { title: 'Owner keyed' },
      { 'idempotency-key': key },
    );
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.json().user_id).toBe(intruder.id);
    expect(second.json().id).not.toBe(first.json().id);
    const different = await intruderApi.post('/api/me/tasks', { title: 'Other' }, { 'idempotency-key': key });
    expectProblem(different, 422, 'tasks.idempotency_key_reused');
  });
});
