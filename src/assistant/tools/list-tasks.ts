import { z } from 'zod';
import { listQuery, taskSchema } from '../../tasks/index.ts';
import { defineTool, findList, listName, toolTask, withListNames } from './tool.ts';

const query = listQuery.shape;

export const listTasks = defineTool({
  name: 'list_tasks',
  title: 'List tasks',
  description:
    'Find the user’s tasks: filter by words, status, list, priority, tags and due date, and sort. Use it to find a ' +
    'task’s id before completing, updating or deleting it. "Today", "week" and "overdue" are read in the ' +
    'user’s time zone.',
  input: z.object({
    search: query.search,
    status: query.status.describe('pending (the default), completed or all'),
    list: listName.optional().describe('Only the tasks of the list of this name, e.g. "Work"'),
    priority: z
      .array(taskSchema.shape.priority)
      .min(1)
      .optional()
      .describe('Only these priorities, e.g. ["high","urgent"]'),
    tags: z
      .array(z.string().trim().min(1).max(50))
      .min(1)
      .optional()
      .describe('Only tasks with any of these tags'),
    due: query.due,
    due_before: query.due_before,
    due_after: query.due_after,
    sort_by: query.sort_by,
    order: query.order,
    limit: z.number().int().min(1).max(200).optional().describe('At most this many tasks (default 50)'),
  }),
  output: z.object({
    tasks: z.array(toolTask).describe('The matching tasks, in the order asked for'),
    total: z.number().int().describe('How many tasks match in all (may be more than returned)'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async execute({ list, ...args }, ctx) {
    const within = list === undefined ? undefined : await findList(list, ctx);
    const { tasks, total } = await ctx.tasks.list(ctx.userId, {
      ...args,
      ...(within ? { list_id: within.list.id } : {}),
      status: args.status ?? 'pending',
      tags_mode: 'any',
      limit: args.limit ?? 50,
      offset: 0,
    });
    return { tasks: await withListNames(tasks, ctx, within?.names), total };
  },
});
