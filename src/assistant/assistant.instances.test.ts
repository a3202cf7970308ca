import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestDatabase, registerUser, type TestApp } from '../../test/helpers.ts';
import type { Database } from '../db/database.ts';
import { clientFor } from '../tasks/testing.ts';

let database: Database;
let first: TestApp;
let second: TestApp;
beforeAll(async () => {
  database = await createTestDatabase();
  first = await createTestApp({ database });
  second = await createTestApp({ database });
});
afterAll(async () => {
  await first.close();
  await second.close();
  await database.close();
});

describe('a conversation across instances', () => {
  it('is continued by another instance, which knows what "it" and "undo" refer to', async () => {
    const user = await registerUser(first.app);
    const [a, b] = [clientFor(first, user), clientFor(second, user)];
    const started = (await a.post('/api/me/chat', { message: 'add buy milk #shop' })).json();
    const completed = await b.post('/api/me/chat', {
      message: 'complete it',
      conversation_id: started.conversation_id,
    });
    expect(completed.json().tool_calls).toMatchObject([
      { tool_name: 'complete_task', result: { success: true } },
    ]);
    expect((await a.get('/api/me/tasks?status=completed')).json().tasks).toMatchObject([
      { title: 'buy milk' },
    ]);
    await a.post('/api/me/chat', { message: 'undo', conversation_id: started.conversation_id });
    expect((await b.get('/api/me/tasks?status=pending')).json().tasks).toMatchObject([{ title: 'buy milk' }]);
    expect((await b.get(`/api/me/conversations/${started.conversation_id}/messages`)).json()).toHaveLength(9);
  });
});
