import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  expectProblem,
  registerUser,
  type TestApp,
  type TestUser,
} from '../../test/helpers.ts';
import { type Client, clientFor, movableClock } from '../tasks/testing.ts';

const time = movableClock('2026-12-03T10:00:00Z');
let t: TestApp;
let user: TestUser;
let api: Client;
let other: Client;
let othersList: { id: number };

beforeAll(async () => {
  t = await createTestApp({ clock: time.clock });
  user = await registerUser(t.app);
  api = clientFor(t, user);
  other = clientFor(t, await registerUser(t.app));
  othersList = (await other.post('/api/me/lists', { name: 'Secret plans' })).json();
});
afterAll(() => t.close());

async function createList(name: string): Promise<{ id: number; name: string }> {
  const response = await api.post('/api/me/lists', { name });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const inboxOf = async (client: Client) =>
  ((await client.get('/api/me/lists')).json() as Array<{ id: number; is_inbox: boolean }>).find(
    (list) => list.is_inbox,
  ) as { id: number };

describe('a new account', () => {
  it('has an Inbox, and nothing else', async () => {
    const fresh = clientFor(t, await registerUser(t.app));
    const response = await fresh.get('/api/me/lists');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      {
        id: expect.any(Number),
        name: 'Inbox',
        is_inbox: true,
        role: 'owner',
        owner: null,
        shared: false,
        open_tasks: 0,
        total_tasks: 0,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    ]);
  });

  it('puts tasks in its Inbox unless a list is said', async () => {
    const inbox = await inboxOf(api);
    const task = await api.create({ title: 'Somewhere' });
    expect(task.list_id).toBe(inbox.id);
    expect((await api.get(`/api/me/tasks/${task.id}`)).json().list_id).toBe(inbox.id);
  });
});

