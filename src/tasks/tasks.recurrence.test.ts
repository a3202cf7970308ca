import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, type TestApp } from '../../test/helpers.ts';
import { taskCompletions } from './tasks.tables.ts';
import { type Client, clientFor, movableClock, withApiToken } from './tasks.test-helpers.ts';

// Thursday 3 December 2026.
const time = movableClock('2026-12-03T10:00:00Z');
let t: TestApp;
let api: Client;

beforeAll(async () => {
  t = await createTestApp({ clock: time.clock });
  api = clientFor(t, await withApiToken(t, await registerUser(t.app)));
});
afterAll(() => t.close());

async function completionsOf(taskId: number) {
  return t.database.db
    .select({ due_date: taskCompletions.due_date, completed_at: taskCompletions.completed_at })
    .from(taskCompletions)
    .where(eq(taskCompletions.task_id, taskId))
    .orderBy(taskCompletions.id);
}

async function setTimeZone(timezone: string) {
  const response = await api.patch('/api/auth/me', { timezone });
  expect(response.statusCode).toBe(200);
}

describe('completing a recurring task', () => {
  beforeAll(() => setTimeZone('UTC'));

  it('moves it to the next occurrence, keeps it pending and records the completion', async () => {
    time.set('2026-12-03T10:00:00Z');
    const task = await api.create({
      title: 'Team meeting',
      due_date: '2026-11-30',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO',
    });
    const response = await api.patch(`/api/me/tasks/${task.id}/complete`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      completed: false,
      completed_at: null,
      due_date: '2026-12-07',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO',
    });
    expect(response.headers.etag).toBe(`"${task.id}-2"`);
    expect(await completionsOf(task.id)).toEqual([
      { due_date: '2026-11-30', completed_at: new Date('2026-12-03T10:00:00Z') },
    ]);
  });

  it('does the same when completed through PATCH or PUT', async () => {
    const task = await api.create({
      title: 'Water plants',
      due_date: '2026-12-03',
      recurrence: 'FREQ=DAILY',
    });
    const patched = await api.patch(`/api/me/tasks/${task.id}`, { completed: true });
    expect(patched.json()).toMatchObject({ completed: false, due_date: '2026-12-04' });
    const put = await api.put(`/api/me/tasks/${task.id}`, {
      title: 'Water plants',
      due_date: '2026-12-04',
      recurrence: 'FREQ=DAILY',
      completed: true,
    });
    expect(put.json()).toMatchObject({ completed: false, due_date: '2026-12-05' });
    expect(await completionsOf(task.id)).toHaveLength(2);
  });

  it('keeps a timed task at its time of day, in the offset it was written with', async () => {
    await setTimeZone('Europe/Paris');
    const task = await api.create({
      title: 'Standup',
      due_date: '2026-12-03T09:00:00+01:00',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH',
    });
    const response = await api.patch(`/api/me/tasks/${task.id}/complete`, { completed: true });
    expect(response.json().due_date).toBe('2026-12-07T09:00:00+01:00');
    await setTimeZone('UTC');
  });

  it('gives a recurring task without a due date its next date after today', async () => {
    const task = await api.create({ title: 'Weekly review', recurrence: 'FREQ=WEEKLY;BYDAY=FR' });
    const response = await api.patch(`/api/me/tasks/${task.id}/complete`);
    expect(response.json()).toMatchObject({ completed: false, due_date: '2026-12-04' });
    expect(await completionsOf(task.id)).toEqual([{ due_date: null, completed_at: expect.any(Date) }]);
  });

  it('completes the task for good when the rule has no occurrence left, and can reopen it', async () => {
    const task = await api.create({
      title: 'Course',
      due_date: '2026-12-03',
      recurrence: 'FREQ=DAILY;COUNT=2',
    });
    const first = await api.patch(`/api/me/tasks/${task.id}/complete`);
    expect(first.json()).toMatchObject({
      completed: false,
      due_date: '2026-12-04',
      recurrence: 'FREQ=DAILY;COUNT=1',
    });
    time.advance(24 * 3_600_000);
    const last = await api.patch(`/api/me/tasks/${task.id}/complete`);
    expect(last.json()).toMatchObject({
      completed: true,
      completed_at: '2026-12-04T10:00:00.000Z',
      due_date: '2026-12-04',
      recurrence: 'FREQ=DAILY;COUNT=1',
    });
    expect(await completionsOf(task.id)).toHaveLength(2);
    const reopened = await api.patch(`/api/me/tasks/${task.id}/complete`);
    expect(reopened.json()).toMatchObject({ completed: false, completed_at: null, due_date: '2026-12-04' });
    time.set('2026-12-03T10:00:00Z');
  });

  it('moves a recurring task created as completed straight to its next occurrence', async () => {
    const task = await api.create({
      title: 'Already done',
      due_date: '2026-12-03',
      recurrence: 'FREQ=DAILY',
      completed: true,
    });
    expect(task).toMatchObject({ completed: false, due_date: '2026-12-04' });
  });
});

