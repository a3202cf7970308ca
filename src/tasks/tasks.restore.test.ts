import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  expectProblem,
  registerUser,
  type TestApp,
  type TestUser,
} from '../../test/helpers.ts';
import { exportedTask } from '../export/testing.ts';
import { createTasksRepository } from './tasks.repository.ts';
import { DELETED_TASK_RETENTION_DAYS } from './tasks.service.ts';
import { deletedTasks, taskCompletions } from './tasks.tables.ts';
import { type Client, clientFor, movableClock, withApiToken } from './tasks.test-helpers.ts';

const time = movableClock('2026-12-03T10:00:00Z');
const DAY_MS = 86_400_000;
let t: TestApp;
let user: TestUser;
let api: Client;

beforeAll(async () => {
  t = await createTestApp({ clock: time.clock });
  // The clock moves by weeks here: a token that outlives the 15-minute access token.
  user = await withApiToken(t, await registerUser(t.app));
  api = clientFor(t, user);
});
afterAll(() => t.close());

const completionsOf = (taskId: number) =>
  t.database.db
    .select({ id: taskCompletions.id, due_date: taskCompletions.due_date })
    .from(taskCompletions)
    .where(eq(taskCompletions.task_id, taskId));
const trashOf = (userId: string) =>
  t.database.db
    .select({ task_id: deletedTasks.task_id })
    .from(deletedTasks)
    .where(eq(deletedTasks.user_id, userId));

