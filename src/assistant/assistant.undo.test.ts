import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, type TestApp } from '../../test/helpers.ts';
import { clientFor, completionsOf, movableClock } from '../tasks/testing.ts';

/**
 * The offline assistant's undo through the real chat route: of a delete, the very task comes back; of a change to
 * the wrong task, the change goes to the one meant.
 */

const time = movableClock('2026-11-23T15:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock: time.clock });
});
afterAll(() => t.close());

describe('undo in the chat', () => {
  it('brings a deleted task back with its id, creation time, recurrence, tags and completions', async () => {
    const client = clientFor(t, await registerUser(t.app));
    const created = await client.create({
      title: 'Water the plants',
      tags: ['home'],
      priority: 'high',
      due_date: '2026-11-23',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO',
    });
    time.advance(60_000);
    await client.patch(`/api/me/tasks/${created.id}/complete`, { completed: true });
    const before = (await client.get(`/api/me/tasks/${created.id}`)).json();
    const history = await completionsOf(t.database.db, created.id);
    expect(history).toHaveLength(1);

    time.advance(60_000);
    const deleted = await client.post('/api/me/chat', { message: 'delete water the plants' });
    const conversation_id = deleted.json().conversation_id;
    expect((await client.get(`/api/me/tasks/${created.id}`)).statusCode).toBe(404);
    time.advance(60_000);
    const undone = (await client.post('/api/me/chat', { message: 'undo', conversation_id })).json();

    expect(undone.tool_calls.map((call: { tool_name: string }) => call.tool_name)).toEqual(['restore_task']);
    expect(undone.response).toContain('"Water the plants" is back');
    const { tasks } = (await client.get('/api/me/tasks?status=all')).json();
    expect(tasks).toEqual([{ ...before, updated_at: time.clock().toISOString() }]);
    expect(tasks[0]).toMatchObject({ id: created.id, created_at: created.created_at });
    expect(await completionsOf(t.database.db, created.id)).toEqual(history);

    // Undoing again goes further back than the delete: there is nothing before it in this conversation.
    const again = (await client.post('/api/me/chat', { message: 'undo', conversation_id })).json();
    expect(again.tool_calls).toEqual([]);
    expect((await client.get('/api/me/tasks?status=all')).json().total).toBe(1);
  });

  it('takes back a change made to the wrong task and makes it to the one meant: "wrong one, I meant …"', async () => {
    const client = clientFor(t, await registerUser(t.app));
    const milk = await client.create({ title: 'Buy milk' });
    const bread = await client.create({ title: 'Buy bread' });
    /** Says one thing, then the next in the same conversation: the second reply. */
    const thenSay = async (first: string, next: string) => {
      const { conversation_id } = (await client.post('/api/me/chat', { message: first })).json();
      return (await client.post('/api/me/chat', { message: next, conversation_id })).json();
    };
    const meant = await thenSay('complete buy milk', 'wrong one, sorry! I meant buy bread');
    expect(meant.response).toBe('Undone. "Buy milk" is as it was. Done! I completed "Buy bread".');
    expect((await client.get(`/api/me/tasks/${milk.id}`)).json().completed).toBe(false);
    expect((await client.get(`/api/me/tasks/${bread.id}`)).json().completed).toBe(true);

    // "wait no — …" right after a change takes it back, whatever words follow.
    const back = await thenSay('tick off buy milk', "wait no — that's tomorrow's!");
    expect(back.response).toBe('Undone. "Buy milk" is as it was.');
    expect((await client.get(`/api/me/tasks/${milk.id}`)).json().completed).toBe(false);
  });
});
