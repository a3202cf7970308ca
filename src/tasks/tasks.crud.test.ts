import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  expectProblem,
  registerUser,
  type TestApp,
  type TestUser,
} from '../../test/helpers.ts';
import { createTasksRepository } from './tasks.repository.ts';
import { createTasksService } from './tasks.service.ts';
import { type Client, clientFor, movableClock } from './tasks.test-helpers.ts';

const time = movableClock('2026-12-03T10:00:00Z');
let t: TestApp;
let user: TestUser;
let api: Client;

beforeAll(async () => {
  t = await createTestApp({ clock: time.clock });
  user = await registerUser(t.app);
  api = clientFor(t, user);
});
afterAll(() => t.close());

describe('creating a task', () => {
  it('answers 201 with the task, a Location to it and an ETag', async () => {
    const response = await api.post('/api/me/tasks', { title: '  Buy milk  ' });
    expect(response.statusCode).toBe(201);
    const task = response.json();
    expect(task).toEqual({
      id: expect.any(Number),
      user_id: user.id,
      list_id: expect.any(Number),
      title: 'Buy milk',
      description: null,
      completed: false,
      completed_at: null,
      priority: 'medium',
      tags: [],
      due_date: null,
      recurrence: null,
      created_at: '2026-12-03T10:00:00.000Z',
      updated_at: '2026-12-03T10:00:00.000Z',
      created_by: user.id,
      updated_by: user.id,
      assignee_id: null,
    });
    expect(response.headers.location).toBe(`/api/${user.id}/tasks/${task.id}`);
    expect(response.headers.etag).toMatch(/^"\d+-1"$/);

    const fetched = await api.get(response.headers.location as string);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toEqual(task);
    expect(fetched.headers.etag).toBe(response.headers.etag);
  });

  it('accepts the caller’s own id in the path as well as me', async () => {
    const response = await api.post(`/api/${user.id}/tasks`, { title: 'By id' });
    expect(response.statusCode).toBe(201);
    const list = await api.get(`/api/${user.id}/tasks?search=by`);
    expect(list.json().tasks.map((task: { title: string }) => task.title)).toContain('By id');
  });

  it('keeps every field it is given, due dates exactly as written', async () => {
    const dated = await api.create({
      title: 'Dentist',
      description: 'Bring the forms',
      priority: 'urgent',
      tags: ['Health', 'errands'],
      due_date: '2026-12-24',
      recurrence: 'freq=yearly',
    });
    expect(dated).toMatchObject({
      description: 'Bring the forms',
      priority: 'urgent',
      tags: ['Health', 'errands'],
      due_date: '2026-12-24',
      recurrence: 'FREQ=YEARLY',
    });
    for (const due of ['2026-12-03T17:30:00+02:00', '2026-12-03T17:30Z', '2026-12-03T17:30:00.250-05:30']) {
      expect((await api.create({ title: 'Timed', due_date: due })).due_date).toBe(due);
    }
  });

  it('reuses a tag that differs only in case, in its first spelling, and drops repeats', async () => {
    await api.create({ title: 'First', tags: ['Work'] });
    const second = await api.create({ title: 'Second', tags: ['work', 'WORK', 'home'] });
    expect(second.tags).toEqual(['Work', 'home']);
  });

  it('is callable as a service by other features, with the same validation', async () => {
    const service = createTasksService({
      repository: createTasksRepository(t.database.db),
      clock: time.clock,
    });
    const task = await service.createTask(user.id, {
      title: 'From quick add',
      priority: 'high',
      tags: ['inbox'],
      due_date: '2026-12-05',
      recurrence: null,
    });
    expect(task).toMatchObject({ title: 'From quick add', priority: 'high', tags: ['inbox'] });
    await expect(service.createTask(user.id, { title: '' })).rejects.toMatchObject({
      status: 400,
      errors: [{ field: 'body.title', message: 'must not be empty' }],
    });
  });
});

