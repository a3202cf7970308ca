import { HttpProblem } from '../http/problem.ts';
import type { TasksService } from '../tasks/index.ts';
import { isYes } from './providers/offline/reading.ts';
import type { ChatMessage, ToolCallRecord, ToolCallRequest } from './providers/provider.ts';
import { completeTask } from './tools/complete-task.ts';
import { deleteTask } from './tools/delete-task.ts';
import { toolNamed } from './tools/index.ts';
import { updateTask } from './tools/update-task.ts';

/**
 * The hold on a model's changes (DESIGN.md §6): in one user turn a model makes at most one change to an existing
 * task without the user's yes. A model reads task titles and notes, which anyone who can write a task controls, so
 * the rule is kept here, by the chat loop, and not left to the prompt. Everything about a hold is in the stored
 * tool calls, so any instance can carry out the yes.
 */

/** Tools that change or remove a task that exists. Adding is not one: it loses nothing and is seen at once. */
export const DESTRUCTIVE_TOOLS: ReadonlySet<string> = new Set([
  deleteTask.name,
  completeTask.name,
  updateTask.name,
]);

/** The result a held call is stored with; the next turn finds the held calls by it. */
export const CONFIRMATION_REQUIRED = 'assistant.confirmation_required';

const HELD_PREFIX = 'Not done: ';
const HELD_SUFFIX =
  ' needs the user’s yes, as more than one existing task would change in one turn. It runs if the user ' +
  'says yes to the question now put to them; do not call it again.';

/**
 * A call that would change an existing task, with arguments its tool accepts. Calls with arguments it refuses
 * change nothing and run as usual, so that the model sees the error and can correct them.
 */
export function isDestructive(request: ToolCallRequest): boolean {
  if (!DESTRUCTIVE_TOOLS.has(request.name)) return false;
  return toolNamed(request.name)?.input.safeParse(request.arguments).success === true;
}

/** The call, not run, as stored and shown to the model: what it would do and that it waits for a yes. */
export function heldRecord(request: ToolCallRequest, label: string): ToolCallRecord {
  return {
    id: request.id,
    tool_name: request.name,
    parameters: request.arguments,
    result: { success: false, code: CONFIRMATION_REQUIRED, error: `${HELD_PREFIX}${label}${HELD_SUFFIX}` },
  };
}

/** The calls held at the end of the previous turn, oldest first; none when that turn ended otherwise. */
export function heldCalls(history: ChatMessage[]): ToolCallRecord[] {
  const held: ToolCallRecord[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const message = history[i] as ChatMessage;
    if (message.role === 'user') break;
    const calls = message.toolCalls.filter(
      (c) => !c.result.success && c.result.code === CONFIRMATION_REQUIRED,
    );
    held.unshift(...calls);
  }
  return held;
}

/** "yes", "go ahead", "do it"…: the offline assistant's words for a yes. */
export function isConfirmation(message: string, ctx: { now: Date; timeZone: string }): boolean {
  return isYes(message, ctx);
}

/** What a held call was described as when it was held (`delete "Buy milk"`). */
export function labelOf(record: ToolCallRecord): string {
  const error = record.result.success ? '' : record.result.error;
  return error.startsWith(HELD_PREFIX) && error.endsWith(HELD_SUFFIX)
    ? error.slice(HELD_PREFIX.length, -HELD_SUFFIX.length)
    : record.tool_name;
}

const taskIdOf = (parameters: unknown) => (parameters as { task_id: number }).task_id;

function verbs(name: string, parameters: unknown): { now: string; done: string } {
  if (name === deleteTask.name) return { now: 'delete', done: 'deleted' };
  if (name === completeTask.name) {
    return (parameters as { completed?: boolean }).completed === false
      ? { now: 'reopen', done: 'reopened' }
      : { now: 'complete', done: 'completed' };
  }
  return { now: 'change', done: 'changed' };
}

/** `delete "Buy milk"`, naming the task as it is now (or by its id when it is not the user's or gone). */
export async function describeCall(
  request: ToolCallRequest,
  tasks: TasksService,
  userId: string,
): Promise<string> {
  const id = taskIdOf(request.arguments);
  let name = `task ${id}`;
  try {
    name = `"${(await tasks.get(userId, id)).title}"`;
  } catch (error) {
    if (!(error instanceof HttpProblem)) throw error;
  }
  const { now } = verbs(request.name, request.arguments);
  if (request.name !== updateTask.name) return `${now} ${name}`;
  const fields = Object.keys(request.arguments as object).filter((key) => key !== 'task_id');
  return `${now} ${name} (${fields.join(', ')})`;
}

/** The question that ends a turn with held calls. */
export function askToConfirm(labels: string[]): string {
  if (labels.length === 1) {
    return `I need your yes before changing more than one task in one go. Not done yet: ${labels[0]}. Shall I? Say yes to go ahead.`;
  }
  return (
    `I need your yes before changing more than one task in one go. That’s ${labels.length} changes: ` +
    `${labels.join(', ')}. Shall I make all ${labels.length}? Say yes to go ahead.`
  );
}

/** What a yes did: each change made, each task that had gone meanwhile, each other refusal. */
export function reportConfirmed(held: ToolCallRecord[], done: ToolCallRecord[]): string {
  const sentences = done.map((record, i) => {
    const label = labelOf(held[i] as ToolCallRecord);
    if (record.result.success) {
      const data = record.result.data;
      const task = (data.task ?? data.deleted) as { title: string };
      return `${capitalized(verbs(record.tool_name, record.parameters).done)} "${task.title}".`;
    }
    if (record.result.code === 'tasks.not_found') return `Could not ${label}: that task is gone.`;
    return `Could not ${label}: ${record.result.error}`;
  });
  return done.some((record) => record.result.success) ? `Done. ${sentences.join(' ')}` : sentences.join(' ');
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