describe('creating, renaming and listing lists', () => {
  it('creates a list with a Location, and lists the Inbox first then by name, with task counts', async () => {
    const response = await api.post('/api/me/lists', { name: '  Work  ' });
    expect(response.statusCode).toBe(201);
    const work = response.json();
    expect(work).toMatchObject({
      name: 'Work',
      is_inbox: false,
      role: 'owner',
      open_tasks: 0,
      total_tasks: 0,
    });
    expect(response.headers.location).toBe(`/api/${user.id}/lists/${work.id}`);
    await createList('Anything');
    await api.create({ title: 'Report', list_id: work.id });
    const done = await api.create({ title: 'Slides', list_id: work.id });
    await api.patch(`/api/me/tasks/${done.id}/complete`, {});

    const lists = (await api.get('/api/me/lists')).json() as Array<{ name: string }>;
    expect(lists.map((list) => list.name)).toEqual(['Inbox', 'Anything', 'Work']);
    expect(lists[2]).toMatchObject({ open_tasks: 1, total_tasks: 2 });
    expect((await api.get(`/api/me/lists/${work.id}`)).json()).toMatchObject({
      name: 'Work',
      total_tasks: 2,
    });
  });

  it('refuses a name already used, compared without case, and an empty or too long name', async () => {
    await createList('Groceries');
    expectProblem(await api.post('/api/me/lists', { name: 'GROCERIES' }), 409, 'lists.name_taken');
    expectProblem(await api.post('/api/me/lists', { name: 'inbox' }), 409, 'lists.name_taken');
    expectProblem(await api.post('/api/me/lists', { name: '   ' }), 400, 'request.invalid');
    expectProblem(await api.post('/api/me/lists', { name: 'x'.repeat(101) }), 400, 'request.invalid');
    expectProblem(await api.post('/api/me/lists', { name: 'a', colour: 'red' }), 400, 'request.invalid');
    // A name is shown to the people a list is shared with: no line breaks, nor marks that turn the text around.
    for (const name of [
      'Two\nlines',
      'Tab\there',
      'Invoice \u202Egpj.exe',
      'Isolated \u2067text',
      'Marked \u200Eleft',
      'Shared\u200B',
      'Line\u2028separator',
    ])
      expect(expectProblem(await api.post('/api/me/lists', { name }), 400, 'request.invalid').detail).toMatch(
        /line breaks, tabs, invisible characters or text-direction marks/,
      );
    // An emoji sequence (joined by U+200D) is a name like any other.
    expect((await api.post('/api/me/lists', { name: 'Family 👨\u200D👩\u200D👧' })).statusCode).toBe(201);
    // Another user may have the same name.
    expect((await other.post('/api/me/lists', { name: 'Groceries' })).statusCode).toBe(201);
  });

  it('renames a list, refusing a name taken by another of the lists', async () => {
    const list = await createList('Hobbies');
    const renamed = await api.patch(`/api/me/lists/${list.id}`, { name: 'Pastimes' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().name).toBe('Pastimes');
    expect((await api.patch(`/api/me/lists/${list.id}`, { name: 'pastimes' })).json().name).toBe('pastimes');
    await createList('Sport');
    expectProblem(await api.patch(`/api/me/lists/${list.id}`, { name: 'SPORT' }), 409, 'lists.name_taken');
  });

  it('keeps the Inbox as it is: no rename, no delete', async () => {
    const inbox = await inboxOf(api);
    expectProblem(await api.patch(`/api/me/lists/${inbox.id}`, { name: 'Desk' }), 409, 'lists.inbox_fixed');
    expectProblem(await api.delete(`/api/me/lists/${inbox.id}`), 409, 'lists.inbox_fixed');
  });
});

describe("another user's list", () => {
  it('is a 404 like a missing one, whatever is asked of it', async () => {
    for (const id of [othersList.id, 999_999, 99_999_999_999]) {
      expectProblem(await api.get(`/api/me/lists/${id}`), 404, 'lists.not_found');
      expectProblem(await api.patch(`/api/me/lists/${id}`, { name: 'Mine now' }), 404, 'lists.not_found');
      expectProblem(await api.delete(`/api/me/lists/${id}`), 404, 'lists.not_found');
      expectProblem(await api.get(`/api/me/tasks?list_id=${id}`), 404, 'lists.not_found');
      expectProblem(await api.post('/api/me/tasks', { title: 'x', list_id: id }), 404, 'lists.not_found');
    }
    const task = await api.create({ title: 'Stays mine' });
    const moved = await api.patch(`/api/me/tasks/${task.id}`, { list_id: othersList.id });
    expectProblem(moved, 404, 'lists.not_found');
    const put = await api.put(`/api/me/tasks/${task.id}`, { title: 'x', list_id: othersList.id });
    expectProblem(put, 404, 'lists.not_found');
    const kept = await api.get(`/api/me/lists/0`);
    expectProblem(kept, 400, 'request.invalid');
    expect((await other.get(`/api/me/lists/${othersList.id}`)).json().name).toBe('Secret plans');
  });

  it("is not reached through another user's path either", async () => {
    const response = await api.get(`/api/${encodeURIComponent('someone-else')}/lists`);
    expectProblem(response, 403, 'lists.forbidden');
  });
});

describe('tasks and their list', () => {
  it('moves a task with PATCH, keeps its list on a PUT without list_id, and filters by ?list_id=', async () => {
    const errands = await createList('Errands');
    const inbox = await inboxOf(api);
    const task = await api.create({ title: 'Post office', list_id: errands.id });
    expect(task.list_id).toBe(errands.id);
    const put = await api.put(`/api/me/tasks/${task.id}`, { title: 'Post office, before 5' });
    expect(put.json().list_id).toBe(errands.id);

    const page = (await api.get(`/api/me/tasks?list_id=${errands.id}`)).json();
    expect(page.tasks.map((x: { title: string }) => x.title)).toEqual(['Post office, before 5']);
    expect(page.total).toBe(1);
    const moved = await api.patch(`/api/me/tasks/${task.id}`, { list_id: inbox.id });
    expect(moved.json().list_id).toBe(inbox.id);
    const empty = await api.get(`/api/me/tasks?list_id=${errands.id}`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({ tasks: [], total: 0 });
    expect((await api.get(`/api/me/tasks?list_id=${errands.id}&status=pending`)).json().total).toBe(0);
    expectProblem(await api.get('/api/me/tasks?list_id=abc'), 400, 'request.invalid');
    expectProblem(await api.get('/api/me/tasks?list=1'), 400, 'request.invalid');
    expectProblem(await api.post('/api/me/tasks', { title: 'x', list_id: 'one' }), 400, 'request.invalid');
  });

  it('is brought back to its list by a restore, or to the Inbox when the list went', async () => {
    const list = await createList('Short-lived');
    const inbox = await inboxOf(api);
    const task = await api.create({ title: 'Restore me', list_id: list.id });
    await api.delete(`/api/me/tasks/${task.id}`);
    expect((await api.post(`/api/me/tasks/${task.id}/restore`)).json().list_id).toBe(list.id);
    await api.delete(`/api/me/tasks/${task.id}`);
    expect((await api.delete(`/api/me/lists/${list.id}`)).statusCode).toBe(204);
    expect((await api.post(`/api/me/tasks/${task.id}/restore`)).json().list_id).toBe(inbox.id);
  });
});

describe('deleting a list', () => {
  it('deletes an empty list at once', async () => {
    const list = await createList('Empty');
    expect((await api.delete(`/api/me/lists/${list.id}`)).statusCode).toBe(204);
    expectProblem(await api.get(`/api/me/lists/${list.id}`), 404, 'lists.not_found');
  });

  it('asks what becomes of its tasks, and moves them with ?move_to=', async () => {
    const from = await createList('Old project');
    const to = await createList('New project');
    await api.create({ title: 'A', list_id: from.id });
    await api.create({ title: 'B', list_id: from.id });
    const refused = expectProblem(await api.delete(`/api/me/lists/${from.id}`), 409, 'lists.not_empty');
    expect(refused.detail).toContain('move_to');
    expect(refused.detail).toContain('delete_tasks=true');
    expectProblem(
      await api.delete(`/api/me/lists/${from.id}?move_to=${from.id}`),
      400,
      'lists.move_to_itself',
    );
    expectProblem(
      await api.delete(`/api/me/lists/${from.id}?move_to=${othersList.id}`),
      404,
      'lists.not_found',
    );
    expectProblem(
      await api.delete(`/api/me/lists/${from.id}?move_to=${to.id}&delete_tasks=true`),
      400,
      'lists.move_or_delete',
    );
    expectProblem(await api.delete(`/api/me/lists/${from.id}?moveto=${to.id}`), 400, 'request.invalid');

    expect((await api.delete(`/api/me/lists/${from.id}?move_to=${to.id}`)).statusCode).toBe(204);
    const moved = (await api.get(`/api/me/tasks?list_id=${to.id}&sort_by=title`)).json();
    expect(moved.tasks.map((x: { title: string }) => x.title)).toEqual(['A', 'B']);
    expectProblem(await api.get(`/api/me/lists/${from.id}`), 404, 'lists.not_found');
  });

  it('deletes its tasks with ?delete_tasks=true, each restorable into the Inbox', async () => {
    const list = await createList('Doomed');
    const task = await api.create({ title: 'Goes with it', list_id: list.id });
    const kept = await api.create({ title: 'Elsewhere' });
    expect((await api.delete(`/api/me/lists/${list.id}?delete_tasks=true`)).statusCode).toBe(204);
    expectProblem(await api.get(`/api/me/tasks/${task.id}`), 404, 'tasks.not_found');
    expect((await api.get(`/api/me/tasks/${kept.id}`)).statusCode).toBe(200);
    const restored = await api.post(`/api/me/tasks/${task.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json().list_id).toBe((await inboxOf(api)).id);
  });
});

describe('quick add', () => {
  it('puts a task in the list named with +name, and leaves an unknown +word in the title', async () => {
    const shopping = await createList('Weekly shopping');
    const groceries = ((await api.get('/api/me/lists')).json() as Array<{ id: number; name: string }>).find(
      (list) => list.name === 'Groceries',
    ) as { id: number };
    const milk = (
      await api.post('/api/me/tasks/quick', { text: 'buy milk +groceries tomorrow #dairy' })
    ).json();
    expect(milk).toMatchObject({ title: 'buy milk', list_id: groceries.id, tags: ['dairy'] });
    expect(milk.due_date).toBe('2026-12-04');
    const soap = (await api.post('/api/me/tasks/quick', { text: '+weekly-shopping soap p1' })).json();
    expect(soap).toMatchObject({ title: 'soap', list_id: shopping.id, priority: 'urgent' });

    const inbox = await inboxOf(api);
    const unknown = (await api.post('/api/me/tasks/quick', { text: 'call Ann +garden' })).json();
    expect(unknown).toMatchObject({ title: 'call Ann +garden', list_id: inbox.id });
    // Another user's list name is not one of yours.
    const secret = (await api.post('/api/me/tasks/quick', { text: 'peek +secret-plans' })).json();
    expect(secret).toMatchObject({ title: 'peek +secret-plans', list_id: inbox.id });

    const preview = await api.post('/api/me/tasks/quick/preview', { text: 'eggs +Groceries' });
    expect(preview.json()).toMatchObject({ title: 'eggs', list_id: groceries.id });
    const none = await api.post('/api/me/tasks/quick/preview', { text: 'eggs' });
    expect(none.json()).toMatchObject({ title: 'eggs', list_id: null });
  });
});
