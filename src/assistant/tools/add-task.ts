import { z } from 'zod';
import { taskInput, toTaskResponse } from '../../tasks/index.ts';
import {
  defineTool,
  dueText,
  findList,
  listName,
  readDue,
  recurrenceRule,
  taskOutput,
  withListName,
} from './tool.ts';

const fields = taskInput.shape;

export const addTask = defineTool({
  name: 'add_task',
  title: 'Add a task',
  description:
    'Create one task for the user. Put only the task itself in title; pass the due date, priority and tags in ' +
    'their own fields (due_date understands words like "tomorrow 5pm", read in the user’s time zone). ' +
    'list puts it in one of the user’s lists by name ("add milk to groceries"); without it, the Inbox. ' +
    'Returns the created task with its id and list.',
  input: z.object({
    title: fields.title.describe('What to do, short, without the date, priority or tags'),
    description: fields.description
      .unwrap()
      .unwrap()
      .optional()
      .describe('Longer notes, if the user gave any'),
    priority: fields.priority.describe('low, medium (the default), high or urgent'),
    tags: fields.tags.describe('Tag names without #, e.g. ["work"]'),
    due_date: dueText,
    recurrence: recurrenceRule
      .optional()
      .describe('An RRULE such as FREQ=WEEKLY;BYDAY=MO, if not already said in due_date words'),
    list: listName.optional().describe('The list’s name, e.g. "Groceries"; default the Inbox'),
  }),
  output: taskOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async execute(args, ctx) {
    // The list first: a name that is none of the user's lists creates nothing.
    const target = args.list === undefined ? undefined : await findList(args.list, ctx);
    const due = args.due_date ? await readDue(args.due_date, ctx) : undefined;
    const task = await ctx.tasks.createTask(ctx.userId, {
      title: args.title,
      description: args.description,
      priority: args.priority,
      tags: args.tags,
      due_date: due?.due_date,
      recurrence: args.recurrence ?? due?.recurrence,
      ...(target ? { list_id: target.list.id } : {}),
    });
    return { task: await withListName(toTaskResponse(task), ctx, target?.names) };
  },
});
