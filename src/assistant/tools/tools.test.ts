import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectPlainWords, registerUser, type TestApp } from '../../../test/helpers.ts';
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

  it('refuse an argument they do not have, with the one meant, and change nothing', async () => {
    const before = await value('list_tasks', { status: 'all', limit: 200 });
    expect(await run('add_task', { title: 'typo test', priorty: 'high', tgas: ['x'] })).toEqual({
      ok: false,
      code: 'tool.invalid_arguments',
      error:
        'add_task has no argument `priorty`; did you mean `priority`? It has no argument `tgas`; did you mean ' +
        '`tags`? Its arguments are: title, description, priority, tags, due_date, recurrence.',
    });
    expect((await value('list_tasks', { status: 'all', limit: 200 })).total).toBe(before.total);
    expect(await run('list_tasks', { staus: 'completed' })).toEqual({
      ok: false,
      code: 'tool.invalid_arguments',
      error:
        'list_tasks has no argument `staus`; did you mean `status`? Its arguments are: search, status, ' +
        'priority, tags, due, due_before, due_after, sort_by, order, limit.',
    });
    // A misspelt required argument is named with the one meant, as well as missing.
    expect(await run('add_task', { titel: 'x' })).toMatchObject({
      error:
        'add_task has no argument `titel`; did you mean `title`? Its arguments are: title, description, ' +
        'priority, tags, due_date, recurrence. Also, `title` is required.',
    });
    const { task } = await value('add_task', { title: 'Strict', priority: 'low' });
    expect(await run('complete_task', { id: task.id })).toMatchObject({
      error: expect.stringMatching(/^complete_task has no argument `id`; did you mean `task_id`\?/),
    });
    expect(await run('update_task', { task_id: task.id, priority: 'high', completed: true })).toMatchObject({
      error: expect.stringMatching(/^update_task has no argument `completed`\. Its arguments are: task_id, /),
    });
    expect(await run('delete_task', { task_id: task.id, force: true })).toMatchObject({ ok: false });
    expect(await run('restore_task', { task_id: task.id, all: true })).toMatchObject({ ok: false });
    expect((await value('list_tasks', { search: 'Strict' })).tasks).toEqual([task]);
  });

  it('word invalid values in plain words, never zod’s or the RRULE parser’s', async () => {
    const refusal = async (name: string, args: unknown) => {
      const result = await run(name, args);
      if (result.ok) throw new Error(`${name} ran with ${JSON.stringify(args)}`);
      expectPlainWords(result.error);
      expect(result.error).not.toMatch(/=\.\.\.|BYSETPOS|\bat [a-z_]+\.\d/);
      return result.error;
    };
    expect(await refusal('add_task', { title: 'x', priority: 'critical' })).toBe(
      'Invalid arguments for add_task: `priority` must be one of low, medium, high, urgent.',
    );
    expect(await refusal('list_tasks', { priority: ['high', 'soon'] })).toBe(
      'Invalid arguments for list_tasks: `priority[1]` must be one of low, medium, high, urgent.',
    );
    expect(await refusal('add_task', { title: 'x', recurrence: 'every monday' })).toBe(
      'Invalid arguments for add_task: `recurrence` must be an RRULE such as FREQ=WEEKLY;BYDAY=MO, not words; ' +
        'words such as "every monday" go in due_date, which reads them.',
    );
    expect(await refusal('update_task', { task_id: 1, recurrence: 'FREQ=WEEKLY;EVERY=2' })).toBe(
      'Invalid arguments for update_task: `recurrence` has "EVERY=2", which is not part of an RRULE; write one ' +
        'such as FREQ=WEEKLY;BYDAY=MO or FREQ=MONTHLY;BYMONTHDAY=1.',
    );
    expect(await refusal('add_task', { title: 'x', tags: 'work' })).toBe(
      'Invalid arguments for add_task: `tags` must be a list, not a string.',
    );
    expect(await refusal('complete_task', { task_id: '7' })).toBe(
      'Invalid arguments for complete_task: `task_id` must be a number, not a string.',
    );
    expect(await refusal('add_task', { title: 'x', due_date: 'someday maybe' })).toBe(
      '"someday maybe" is not a date I can read; use 2026-12-03, a date-time with offset, or words like ' +
        '"next friday 5pm".',
    );
    expect(await refusal('list_tasks', { due_before: 'soon' })).toMatch(
      /^Invalid arguments for list_tasks: `due_before` must be a date/,
    );
  });

  it('act only for the user of the context, whatever the arguments say', async () => {
    expect(await run('add_task', { title: 'Theirs', user_id: other.userId })).toEqual({
      ok: false,
      code: 'tool.invalid_arguments',
      error:
        'add_task has no argument `user_id`. Its arguments are: title, description, priority, tags, due_date, ' +
        'recurrence.',
    });
    const { task } = await value('add_task', { title: 'Mine' });
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
