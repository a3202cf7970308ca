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

describe('quick add preview', () => {
  it('says what quick add would make of the text, in the user’s time zone, and creates nothing', async () => {
    const client = clientFor(t, await registerUser(t.app));
    await client.patch('/api/auth/me', { timezone: 'America/New_York' });
    const text = 'Call mum tomorrow 5pm p1 #family // about the party';
    const response = await client.post('/api/me/tasks/quick/preview', { text });
    expect(response.statusCode).toBe(200);
    const preview = response.json();
    expect(preview).toEqual({
      title: 'Call mum',
      description: 'about the party',
      priority: 'urgent',
      tags: ['family'],
      due_date: '2026-11-24T17:00:00-05:00',
      recurrence: null,
      list_id: null,
    });
    expect((await client.get('/api/me/tasks')).json().total).toBe(0);
    const created = (await client.post('/api/me/tasks/quick', { text })).json();
    expect(created).toMatchObject({ ...preview, list_id: expect.any(Number) });
  });

  it('shows recurrence, and leaves unsaid fields empty', async () => {
    const client = clientFor(t, await registerUser(t.app));
    expect(
      (await client.post('/api/me/tasks/quick/preview', { text: 'Water plants every friday' })).json(),
    ).toEqual({
      title: 'Water plants',
      description: null,
      priority: null,
      tags: [],
      due_date: '2026-11-27',
      recurrence: 'FREQ=WEEKLY;BYDAY=FR',
      list_id: null,
    });
  });

  it('is refused for empty text and for another user’s path, like quick add', async () => {
    const client = clientFor(t, await registerUser(t.app));
    expectProblem(await client.post('/api/me/tasks/quick/preview', { text: '  ' }), 400, 'request.invalid');
    const other = await registerUser(t.app);
    expectProblem(
      await client.post(`/api/${other.id}/tasks/quick/preview`, { text: 'x' }),
      403,
      'tasks.forbidden',
    );
  });

  it('is in the API documentation', async () => {
    const spec = (await t.app.inject({ url: '/openapi.json' })).json();
    expect(spec.paths['/api/{user_id}/tasks/quick/preview'].post.responses['200']).toBeDefined();
  });
});
