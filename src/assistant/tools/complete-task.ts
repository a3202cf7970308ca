import { z } from 'zod';
import { toTaskResponse } from '../../tasks/index.ts';
import { defineTool, taskId, taskOutput, withListName } from './tool.ts';

export const completeTask = defineTool({
  name: 'complete_task',
  title: 'Complete or reopen a task',
  description:
    'Mark a task done (or, with completed false, not done). Completing a recurring task moves it to its next ' +
    'occurrence and keeps it pending. Returns the task as it is now.',
  input: z.object({
    task_id: taskId,
    completed: z.boolean().optional().describe('true (the default) completes; false reopens'),
  }),
  output: taskOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async execute(args, ctx) {
    const task = await ctx.tasks.setCompleted(ctx.userId, args.task_id, args.completed ?? true);
    return { task: await withListName(toTaskResponse(task), ctx) };
  },
});
