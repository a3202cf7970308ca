import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectProblem, registerUser, type TestApp } from '../../test/helpers.ts';
import { clientFor } from './tasks.test-helpers.ts';

// Monday 23 November 2026, 10:00 in New York.
const now = new Date('2026-11-23T15:00:00Z');

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
});
afterAll(() => t.close());

async function newYorker() {
  const user = await registerUser(t.app);
  const client = clientFor(t, user);
  await client.patch('/api/auth/me', { timezone: 'America/New_York' });
  return { user, client };
}

describe('quick add', () => {
  it('creates a task from Todoist-style text, read in the user’s time zone', async () => {
    const { user, client } = await newYorker();
    const response = await client.post('/api/me/tasks/quick', {
      text: 'Call mum tomorrow 5pm p1 #family @phone // about the party',
    });
    expect(response.statusCode).toBe(201);
    const task = response.json();
    expect(task).toMatchObject({
      user_id: user.id,
      title: 'Call mum',
      description: 'about the party',
      priority: 'urgent',
      tags: ['family', 'phone'],
      due_date: '2026-11-24T17:00:00-05:00',
      recurrence: null,
      completed: false,
    });
    expect(response.headers.location).toBe(`/api/${user.id}/tasks/${task.id}`);
    expect(response.headers.etag).toBeDefined();
    const listed = await client.get('/api/me/tasks?tags=family');
    expect(listed.json().tasks.map((x: { id: number }) => x.id)).toEqual([task.id]);
  });

  it('makes a recurring task whose due date is the first occurrence', async () => {
    const { client } = await newYorker();
    const task = (await client.post('/api/me/tasks/quick', { text: 'Water the plants every friday' })).json();
    expect(task).toMatchObject({
      title: 'Water the plants',
      recurrence: 'FREQ=WEEKLY;BYDAY=FR',
      due_date: '2026-11-27',
      priority: 'medium',
    });
  });

  it('keeps the defaults for what the text does not say', async () => {
    const { client } = await newYorker();
    const task = (await client.post(`/api/me/tasks/quick`, { text: 'Buy milk' })).json();
    expect(task).toMatchObject({
      title: 'Buy milk',
      priority: 'medium',
      tags: [],
      due_date: null,
      description: null,
    });
  });

  it('replays the first answer for a repeated Idempotency-Key', async () => {
    const { client } = await newYorker();
    const headers = { 'idempotency-key': 'quick-1' };
    const first = await client.post('/api/me/tasks/quick', { text: 'Once only' }, headers);
    const again = await client.post('/api/me/tasks/quick', { text: 'Once only' }, headers);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect((await client.get('/api/me/tasks')).json().total).toBe(1);
  });

  it('refuses empty or oversized text and another user’s path, writing nothing', async () => {
    const { client } = await newYorker();
    const other = await registerUser(t.app);
    expectProblem(await client.post('/api/me/tasks/quick', { text: '   ' }), 400, 'request.invalid');
    expectProblem(
      await client.post('/api/me/tasks/quick', { text: 'x'.repeat(1001) }),
      400,
      'request.invalid',
    );
    expectProblem(await client.post('/api/me/tasks/quick', { text: ['a list'] }), 400, 'request.invalid');
    expectProblem(
      await client.post(`/api/${other.id}/tasks/quick`, { text: 'Sneaky' }),
      403,
      'tasks.forbidden',
    );
    expect((await client.get('/api/me/tasks')).json().total).toBe(0);
    expect((await clientFor(t, other).get('/api/me/tasks')).json().total).toBe(0);
  });
});
