import { z } from 'zod';
import { HttpProblem } from '../../http/problem.ts';
import { fieldErrors, type IssueLike, inWords } from '../../http/validation.ts';
import { isDue, parseQuickAdd, type TasksService, taskSchema } from '../../tasks/index.ts';
import { unreadableDate } from '../assistant.errors.ts';

/**
 * The contract every assistant tool keeps. A tool knows nothing of the surface that calls it (the chat loop,
 * the offline assistant, MCP): it validates its input, acts through the tasks service for `ctx.userId`, and
 * returns its output. The user id comes from the authenticated request, never from the model.
 */
export interface ToolContext {
  tasks: TasksService;
  userId: string;
  clock: () => Date;
}

/** MCP's tool hints; every tool here acts only on the user's own tasks, so none reaches an open world. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: false;
}

export interface Tool<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  /** Written for a model: when to use the tool and what it returns. */
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  execute(args: z.output<I>, ctx: ToolContext): Promise<z.output<O>>;
}

export type ToolResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; code: string; error: string };

/** Defines a tool, keeping the types of its input and output for `execute`. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(tool: Tool<I, O>): Tool<I, O> {
  return tool;
}

/**
 * Runs a tool on arguments from anywhere (a model, a parser, an MCP client). Invalid arguments and a refused
 * operation (an HttpProblem such as tasks.not_found) come back as an error result carrying a sentence the
 * caller can act on, in the words of tools: the tool's arguments, never a REST route or an HTTP status; anything
 * else is a bug and is thrown.
 */
export async function runTool(tool: Tool, args: unknown, ctx: ToolContext): Promise<ToolResult> {
  const parsed = tool.input.safeParse(args ?? {});
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error.issues as IssueLike[], 'arguments', tool.input);
    return invalidArguments(tool, inWords(errors));
  }
  try {
    return { ok: true, value: (await tool.execute(parsed.data, ctx)) as Record<string, unknown> };
  } catch (error) {
    if (!(error instanceof HttpProblem)) throw error;
    // The tasks service speaks to REST clients (its fields are a body's, its hints name routes).
    if (error.code === 'request.invalid' && error.errors) {
      const errors = error.errors.map(({ field, message }) => ({
        field: field.replace(/^body\b/, 'arguments'),
        message,
      }));
      return invalidArguments(tool, inWords(errors));
    }
    if (error.code === 'tasks.not_found') {
      return {
        ok: false,
        code: error.code,
        error: 'No task with this task_id belongs to the user; find its id with list_tasks.',
      };
    }
    return { ok: false, code: error.code, error: error.message };
  }
}

function invalidArguments(tool: Tool, words: string): ToolResult {
  return {
    ok: false,
    code: 'tool.invalid_arguments',
    error: `Invalid arguments for ${tool.name}: ${words}.`,
  };
}

export const taskId = z
  .number()
  .int()
  .min(1)
  .max(2_147_483_647)
  .describe('The id of the task, from list_tasks');

/** One task, as every tool that writes a task returns it. */
export const taskOutput = z.object({ task: taskSchema.describe('The task as it is now') });

/** A due date in words or ISO; optional in every tool, described once here. */
export const dueText = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .optional()
  .describe(
    'When it is due: a date (2026-12-03), a date-time with offset (2026-12-03T17:00:00+02:00), or words read ' +
      'in the user’s time zone such as "tomorrow 5pm", "next friday", "in 3 days". Words may also set a ' +
      'recurrence ("every monday 9am").',
  );

/**
 * Reads a due date given as ISO text or as words, in the user's time zone, with the quick-add parser that the
 * API uses. Words that name a recurrence give it too; words without one leave the task's recurrence alone.
 */
export async function readDue(
  text: string,
  ctx: ToolContext,
): Promise<{ due_date: string; recurrence?: string }> {
  if (isDue(text)) return { due_date: text };
  const timezone = await ctx.tasks.userTimeZone(ctx.userId);
  const parsed = parseQuickAdd(text, { now: ctx.clock(), timezone });
  if (!parsed.due_date) {
    throw unreadableDate(text);
  }
  return parsed.recurrence
    ? { due_date: parsed.due_date, recurrence: parsed.recurrence }
    : { due_date: parsed.due_date };
}
