import { z } from 'zod';
import { taskPatch, toTaskResponse } from '../../tasks/index.ts';
import { conflictingFields } from '../assistant.errors.ts';
import {
  defineTool,
  dueText,
  findList,
  listName,
  readDue,
  recurrenceRule,
  taskId,
  taskOutput,
  withListName,
} from './tool.ts';

const fields = taskPatch.shape;
/**
 * Fields a tool call can empty. They are named in `clear` rather than sent as null: several model providers
 * reject schemas whose fields are both optional and nullable, and a sentinel string would be ambiguous in a
 * field that also takes words.
 */
export const CLEARABLE = ['description', 'due_date', 'recurrence', 'tags'] as const;

export const updateTask = defineTool({
  name: 'update_task',
  title: 'Change a task',
  description:
    'Change a task: rename it, set its notes, priority, tags, due date or recurrence, or move it to another ' +
    'list (list, by name). Only the fields given ' +
    'change. Rescheduling (due_date) keeps the task’s recurrence unless the words name a new one. To empty a ' +
    'field, name it in clear. Use complete_task to complete. Returns the task as it is now.',
  input: z.object({
    task_id: taskId,
    title: fields.title.describe('The new title'),
    description: fields.description.unwrap().unwrap().optional().describe('The new notes, replacing the old'),
    priority: fields.priority.describe('low, medium, high or urgent'),
    tags: fields.tags.unwrap().unwrap().optional().describe('The full new list of tags, replacing the old'),
    add_tags: z
      .array(z.string().trim().min(1).max(50))
      .optional()
      .describe('Tags to add, keeping the others'),
    remove_tags: z.array(z.string().trim().min(1).max(50)).optional().describe('Tags to take off'),
    due_date: dueText,
    recurrence: recurrenceRule.optional().describe('A new RRULE, e.g. FREQ=DAILY'),
    list: listName.optional().describe('The name of the list to move it to'),
    clear: z
      .array(z.enum(CLEARABLE))
      .optional()
      .describe('Fields to empty: description, due_date, recurrence, tags'),
  }),
  output: taskOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async execute(args, ctx) {
    const clear = new Set(args.clear ?? []);
    for (const field of clear) {
      if (args[field] !== undefined) {
        throw conflictingFields(field);
      }
    }
    const target = args.list === undefined ? undefined : await findList(args.list, ctx);
    const due = args.due_date ? await readDue(args.due_date, ctx) : undefined;
    let tags: string[] | null | undefined = clear.has('tags') ? null : args.tags;
    if (args.add_tags || args.remove_tags) {
      const current = tags ?? (await ctx.tasks.get(ctx.userId, args.task_id)).tags;
      const removed = new Set((args.remove_tags ?? []).map((t) => t.toLowerCase()));
      tags = [...current, ...(args.add_tags ?? [])].filter((t) => !removed.has(t.toLowerCase()));
    }
    const task = await ctx.tasks.update(ctx.userId, args.task_id, {
      title: args.title,
      description: clear.has('description') ? null : args.description,
      priority: args.priority,
      tags,
      due_date: clear.has('due_date') ? null : due?.due_date,
      recurrence: clear.has('recurrence') ? null : (args.recurrence ?? due?.recurrence),
      ...(target ? { list_id: target.list.id } : {}),
    });
    return { task: await withListName(toTaskResponse(task), ctx, target?.names) };
  },
});