describe('changing a task', () => {
  it('replaces the whole task on PUT, resetting what is left out', async () => {
    const task = await api.create({
      title: 'Full',
      description: 'text',
      priority: 'high',
      tags: ['a'],
      due_date: '2026-12-10',
      recurrence: 'FREQ=DAILY',
    });
    time.advance(60_000);
    const response = await api.put(`/api/me/tasks/${task.id}`, { title: 'Bare' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: task.id,
      title: 'Bare',
      description: null,
      priority: 'medium',
      tags: [],
      due_date: null,
      recurrence: null,
      completed: false,
      created_at: task.created_at,
      updated_at: '2026-12-03T10:01:00.000Z',
    });
    expect(response.headers.etag).toBe(`"${task.id}-2"`);
  });

  it('changes only the given fields on PATCH, and null clears a field', async () => {
    const task = await api.create({
      title: 'Partial',
      description: 'keep me',
      tags: ['x', 'y'],
      due_date: '2026-12-10',
      recurrence: 'FREQ=WEEKLY',
    });
    const renamed = await api.patch(`/api/me/tasks/${task.id}`, { title: 'Renamed', priority: 'low' });
    expect(renamed.json()).toMatchObject({
      title: 'Renamed',
      priority: 'low',
      description: 'keep me',
      tags: ['x', 'y'],
      due_date: '2026-12-10',
    });
    const cleared = await api.patch(`/api/me/tasks/${task.id}`, {
      description: null,
      due_date: null,
      recurrence: null,
      tags: null,
    });
    expect(cleared.json()).toMatchObject({
      title: 'Renamed',
      description: null,
      due_date: null,
      recurrence: null,
      tags: [],
    });
  });

  it('leaves the task and its ETag alone on an empty PATCH', async () => {
    const task = await api.create({ title: 'Still' });
    const response = await api.patch(`/api/me/tasks/${task.id}`, {});
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe(`"${task.id}-1"`);
    expect(response.json()).toEqual(task);
  });

  it('toggles completion, or sets it when told, recording when it happened', async () => {
    const task = await api.create({ title: 'Toggle' });
    const url = `/api/me/tasks/${task.id}/complete`;
    const done = await api.patch(url);
    expect(done.json()).toMatchObject({ completed: true, completed_at: '2026-12-03T10:01:00.000Z' });
    const again = await api.patch(url, { completed: true });
    expect(again.json()).toMatchObject({ completed: true, completed_at: '2026-12-03T10:01:00.000Z' });
    expect(again.headers.etag).toBe(done.headers.etag);
    const reopened = await api.patch(url);
    expect(reopened.json()).toMatchObject({ completed: false, completed_at: null });
    const viaPatch = await api.patch(`/api/me/tasks/${task.id}`, { completed: true });
    expect(viaPatch.json()).toMatchObject({ completed: true });
  });

  it('deletes with 204, after which the task is gone', async () => {
    const task = await api.create({ title: 'Doomed' });
    const response = await api.delete(`/api/me/tasks/${task.id}`);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expectProblem(await api.get(`/api/me/tasks/${task.id}`), 404, 'tasks.not_found');
    expectProblem(await api.delete(`/api/me/tasks/${task.id}`), 404, 'tasks.not_found');
  });
});

describe('tags', () => {
  it('lists each tag in use with the number of tasks carrying it, most used first', async () => {
    const fresh = clientFor(t, await registerUser(t.app));
    await fresh.create({ title: 'a', tags: ['Garden', 'home'] });
    await fresh.create({ title: 'b', tags: ['home'] });
    const gone = await fresh.create({ title: 'c', tags: ['Old'] });
    await fresh.delete(`/api/me/tasks/${gone.id}`);
    const response = await fresh.get('/api/me/tags');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([
      { name: 'home', count: 2, total: 2 },
      { name: 'Garden', count: 1, total: 1 },
    ]);
  });

  it('counts the tasks still to do: a completed task is in the total only', async () => {
    const fresh = clientFor(t, await registerUser(t.app));
    await fresh.create({ title: 'Buy stamps', tags: ['errands'] });
    const posted = await fresh.create({ title: 'Post the parcel', tags: ['errands'] });
    const filed = await fresh.create({ title: 'File 2019', tags: ['archive'] });
    for (const task of [posted, filed]) await fresh.patch(`/api/me/tasks/${task.id}/complete`, {});
    expect((await fresh.get('/api/me/tags')).json()).toEqual([
      { name: 'errands', count: 1, total: 2 },
      { name: 'archive', count: 0, total: 1 },
    ]);
  });
});

describe('the feature', () => {
  it('documents its routes, with the recurrence rule, in the OpenAPI document', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/{user_id}/tasks',
        '/api/{user_id}/tasks/{task_id}',
        '/api/{user_id}/tasks/{task_id}/complete',
        '/api/{user_id}/tags',
      ]),
    );
    expect(doc.paths['/api/{user_id}/tasks/{task_id}/complete'].patch.description).toContain(
      'first occurrence of its rule',
    );
  });

  it('has no routes when FEATURES leaves it out', async () => {
    const bare = await createTestApp({ env: { FEATURES: '' }, database: t.database });
    const someone = await registerUser(bare.app);
    const response = await bare.app.inject({ method: 'GET', url: '/api/me/tasks', headers: someone.headers });
    expectProblem(response, 404, 'request.not_found');
    await bare.close();
  });
});
