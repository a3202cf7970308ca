import { z } from 'zod';
import { toTaskResponse } from '../../tasks/index.ts';
import { defineTool, taskId, toolTask, withListName } from './tool.ts';

export const deleteTask = defineTool({
  name: 'delete_task',
  title: 'Delete a task',
  description:
    'Delete a task for good. Only when the user asked to delete or remove it; to finish a task use ' +
    'complete_task. Returns the task as it was.',
  input: z.object({ task_id: taskId }),
  output: z.object({ deleted: toolTask.describe('The task that was deleted, as it was') }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async execute(args, ctx) {
    const task = await ctx.tasks.get(ctx.userId, args.task_id);
    // The name is read while the list is surely there; a list can go with its last task only by the user.
    const deleted = await withListName(toTaskResponse(task), ctx);
    await ctx.tasks.remove(ctx.userId, args.task_id);
    return { deleted };
  },
});
