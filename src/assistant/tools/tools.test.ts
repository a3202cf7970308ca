import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectPlainWords, registerUser, type TestApp } from '../../../test/helpers.ts';
import { createListNames } from '../../lists/index.ts';
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
let user: Awaited<ReturnType<typeof registerUser>>;
let otherUser: Awaited<ReturnType<typeof registerUser>>;

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  const tasks = buildTasksService({ db: t.database.db, clock: () => now });
  const lists = createListNames(t.database.db);
  user = await registerUser(t.app);
  otherUser = await registerUser(t.app);
  await clientFor(t, user).patch('/api/auth/me', { timezone: 'America/New_York' });
  ctx = { tasks, lists, userId: user.id, clock: () => now };
  other = { tasks, lists, userId: otherUser.id, clock: () => now };
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
        '`tags`? Its arguments are: title, description, priority, tags, due_date, recurrence, list.',
    });
    expect((await value('list_tasks', { status: 'all', limit: 200 })).total).toBe(before.total);
    expect(await run('list_tasks', { staus: 'completed' })).toEqual({
      ok: false,
      code: 'tool.invalid_arguments',
      error:
        'list_tasks has no argument `staus`; did you mean `status`? Its arguments are: search, status, ' +
        'list, priority, tags, due, due_before, due_after, sort_by, order, limit.',
    });
    // A misspelt required argument is named with the one meant, as well as missing.
    expect(await run('add_task', { titel: 'x' })).toMatchObject({
      error:
        'add_task has no argument `titel`; did you mean `title`? Its arguments are: title, description, ' +
        'priority, tags, due_date, recurrence, list. Also, `title` is required.',
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
        'recurrence, list.',
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

describe('the assistant tools with lists', () => {
  type Task = TaskResponse & { list?: string };
  const listId = async (owner: typeof user, name: string): Promise<number> =>
    (await clientFor(t, owner).post('/api/me/lists', { name })).json().id;
  let groceries: number;
  let work: number;
  beforeAll(async () => {
    groceries = await listId(user, 'Groceries');
    work = await listId(user, 'Work');
    await listId(otherUser, 'Garden');
  });
  const titles = (tasks: Task[]) => tasks.map((task) => task.title);

  it('add a task to a list named without case, spaces or hyphens, and say the list’s name', async () => {
    const { task } = (await value('add_task', { title: 'Milk', list: 'groceries' })) as { task: Task };
    expect(task).toMatchObject({ title: 'Milk', list_id: groceries, list: 'Groceries' });
    const weekly = await listId(user, 'Weekly shopping');
    expect((await value('add_task', { title: 'Eggs', list: 'weekly-shopping' })).task).toMatchObject({
      list_id: weekly,
      list: 'Weekly shopping',
    });
  });

  it('add to the Inbox without a list, as before, and name it', async () => {
    const { task } = (await value('add_task', { title: 'No list said' })) as { task: Task };
    expect(task.list).toBe('Inbox');
  });

  it('refuse a list name that is none of the user’s, naming their lists, and create nothing', async () => {
    const result = await run('add_task', { title: 'Bread', list: 'grocery' });
    expect(result).toEqual({
      ok: false,
      code: 'assistant.unknown_list',
      error:
        'There is no list called "grocery"; your lists are: Inbox, Groceries, Weekly shopping, Work. ' +
        'Did you mean Groceries?',
    });
    expectPlainWords(result.ok ? '' : result.error);
    expect((await value('list_tasks', { search: 'Bread', status: 'all' })).total).toBe(0);
  });

  it('list the tasks of one list, each with its list’s name', async () => {
    await value('add_task', { title: 'Ship the release', list: 'Work' });
    const listed = await value('list_tasks', { list: 'WORK' });
    expect(titles(listed.tasks)).toEqual(['Ship the release']);
    expect(listed.tasks[0]).toMatchObject({ list_id: work, list: 'Work' });
    const all = (await value('list_tasks', { status: 'all' })).tasks as Task[];
    expect(all.every((task) => typeof task.list === 'string')).toBe(true);
    expect(await run('list_tasks', { list: 'Wrok' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('Did you mean Work?'),
    });
  });

  it('move a task to another list with update_task, and leave its list alone without list', async () => {
    const { task } = await value('add_task', { title: 'Book the venue', list: 'Groceries' });
    const moved = (await value('update_task', { task_id: task.id, list: 'work' })) as { task: Task };
    expect(moved.task).toMatchObject({ list_id: work, list: 'Work' });
    const renamed = (await value('update_task', { task_id: task.id, title: 'Book the hall' })) as {
      task: Task;
    };
    expect(renamed.task).toMatchObject({ title: 'Book the hall', list_id: work, list: 'Work' });
    expect(await run('update_task', { task_id: task.id, list: 'Nowhere' })).toMatchObject({
      code: 'assistant.unknown_list',
    });
    expect((await value('complete_task', { task_id: task.id })).task).toMatchObject({ list: 'Work' });
  });

  it('never find another user’s list by its name', async () => {
    expect(await run('add_task', { title: 'Weed', list: 'Garden' })).toEqual({
      ok: false,
      code: 'assistant.unknown_list',
      error: 'There is no list called "Garden"; your lists are: Inbox, Groceries, Weekly shopping, Work.',
    });
    expect(await run('list_tasks', { list: 'Work' }, other)).toMatchObject({
      error: 'There is no list called "Work"; your lists are: Inbox, Garden.',
    });
    const { task } = (await value('add_task', { title: 'Weed', list: 'garden' }, other)) as { task: Task };
    expect(task.list).toBe('Garden');
    expect(await run('update_task', { task_id: task.id, list: 'Work' }, other)).toMatchObject({
      code: 'assistant.unknown_list',
    });
  });
});
