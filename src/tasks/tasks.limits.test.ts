import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectProblem, registerUser, type TestApp } from '../../test/helpers.ts';
import { TASKS_PER_ACCOUNT } from './tasks.schemas.ts';
import { type Client, clientFor } from './tasks.test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const countOf = async (api: Client) =>
  (await api.get('/api/me/tasks?status=all&limit=1')).json().total as number;

describe('the tasks an account holds', () => {
  it(`stops at ${TASKS_PER_ACCOUNT}, by every way in, and says what to do`, async () => {
    const owner = await registerUser(t.app);
    const api = clientFor(t, owner);
    const lists = (await api.get('/api/me/lists')).json() as Array<{ id: number; is_inbox: boolean }>;
    const inbox = lists.find((l) => l.is_inbox)?.id;
    // All but one, written straight to the database: 9,999 requests would prove nothing more.
    await t.database.db.execute(sql`
      insert into tasks (user_id, list_id, title, completed)
      select ${owner.id}, ${inbox}, 'Task ' || n, n % 2 = 0 from generate_series(1, ${TASKS_PER_ACCOUNT - 1}) as n`);
    expect((await api.post('/api/me/tasks', { title: 'The last one there is room for' })).statusCode).toBe(
      201,
    );

    const full = expectProblem(
      await api.post('/api/me/tasks', { title: 'One too many' }),
      409,
      'tasks.too_many',
    );
    expect(full.detail).toBe(
      'Your account holds 10,000 tasks, the most an account may (completed ones count too): delete some that are ' +
        'no longer needed first.',
    );
    expectProblem(
      await api.post('/api/me/tasks/quick', { text: 'One too many tomorrow' }),
      409,
      'tasks.too_many',
    );
    const chat = await api.post('/api/me/chat', { message: 'add one too many' });
    expect(chat.statusCode).toBe(200);

    // An import adds all of its tasks or none.
    const other = clientFor(t, await registerUser(t.app));
    await other.create({ title: 'From elsewhere' });
    const file = (await other.get('/api/me/export')).json();
    expectProblem(await api.post('/api/me/import', file), 409, 'tasks.too_many');

    // A task an editor adds to a shared list is the owner's: the owner's room is what counts.
    const list = (await api.post('/api/me/lists', { name: 'Family' })).json().id as number;
    const editor = await registerUser(t.app);
    await api.post(`/api/me/lists/${list}/members`, { email: editor.email, role: 'editor' });
    const member = clientFor(t, editor);
    expect((await member.post(`/api/me/lists/${list}/membership`)).statusCode).toBe(200);
    const shared = await member.post('/api/me/tasks', { title: 'For the family', list_id: list });
    expect(expectProblem(shared, 409, 'tasks.too_many').detail).toMatch(
      /^The owner of this list holds 10,000/,
    );
    expect((await member.post('/api/me/tasks', { title: 'My own' })).statusCode).toBe(201);

    expect(await countOf(api)).toBe(TASKS_PER_ACCOUNT);
    // Room made, room to add; a restore at the limit adds none (an outside try went past it by delete, add, restore).
    const [first] = (await api.get('/api/me/tasks?limit=1')).json().tasks;
    expect((await api.delete(`/api/me/tasks/${first.id}`)).statusCode).toBe(204);
    expect((await api.post('/api/me/tasks', { title: 'Now there is room' })).statusCode).toBe(201);
    expectProblem(await api.post(`/api/me/tasks/${first.id}/restore`), 409, 'tasks.too_many');
    expect(await countOf(api)).toBe(TASKS_PER_ACCOUNT);
  }, 60_000);
});
