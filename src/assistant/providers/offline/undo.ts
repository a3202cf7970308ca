import type { ToolCallRecord, ToolCallRequest } from '../provider.ts';
import type { Turn } from './conversation.ts';
import {
  calls,
  listedTasks,
  type Task,
  TOOL,
  taskIdOf,
  type UpdateArgs,
  WRITING,
  writtenTask,
} from './tool-calls.ts';

/**
 * "undo": the calls that put back what the latest changing turn did, from what the conversation saw of each task
 * before the change. Undoing again goes one change further back; a turn that was itself an undo is skipped with
 * the change it undid; nothing before an "undo all that" is left to undo. With `all`, every change of the
 * conversation is put back.
 */
export function undoCalls(
  earlier: Turn[],
  isUndo: (turn: Turn) => false | 'one' | 'all',
  { all = false } = {},
): ToolCallRequest[] | undefined {
  // ("undo all that": every change of the conversation, newest first, so that each task ends as it first was.)
  const undone: ToolCallRequest[] = [];
  let skip = 0;
  for (let t = earlier.length - 1; t >= 0; t--) {
    const turn = earlier[t] as Turn;
    const changes = turn.calls.filter((c) => WRITING.has(c.tool_name) && c.result.success);
    if (changes.length === 0) continue;
    const undid = isUndo(turn);
    if (undid === 'all') break;
    if (undid) {
      skip++;
      continue;
    }
    if (skip > 0) {
      skip--;
      continue;
    }
    const before = statesBefore(earlier.slice(0, t), turn.calls);
    undone.push(...changes.reverse().flatMap((c) => inverse(c, before.get(c))));
    if (!all) break;
  }
  return undone.length > 0 ? undone : undefined;
}

export function undoneSentence(record: ToolCallRecord): string {
  const task = writtenTask(record);
  if (!task) return '';
  if (record.tool_name === TOOL.restore) return `"${task.title}" is back, as it was.`;
  if (record.tool_name === TOOL.delete) return `"${task.title}" is removed again.`;
  return `"${task.title}" is as it was.`;
}

/** For each change of the turn, the task as the conversation last saw it before that change. */
function statesBefore(turns: Turn[], turnCalls: ToolCallRecord[]): Map<ToolCallRecord, Task | undefined> {
  const known = new Map<number, Task>();
  const see = (record: ToolCallRecord) => {
    for (const task of listedTasks(record)?.tasks ?? []) known.set(task.id, task);
    const task = writtenTask(record);
    if (task) known.set(task.id, task);
  };
  for (const turn of turns) for (const record of turn.calls) see(record);
  const before = new Map<ToolCallRecord, Task | undefined>();
  for (const record of turnCalls) {
    const id = taskIdOf(record);
    if (WRITING.has(record.tool_name)) before.set(record, id === undefined ? undefined : known.get(id));
    see(record);
  }
  return before;
}

function inverse(record: ToolCallRecord, before: Task | undefined): ToolCallRequest[] {
  const after = writtenTask(record);
  if (!after) return [];
  switch (record.tool_name) {
    case TOOL.add:
      return [calls.delete(after.id)];
    case TOOL.delete:
      // The very task comes back (id, creation time, completions), not a copy.
      return [calls.restore(after.id)];
    case TOOL.restore:
      return [calls.delete(after.id)];
    case TOOL.complete: {
      if (!before) return [];
      // A recurring task was moved to its next occurrence rather than closed: move it back.
      if (before.recurrence && !after.completed && !before.completed) {
        return [
          calls.update({
            task_id: after.id,
            ...(before.due_date ? { due_date: before.due_date } : { clear: ['due_date'] }),
          }),
        ];
      }
      return [calls.complete(after.id, before.completed)];
    }
    default:
      return before ? [calls.update(restore(before, record.parameters as UpdateArgs))] : [];
  }
}

/** The update that puts back the fields an update_task call changed. */
function restore(before: Task, changed: UpdateArgs): UpdateArgs {
  const touched = new Set<string>([...Object.keys(changed), ...(changed.clear ?? [])]);
  if (touched.has('add_tags') || touched.has('remove_tags')) touched.add('tags');
  if (touched.has('due_date')) touched.add('recurrence');
  const args: UpdateArgs = { task_id: before.id };
  const clear: NonNullable<UpdateArgs['clear']> = [];
  if (touched.has('title')) args.title = before.title;
  if (touched.has('priority')) args.priority = before.priority;
  for (const field of ['description', 'due_date', 'recurrence'] as const) {
    if (!touched.has(field)) continue;
    const value = before[field];
    if (value === null) clear.push(field);
    else args[field] = value;
  }
  if (touched.has('tags')) {
    if (before.tags.length) args.tags = before.tags;
    else clear.push('tags');
  }
  return clear.length ? { ...args, clear } : args;
}
