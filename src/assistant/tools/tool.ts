import { z } from 'zod';
import type { FieldError } from '../../http/problem.ts';
import { HttpProblem } from '../../http/problem.ts';
import { closest, editDistance, fieldErrors, type IssueLike, inWords } from '../../http/validation.ts';
import { type ListNames, type ListRecord, listNameKey } from '../../lists/index.ts';
import {
  isDue,
  normalizeRecurrence,
  parseQuickAdd,
  type TaskResponse,
  type TasksService,
  taskSchema,
} from '../../tasks/index.ts';
import { unknownList, unreadableDate } from '../assistant.errors.ts';

/**
 * The contract every assistant tool keeps. A tool knows nothing of the surface that calls it (the chat loop,
 * the offline assistant, MCP): it validates its input, acts through the tasks service for `ctx.userId`, and
 * returns its output. The user id comes from the authenticated request, never from the model. The user's lists
 * are read by name through `lists` (the lists feature's), for a `list` argument and the list names of results.
 */
export interface ToolContext {
  tasks: TasksService;
  lists: ListNames;
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

/**
 * Defines a tool, keeping the types of its input and output for `execute`. Its input is made strict here, in one
 * place, so that a tool added tomorrow is strict too: an argument the tool does not declare is refused with the
 * argument probably meant (see runTool), never dropped, and the JSON Schema it advertises (MCP's tools/list, the
 * model's function definitions) says `additionalProperties: false`.
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(tool: Tool<I, O>): Tool<I, O> {
  return { ...tool, input: tool.input.strict() as unknown as I };
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
    const issues = parsed.error.issues as IssueLike[];
    const isUnknown = (issue: IssueLike) => issue.code === 'unrecognized_keys' && issue.path.length === 0;
    const unknown = issues.filter(isUnknown).flatMap((issue) => issue.keys ?? []);
    const errors = fieldErrors(
      issues.filter((issue) => !isUnknown(issue)),
      'arguments',
      tool.input,
    );
    return invalidArguments(tool, errors, unknown);
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
      return invalidArguments(tool, errors);
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

/** How many unknown arguments an error names; a caller that sent more hears how many others there were. */
const UNKNOWN_NAMED = 5;
/** How much of an unknown argument's name an error repeats. */
const NAME_SHOWN = 60;

/**
 * The refusal of a call with invalid arguments, in the tool's terms. Unknown arguments come first, each with the
 * argument probably meant and then the tool's arguments, since a misspelt name is most often why a call failed
 * (`{"titel": "x"}` is also missing `title`): "add_task has no argument `priorty`; did you mean `priority`? Its
 * arguments are: title, …". Nothing runs: a call with an argument the tool does not know would not do what
 * was asked (a misspelt `status` listed the to-do list instead of the completed tasks).
 */
function invalidArguments(tool: Tool, errors: FieldError[], unknown: readonly string[] = []): ToolResult {
  const names = Object.keys(tool.input.shape);
  const sentences = unknown.slice(0, UNKNOWN_NAMED).map((key, index) => {
    const shown = key.length > NAME_SHOWN ? `${key.slice(0, NAME_SHOWN)}…` : key;
    // `id` for `task_id`, `date` for `due_date`: the short name a caller guesses, which edits are too far from.
    const guess = closest(key, names) ?? names.find((name) => name.endsWith(`_${key.toLowerCase()}`));
    return `${index === 0 ? tool.name : 'It'} has no argument \`${shown}\`${guess ? `; did you mean \`${guess}\`?` : '.'}`;
  });
  const others = unknown.length - UNKNOWN_NAMED;
  if (others > 0)
    sentences.push(`It does not have the ${others} other argument${others > 1 ? 's' : ''} sent either.`);
  if (unknown.length > 0) sentences.push(`Its arguments are: ${names.join(', ')}.`);
  if (errors.length > 0) {
    sentences.push(
      unknown.length > 0
        ? `Also, ${inWords(errors)}.`
        : `Invalid arguments for ${tool.name}: ${inWords(errors)}.`,
    );
  }
  return { ok: false, code: 'tool.invalid_arguments', error: sentences.join(' ') };
}

export const taskId = z
  .number()
  .int()
  .min(1)
  .max(2_147_483_647)
  .describe('The id of the task, from list_tasks');

const { created_by: _creator, updated_by: _changer, assignee_id: _assignee, ...taskShape } = taskSchema.shape;

/**
 * A task as the tools return it: the tasks API's task with the name of its list, so that a model can say where a
 * task is. Its JSON Schema is written out whole in every tool's output schema in tools/list, which an MCP client
 * sends with each request to its model, so it is kept short: ids as plain numbers (an integer's bounds cost 52
 * bytes each), the timestamps without a description, and without who made, changed or was given the task (user
 * ids say nothing to a model). `list` is left out only if the list went meanwhile.
 */
export const toolTask = z.object({
  ...taskShape,
  id: z.number(),
  user_id: z.string(),
  list_id: z.number(),
  completed_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  list: z.string().optional().describe('The name of the list the task is in'),
});
export type ToolTask = z.output<typeof toolTask>;

/** One task, as every tool that writes a task returns it. */
export const taskOutput = z.object({ task: toolTask.describe('The task as it is now') });

/** The optional `list` argument, by name; the tools that take it describe what it does there. */
export const listName = z.string().trim().min(1).max(100);

/**
 * The user's list that `name` names, matched as quick add's `+name` is (without case, spaces, hyphens or
 * underscores), and the names of all the user's lists, from one query. A name that is none of theirs is refused
 * with their lists' names and the one probably meant; each user's own lists only are read.
 */
export async function findList(
  name: string,
  ctx: ToolContext,
): Promise<{ list: ListRecord; names: Map<number, string> }> {
  const { list, lists } = await ctx.lists.named(ctx.userId, name);
  if (!list) {
    const names = lists.map((each) => each.name);
    throw unknownList(name, names, meantList(name, names));
  }
  return { list, names: new Map(lists.map((each) => [each.id, each.name])) };
}

/**
 * The list name probably meant by one that names none: the nearest in letters (compared as names are matched),
 * allowing a third of the name's length, since list names are words said in their singular or plural ("grocery"
 * for Groceries), or one the name begins, or that begins the name.
 */
function meantList(name: string, names: readonly string[]): string | undefined {
  const typed = listNameKey(name);
  let best: { name: string; distance: number } | undefined;
  for (const each of names) {
    const key = listNameKey(each);
    const prefix =
      Math.min(typed.length, key.length) >= 3 && (key.startsWith(typed) || typed.startsWith(key));
    const distance = prefix ? 1 : editDistance(typed, key);
    const allowed = Math.max(2, Math.floor(Math.max(typed.length, key.length) / 3));
    if (distance <= allowed && (!best || distance < best.distance)) best = { name: each, distance };
  }
  return best?.name;
}

/**
 * The tasks with the names of their lists; `names` when the caller has them already, else read in one query.
 */
export async function withListNames(
  tasks: readonly TaskResponse[],
  ctx: ToolContext,
  names?: Map<number, string>,
): Promise<ToolTask[]> {
  const known = names ?? (await ctx.lists.names(ctx.userId));
  return tasks.map(({ created_by: _creator, updated_by: _changer, assignee_id: _assignee, ...task }) => {
    const list = known.get(task.list_id);
    return list === undefined ? task : { ...task, list };
  });
}

export async function withListName(
  task: TaskResponse,
  ctx: ToolContext,
  names?: Map<number, string>,
): Promise<ToolTask> {
  return (await withListNames([task], ctx, names))[0] as ToolTask;
}

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
 * A recurrence as an RRULE, checked as the tasks API checks it, but refused in words for a tool's caller: the
 * API's list of RRULE parts (`…, BYSETPOS=...`) helps nobody who wrote "every monday" here, which belongs in
 * due_date, whose words set a recurrence.
 */
export const recurrenceRule = z
  .string()
  .max(500, 'must be at most 500 characters long')
  .transform((text, ctx) => {
    const result = normalizeRecurrence(text);
    if (!('error' in result)) return result.rule;
    ctx.addIssue({ code: 'custom', message: recurrenceError(text, result.error) });
    return z.NEVER;
  });

function recurrenceError(text: string, error: string): string {
  const example = 'write one such as FREQ=WEEKLY;BYDAY=MO or FREQ=MONTHLY;BYMONTHDAY=1';
  if (text.trim() === '') return 'must not be empty';
  if (!text.includes('=')) {
    return (
      'must be an RRULE such as FREQ=WEEKLY;BYDAY=MO, not words; words such as "every monday" go in due_date, ' +
      'which reads them'
    );
  }
  const part = /^has "(.*)", which is not one of /s.exec(error)?.[1];
  if (part !== undefined) return `has "${part}", which is not part of an RRULE; ${example}`;
  if (error.startsWith('is not a valid RRULE')) return `is not a valid RRULE; ${example}`;
  return error;
}

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
