import { z } from 'zod';
import { DELETED_TASK_RETENTION_DAYS, toTaskResponse } from '../../tasks/index.ts';
import { defineTool, taskId, taskOutput, withListName } from './tool.ts';

export const restoreTask = defineTool({
  name: 'restore_task',
  title: 'Restore a deleted task',
  description:
    `Undo a delete_task: bring the task back exactly as it was (same id, creation time, recurrence, tags and ` +
    `completion history). Works once per deletion, within ${DELETED_TASK_RETENTION_DAYS} days. Returns the task ` +
    'as it is now.',
  input: z.object({ task_id: taskId.describe('The id of the deleted task, as delete_task returned it') }),
  output: taskOutput,
  // Restoring twice leaves the task as the first restore did (the second is refused).
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async execute(args, ctx) {
    const task = toTaskResponse(await ctx.tasks.restore(ctx.userId, args.task_id));
    return { task: await withListName(task, ctx) };
  },
});