describe('due dates and the user’s time zone', () => {
  // 23:30 UTC on Thursday the 3rd: already Friday the 4th in Tokyo, still Thursday afternoon in Los Angeles.
  const now = '2026-12-03T23:30:00Z';
  let tz: Client;
  const titles = async (query: string) =>
    (await tz.get(`/api/me/tasks?${query}&sort_by=title&order=asc`))
      .json()
      .tasks.map((task: { title: string }) => task.title);

  beforeAll(async () => {
    const user = await withApiToken(t, await registerUser(t.app));
    tz = clientFor(t, user);
    await tz.create({ title: 'A dated 3rd', due_date: '2026-12-03' });
    await tz.create({ title: 'B dated 4th', due_date: '2026-12-04' });
    // 16:00 UTC on the 3rd: the 3rd in UTC and Los Angeles, the 4th (01:00) in Tokyo.
    await tz.create({ title: 'C timed', due_date: '2026-12-04T01:00:00+09:00' });
    // 04:00 UTC on the 4th: the 4th in UTC and Tokyo, the 3rd (20:00) in Los Angeles.
    await tz.create({ title: 'D timed', due_date: '2026-12-03T20:00:00-08:00' });
    time.set(now);
  });
  afterAll(() => time.set('2026-12-03T10:00:00Z'));

  it('reads "today" in the user’s time zone', async () => {
    const expectations: Array<[string, string[], string[]]> = [
      ['UTC', ['A dated 3rd', 'C timed'], ['C timed']],
      ['Asia/Tokyo', ['B dated 4th', 'C timed', 'D timed'], ['A dated 3rd', 'C timed']],
      ['America/Los_Angeles', ['A dated 3rd', 'C timed', 'D timed'], ['C timed']],
    ];
    for (const [timezone, today, overdue] of expectations) {
      expect((await tz.patch('/api/auth/me', { timezone })).statusCode).toBe(200);
      expect(await titles('due=today'), timezone).toEqual(today);
      expect(await titles('due=overdue'), timezone).toEqual(overdue);
    }
  });

  it('reads a date bound of due_before in the user’s time zone', async () => {
    await tz.patch('/api/auth/me', { timezone: 'Asia/Tokyo' });
    // Before the 4th in Tokyo: the dated 3rd only; C is 01:00 on the 4th there.
    expect(await titles('due_before=2026-12-04')).toEqual(['A dated 3rd']);
    await tz.patch('/api/auth/me', { timezone: 'America/Los_Angeles' });
    expect(await titles('due_before=2026-12-04')).toEqual(['A dated 3rd', 'C timed', 'D timed']);
  });
});

describe('the occurrences of recurring tasks, for a calendar view', () => {
  it('lists the due dates each recurring task takes next before a bound, as completing would give them', async () => {
    const fresh = clientFor(t, await withApiToken(t, await registerUser(t.app)));
    expect((await fresh.patch('/api/auth/me', { timezone: 'America/New_York' })).statusCode).toBe(200);
    // Thursday 3 December 2026, 10:00 in New York.
    time.set('2026-12-03T15:00:00Z');
    const water = await fresh.create({
      title: 'Water plants',
      due_date: '2026-12-03',
      recurrence: 'FREQ=DAILY',
    });
    const standup = await fresh.create({
      title: 'Stand-up',
      due_date: '2026-12-04T09:30:00-05:00',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    });
    const twice = await fresh.create({
      title: 'Twice',
      due_date: '2026-12-03',
      recurrence: 'FREQ=DAILY;COUNT=2',
    });
    await fresh.create({ title: 'Once', due_date: '2026-12-05' });
    const response = await fresh.get(
      '/api/me/tasks?status=pending&due_before=2026-12-10&occurrences_before=2026-12-10',
    );
    expect(response.statusCode).toBe(200);
    const byTask = (id: number) =>
      response
        .json()
        .occurrences.filter((o: { task_id: number }) => o.task_id === id)
        .map((o: { due_date: string }) => o.due_date);
    expect(byTask(water.id)).toEqual([
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
      '2026-12-07',
      '2026-12-08',
      '2026-12-09',
    ]);
    // Weekdays only, at the same wall time, the bound's day left out.
    expect(byTask(standup.id)).toEqual([
      '2026-12-07T09:30:00-05:00',
      '2026-12-08T09:30:00-05:00',
      '2026-12-09T09:30:00-05:00',
    ]);
    // COUNT=2: the task itself and one more.
    expect(byTask(twice.id)).toEqual(['2026-12-04']);
    expect(response.json().occurrences).toHaveLength(10);
    // Asked for nothing, the list is as it was.
    expect((await fresh.get('/api/me/tasks')).json()).not.toHaveProperty('occurrences');
    // And the chain is what completing gives.
    const done = await fresh.patch(`/api/me/tasks/${water.id}/complete`);
    expect(done.json().due_date).toBe('2026-12-04');
  });
});