describe('restoring a deleted task', () => {
  it('brings back the same task, completions included, as a new version', async () => {
    const created = await api.create({
      title: 'Water the plants',
      description: 'the ferns too',
      priority: 'high',
      tags: ['Home', 'garden'],
      due_date: '2026-12-07',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO',
    });
    time.advance(60_000);
    const completed = await api.patch(`/api/me/tasks/${created.id}/complete`, { completed: true });
    const before = (await api.get(`/api/me/tasks/${created.id}`)).json();
    const oldEtag = completed.headers.etag as string;
    const history = await completionsOf(created.id);
    expect(history).toHaveLength(1);

    time.advance(60_000);
    expect((await api.delete(`/api/me/tasks/${created.id}`)).statusCode).toBe(204);
    expect((await api.get(`/api/me/tasks/${created.id}`)).statusCode).toBe(404);
    time.advance(60_000);
    const restored = await api.post(`/api/me/tasks/${created.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toEqual({ ...before, updated_at: time.clock().toISOString() });
    expect(restored.json().created_at).toBe(created.created_at);
    expect(await completionsOf(created.id)).toEqual(history);

    // A client holding the deleted task's ETag must not take the restored one for it.
    expect(restored.headers.etag).not.toBe(oldEtag);
    expect((await api.get(`/api/me/tasks/${created.id}`)).headers.etag).toBe(restored.headers.etag);
    const stale = await api.patch(`/api/me/tasks/${created.id}`, { title: 'x' }, { 'if-match': oldEtag });
    expectProblem(stale, 412, 'tasks.precondition_failed');
    expect((await api.get('/api/me/tags')).json()).toEqual(
      expect.arrayContaining([{ name: 'Home', count: 1, total: 1 }]),
    );
  });

  it('restores once: a second restore is a 404', async () => {
    const { id } = await api.create({ title: 'Once' });
    await api.delete(`/api/me/tasks/${id}`);
    expect((await api.post(`/api/me/tasks/${id}/restore`)).statusCode).toBe(200);
    expectProblem(await api.post(`/api/me/tasks/${id}/restore`), 404, 'tasks.not_found');
    expect((await api.get(`/api/me/tasks?search=once`)).json().total).toBe(1);
  });

  it('is a 404 for an unknown id, a task that was never deleted, and another user’s deleted task', async () => {
    expectProblem(await api.post('/api/me/tasks/2147483647/restore'), 404, 'tasks.not_found');
    const { id: live } = await api.create({ title: 'Still here' });
    expectProblem(await api.post(`/api/me/tasks/${live}/restore`), 404, 'tasks.not_found');

    const other = clientFor(t, await withApiToken(t, await registerUser(t.app)));
    const { id: theirs } = await other.create({ title: 'Theirs' });
    await other.delete(`/api/me/tasks/${theirs}`);
    expectProblem(await api.post(`/api/me/tasks/${theirs}/restore`), 404, 'tasks.not_found');
    expect((await api.get(`/api/me/tasks/${theirs}`)).statusCode).toBe(404);
    // Nothing was taken from its owner, who can still restore it.
    expect((await other.post(`/api/me/tasks/${theirs}/restore`)).json()).toMatchObject({ title: 'Theirs' });
  });

  it('is refused once the task was deleted longer ago than the retention, and the entry is purged', async () => {
    const { id } = await api.create({ title: 'Old news' });
    await api.delete(`/api/me/tasks/${id}`);
    time.advance(DELETED_TASK_RETENTION_DAYS * DAY_MS + 1);
    expectProblem(await api.post(`/api/me/tasks/${id}/restore`), 404, 'tasks.not_found');
    expect((await trashOf(user.id)).map((row) => row.task_id)).toContain(id);

    // Any later delete, by anyone, forgets the old entries.
    const other = clientFor(t, await withApiToken(t, await registerUser(t.app)));
    const { id: theirs } = await other.create({ title: 'Something else' });
    await other.delete(`/api/me/tasks/${theirs}`);
    expect((await trashOf(user.id)).map((row) => row.task_id)).not.toContain(id);
  });

  it('keeps only the newest deleted tasks of a user beyond the bound', async () => {
    const owner = await withApiToken(t, await registerUser(t.app));
    const client = clientFor(t, owner);
    const ids: number[] = [];
    for (const title of ['one', 'two', 'three']) {
      const { id } = await client.create({ title });
      time.advance(1_000);
      await client.delete(`/api/me/tasks/${id}`);
      ids.push(id);
    }
    await createTasksRepository(t.database.db).purgeDeleted(owner.id, new Date(0), 2);
    expect((await trashOf(owner.id)).map((row) => row.task_id).sort()).toEqual(ids.slice(1).sort());
    expectProblem(await client.post(`/api/me/tasks/${ids[0]}/restore`), 404, 'tasks.not_found');
  });

  it('is a 409 when an import brought the task back meanwhile, and changes nothing', async () => {
    const owner = await withApiToken(t, await registerUser(t.app));
    const client = clientFor(t, owner);
    const at = '2026-01-01T00:00:00.000Z';
    const file = {
      format: 'doable-export',
      version: 1,
      exported_at: at,
      profile: { id: 'x', email: null, name: 'x', timezone: 'UTC', created_at: at },
      tags: ['home'],
      tasks: [exportedTask(1, at)],
      conversations: [],
      api_tokens: [],
    };
    expect((await client.post('/api/me/import', file)).statusCode).toBe(200);
    const [imported] = (await client.get('/api/me/tasks')).json().tasks;
    await client.delete(`/api/me/tasks/${imported.id}`);
    expect((await client.post('/api/me/import', file)).json().tasks).toEqual({ created: 1, skipped: 0 });
    expectProblem(await client.post(`/api/me/tasks/${imported.id}/restore`), 409, 'tasks.restore_conflict');
    expect((await client.get('/api/me/tasks')).json().total).toBe(1);
    expect((await trashOf(owner.id)).map((row) => row.task_id)).toEqual([imported.id]);

    // The same for a task made here and brought back by importing the account's own export.
    const { id } = await client.create({ title: 'Made here' });
    const exported = (await client.get('/api/me/export')).json();
    await client.delete(`/api/me/tasks/${id}`);
    expect((await client.post('/api/me/import', exported)).json().tasks).toMatchObject({ created: 1 });
    expectProblem(await client.post(`/api/me/tasks/${id}/restore`), 409, 'tasks.restore_conflict');
  });

  it('leaves nothing behind when the account is deleted', async () => {
    const owner = await registerUser(t.app);
    const client = clientFor(t, owner);
    const { id } = await client.create({ title: 'Mine' });
    await client.delete(`/api/me/tasks/${id}`);
    expect(await trashOf(owner.id)).toHaveLength(1);
    await t.database.db.execute(sql`delete from users where id = ${owner.id}`);
    expect(await trashOf(owner.id)).toHaveLength(0);
  });
});
