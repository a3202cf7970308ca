import { describe, expect, it } from 'vitest';
import { findByDetail } from './by-detail.ts';
import type { Task } from './tool-calls.ts';

const ctx = { now: new Date('2026-12-03T15:00:00Z'), timeZone: 'America/New_York' };
const task = (id: number, title: string, more: Partial<Task> = {}) =>
  ({ id, title, priority: 'medium', due_date: null, tags: [], completed: false, ...more }) as Task;
const tasks = [
  task(1, 'Call mom', { due_date: '2026-12-03T17:00:00-05:00' }),
  task(2, 'Submit Q4 report', { priority: 'urgent' }),
  task(3, 'Pick up Leo', { due_date: '2026-12-04T15:00:00-05:00', tags: ['family'] }),
  task(4, 'Buy milk', { due_date: '2026-12-04' }),
];

describe('a task named by its details', () => {
  it('is the one task with the time, priority or tag said', () => {
    expect(findByDetail('5pm', tasks, ctx)).toMatchObject({ kind: 'one', task: { title: 'Call mom' } });
    expect(findByDetail('the urgent one', tasks, ctx)).toMatchObject({ task: { title: 'Submit Q4 report' } });
    expect(findByDetail('3pm thing', tasks, ctx)).toMatchObject({ task: { title: 'Pick up Leo' } });
    expect(findByDetail('family', tasks, ctx)).toMatchObject({ task: { title: 'Pick up Leo' } });
  });

  it('is asked about when several have it, and none when a word is no detail of theirs', () => {
    expect(findByDetail('friday', tasks, ctx)).toMatchObject({ kind: 'several' });
    expect(findByDetail('9am', tasks, ctx)).toEqual({ kind: 'none' });
    expect(findByDetail('groceries', tasks, ctx)).toEqual({ kind: 'none' });
  });
});
