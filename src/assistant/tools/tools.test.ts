import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, type TestApp } from '../../../test/helpers.ts';
import { buildTasksService, type TaskResponse } from '../../tasks/index.ts';
import { clientFor } from '../../tasks/testing.ts';
import { addTask } from './add-task.ts';
import { TOOLS, toolNamed } from './index.ts';
import { runTool, type ToolContext } from './tool.ts';

// Monday 23 November 2026, 22:30 in New York: already Tuesday in UTC.
const now = new Date('2026-11-24T03:30:00Z');
let t: TestApp;
let ctx: ToolContext;
let other: ToolContext;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  const tasks = buildTasksService({ db: t.database.db, clock: () => now });
  const user = await registerUser(t.app);
  await clientFor(t, user).patch('/api/auth/me', { timezone: 'America/New_York' });
  ctx = { tasks, userId: user.id, clock: () => now };
  other = { tasks, userId: (await registerUser(t.app)).id, clock: () => now };
});
afterAll(() => t.close());

const run = (name: string, args: unknown, context = ctx) => runTool(toolNamed(name) as never, args, context);
interface Value {
  task: TaskResponse;
  deleted: TaskResponse;
  tasks: TaskResponse[];
  total: number;
}
const value = async (name: string, args: unknown, context = ctx): Promise<Value> => {
  const result = await run(name, args, context);
  if (!result.ok) throw new Error(result.error);
  return result.value as unknown as Value;
};

describe('the assistant tools', () => {
  it('are five and restore_task, each with a described input and an output schema', () => {
    expect(TOOLS.map((tool) => tool.name)).toEqual([
      'add_task',
      'list_tasks',
      'complete_task',
      'update_task',
      'delete_task',
      'restore_task',
    ]);
    for (const tool of TOOLS) {
      for (const [field, schema] of Object.entries(tool.input.shape)) {
        expect(schema.description, `${tool.name}.${field}`).toBeTruthy();
      }
      expect(tool.annotations.openWorldHint).toBe(false);
    }
  });

  it('read dates in words in the user’s time zone, not the server’s', async () => {
    const { task } = await value('add_task', { title: 'Call mum', due_date: 'tomorrow 5pm' });
    // Tuesday in UTC, but still Monday evening in New York: tomorrow is Tuesday the 24th.
    expect(task).toMatchObject({
      title: 'Call mum',
      due_date: '2026-11-24T17:00:00-05:00',
      user_id: ctx.userId,
    });
  });

  it('keep the recurrence when a recurring task is rescheduled', async () => {
    const { task } = await value('add_task', { title: 'Water plants', due_date: 'every friday' });
    expect(task).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=FR', due_date: '2026-11-27' });
    const moved = await value('update_task', { task_id: task.id, due_date: 'next monday' });
    expect(moved.task).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=FR', due_date: '2026-11-30' });
  });

  it('clear a field named in clear, and refuse to set and clear it at once', async () => {
    const { task } = await value('add_task', {
      title: 'Pay rent',
      description: 'by transfer',
      tags: ['home'],
    });
    const cleared = await value('update_task', { task_id: task.id, clear: ['description', 'tags'] });
    expect(cleared.task).toMatchObject({ description: null, tags: [] });
    const both = await run('update_task', { task_id: task.id, tags: ['x'], clear: ['tags'] });
    expect(both).toMatchObject({ ok: false, code: 'assistant.conflicting_fields' });
  });

  it('add and remove single tags, keeping the others', async () => {
    const { task } = await value('add_task', { title: 'Tags', tags: ['a', 'b'] });
    const changed = await value('update_task', { task_id: task.id, add_tags: ['c'], remove_tags: ['A'] });
    expect(changed.task.tags).toEqual(['b', 'c']);
  });

  it('turn a refused operation into an error result with its detail', async () => {
    expect(await run('complete_task', { task_id: 999_999 })).toMatchObject({
      ok: false,
      code: 'tasks.not_found',
      error: 'No task with this task_id belongs to the user; find its id with list_tasks.',
    });
    expect(await run('add_task', { title: 'x', due_date: 'whenever I feel like it' })).toMatchObject({
      ok: false,
      code: 'assistant.unreadable_date',
    });
    expect(await run('add_task', { title: '' })).toEqual({
      ok: false,
      code: 'tool.invalid_arguments',
      error: 'Invalid arguments for add_task: `title` must not be empty.',
    });
    // The tasks service's own refusals, worded for a REST body, are said of the tool's arguments.
    const { task } = await value('add_task', {
      title: 'Full',
      tags: Array.from({ length: 20 }, (_, i) => `t${i}`),
    });
    expect(await run('update_task', { task_id: task.id, add_tags: ['one more'] })).toEqual({
      ok: false,
      code: 'tool.invalid_arguments',
      error: 'Invalid arguments for update_task: `tags` must have at most 20 tags.',
    });
  });

  it('act only for the user of the context, whatever the arguments say', async () => {
    const { task } = await value('add_task', { title: 'Mine', user_id: other.userId } as never);
    expect(task.user_id).toBe(ctx.userId);
    expect(await run('delete_task', { task_id: task.id }, other)).toMatchObject({ code: 'tasks.not_found' });
    expect(await run('complete_task', { task_id: task.id }, other)).toMatchObject({
      code: 'tasks.not_found',
    });
    expect((await value('list_tasks', { search: 'Mine' }, other)).total).toBe(0);
  });

  it('complete, list, reopen and delete through the tasks service', async () => {
    const { task } = await addTask.execute({ title: 'Buy milk', priority: 'high' }, ctx);
    expect((await value('complete_task', { task_id: task.id })).task.completed).toBe(true);
    const done = await value('list_tasks', { status: 'completed', search: 'milk' });
    expect(done.tasks.map((x) => x.id)).toEqual([task.id]);
    expect((await value('complete_task', { task_id: task.id, completed: false })).task.completed).toBe(false);
    expect((await value('delete_task', { task_id: task.id })).deleted).toMatchObject({ title: 'Buy milk' });
    expect(await run('delete_task', { task_id: task.id })).toMatchObject({ code: 'tasks.not_found' });
  });

  it('restore a deleted task as it was, for its owner only, once', async () => {
    const { task } = await value('add_task', { title: 'Pay rent', due_date: 'every 1st', tags: ['home'] });
    await value('delete_task', { task_id: task.id });
    expect(await run('restore_task', { task_id: task.id }, other)).toMatchObject({ code: 'tasks.not_found' });
    const restored = await value('restore_task', { task_id: task.id });
    expect(restored.task).toEqual(task);
    expect(await run('restore_task', { task_id: task.id })).toMatchObject({ code: 'tasks.not_found' });
  });
});
