import type { z } from 'zod';
import { addTask } from '../../tools/add-task.ts';
import { completeTask } from '../../tools/complete-task.ts';
import { deleteTask } from '../../tools/delete-task.ts';
import { listTasks } from '../../tools/list-tasks.ts';
import { restoreTask } from '../../tools/restore-task.ts';
import type { ToolTask } from '../../tools/tool.ts';
import { updateTask } from '../../tools/update-task.ts';
import type { ToolCallRecord, ToolCallRequest } from '../provider.ts';

/**
 * The offline assistant's side of the five tools: requests built with each tool's own input type and name, and
 * results read with its output type, so a change to a tool's contract is a type error here rather than a cast
 * that quietly lies.
 */
export type Task = ToolTask;
export type AddArgs = z.input<typeof addTask.input>;
export type ListArgs = z.input<typeof listTasks.input>;
export type UpdateArgs = z.input<typeof updateTask.input>;

export const TOOL = {
  add: addTask.name,
  list: listTasks.name,
  complete: completeTask.name,
  update: updateTask.name,
  delete: deleteTask.name,
  restore: restoreTask.name,
} as const;

/** Tools that write: what "undo" reverts and what ends a lookup. */
export const WRITING: ReadonlySet<string> = new Set([
  TOOL.add,
  TOOL.complete,
  TOOL.update,
  TOOL.delete,
  TOOL.restore,
]);

let counter = 0;
function request(name: string, args: object): ToolCallRequest {
  return { id: `call_${Date.now().toString(36)}_${(counter++).toString(36)}`, name, arguments: args };
}

export const calls = {
  add: (args: AddArgs) => request(TOOL.add, args),
  list: (args: ListArgs) => request(TOOL.list, args),
  complete: (taskId: number, completed = true) =>
    request(TOOL.complete, completed ? { task_id: taskId } : { task_id: taskId, completed }),
  update: (args: UpdateArgs) => request(TOOL.update, args),
  delete: (taskId: number) => request(TOOL.delete, { task_id: taskId }),
  restore: (taskId: number) => request(TOOL.restore, { task_id: taskId }),
};

/**
 * A stored result read back through its tool's own output schema, never cast: a result that does not fit (written
 * by an older version, or a failure) reads as nothing. Each record is read once per reply.
 */
const read = new WeakMap<ToolCallRecord, unknown>();
function output<T>(record: ToolCallRecord, schema: z.ZodType<T>): T | undefined {
  if (!record.result.success) return undefined;
  if (!read.has(record)) read.set(record, schema.safeParse(record.result.data).data);
  return read.get(record) as T | undefined;
}

/** The tasks a list call returned, and how many matched in all; undefined when it failed. */
export function listedTasks(record: ToolCallRecord): { tasks: Task[]; total: number } | undefined {
  return record.tool_name === TOOL.list ? output(record, listTasks.output) : undefined;
}

/** The task a writing call returned (as it is now, or as it was when deleted); undefined when it failed. */
export function writtenTask(record: ToolCallRecord): Task | undefined {
  if (record.tool_name === TOOL.delete) return output(record, deleteTask.output)?.deleted;
  return WRITING.has(record.tool_name) ? output(record, addTask.output)?.task : undefined;
}

/** The id of the task a call was asked to change, when it names one. */
export function taskIdOf(record: ToolCallRecord): number | undefined {
  const id = (record.parameters as { task_id?: unknown } | null)?.task_id;
  return typeof id === 'number' ? id : undefined;
}

/** Why a call failed, in words for the person (a tool's error speaks to a model: "find its id with list_tasks"). */
export function errorOf(record: ToolCallRecord): string {
  if (record.result.success) return '';
  if (record.result.code === 'tasks.not_found') return 'that task is no longer on your list.';
  return record.result.error;
}
