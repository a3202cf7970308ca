import { localDate, parseDue } from '../../tasks/due.ts';
import { parseQuickAdd, prepareDateParser } from '../../tasks/quick-add.ts';
import type { TaskResponse } from '../../tasks/tasks.schemas.ts';
import { findByName, normalize } from './fuzzy-match.ts';
import {
  type Change,
  type Intent,
  type ListFilter,
  type ReadContext,
  readMessage,
} from './offline-language.ts';
import type {
  ChatMessage,
  GenerateRequest,
  Generation,
  Provider,
  ToolCallRecord,
  ToolCallRequest,
} from './provider.ts';

/**
 * The assistant without a model. It is a provider like any other: it reads the conversation and asks for tool
 * calls, then words a reply from their results, so storage, limits and the round cap are the chat loop's.
 * It keeps nothing between calls. What it needs from earlier turns (the task discussed, a question awaiting
 * "yes", what "undo" reverts) it reads again from the stored messages and their tool results, so any instance
 * can continue any conversation.
 */
export function createOfflineProvider(): Provider {
  return {
    name: 'offline',
    // It acts only on what the user typed, and asks before changing more than one task.
    confirmsBulkChanges: true,
    async generate(request: GenerateRequest): Promise<Generation> {
      await prepareDateParser();
      const generation = respond(request);
      if (generation.text) request.onText?.(generation.text);
      return generation;
    },
  };
}

interface Turn {
  user: string;
  calls: ToolCallRecord[];
}

type Task = TaskResponse;

const MUTATING = new Set(['add_task', 'complete_task', 'update_task', 'delete_task', 'restore_task']);
const LISTED_IN_REPLY = 8;
const LOOKUP_LIMIT = 200;
const HELP =
  'I can manage your tasks. Try "add call mum tomorrow 5pm #family", "what’s due today?", "complete call mum", ' +
  '"move it to friday", "make it urgent", "delete buy milk" or "undo".';
const UNKNOWN =
  'I’m not sure what to do with that, so I changed nothing. I can add, list, complete, update or delete tasks — ' +
  'say "add buy milk tomorrow" to add one.';
const INSTRUCTION =
  'That reads as an instruction to me rather than something about your tasks, so I changed nothing. I only ' +
  'work on your own tasks: I can add, list, complete, update or delete them — say "add buy milk tomorrow" to add one.';

let callCounter = 0;
const call = (name: string, args: Record<string, unknown>): ToolCallRequest => ({
  id: `call_${Date.now().toString(36)}_${(callCounter++).toString(36)}`,
  name,
  arguments: args,
});
const say = (text: string): Generation => ({ text, toolCalls: [] });
const act = (...toolCalls: ToolCallRequest[]): Generation => ({ text: '', toolCalls });

function turnsOf(messages: ChatMessage[]): Turn[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    if (message.role === 'user') turns.push({ user: message.content, calls: [] });
    else turns[turns.length - 1]?.calls.push(...message.toolCalls);
  }
  return turns;
}

function respond(request: GenerateRequest): Generation {
  const ctx: ReadContext = { now: request.now, timeZone: request.timeZone };
  const turns = turnsOf(request.messages);
  const current = turns[turns.length - 1];
  if (!current) return say(HELP);
  const earlier = turns.slice(0, -1);
  const intent = alsoForAnother(readMessage(current.user, ctx), current.user, earlier, ctx);

  // An answer to "which one?" names one of the candidates, by name or by number.
  const question = pendingQuestion(earlier, ctx);
  if (
    question?.kind === 'choose' &&
    (intent.kind === 'add' || intent.kind === 'list' || intent.kind === 'yes' || intent.kind === 'unknown')
  ) {
    const chosen = choose(current.user, question.candidates);
    if (chosen) return perform(question.change, [chosen], current.calls, ctx);
  }
  switch (intent.kind) {
    case 'help':
      return say(HELP);
    case 'thanks':
      return say('You’re welcome!');
    case 'unknown':
      return say(UNKNOWN);
    case 'instruction':
      return say(INSTRUCTION);
    case 'no':
      return say(question ? 'Okay, I left everything as it was.' : 'Okay.');
    case 'yes':
      if (question?.kind === 'confirm') return perform(question.change, question.tasks, current.calls, ctx);
      if (question?.kind === 'choose') return say('Which one? Tell me its name or its number in the list.');
      return say('There is nothing waiting for a yes. What would you like to do?');
    case 'undo':
      return undo(earlier, current.calls, ctx);
    case 'add':
      return add(intent.text, current.calls, ctx);
    case 'list':
      return list(intent.filter, current.calls, ctx);
    case 'change':
      return change(intent, current.calls, earlier, ctx);
  }
}

/** "And the dentist too": the change of the previous turn, for another task. */
function alsoForAnother(intent: Intent, message: string, earlier: Turn[], ctx: ReadContext): Intent {
  const too = /^(?:and|also|plus)?\s*(.+?)\s+(?:too|as well)[.!]*$/i.exec(message.trim());
  const previous = earlier[earlier.length - 1];
  if (intent.kind !== 'unknown' || !too || !previous) return intent;
  const before = readMessage(previous.user, ctx);
  if (before.kind !== 'change' || before.change.kind === 'rename') return intent;
  const name = (too[1] as string).replace(/^(?:the|my)\s+/i, '');
  return { kind: 'change', change: before.change, target: { kind: 'name', name } };
}

function add(text: string, calls: ToolCallRecord[], ctx: ReadContext): Generation {
  const done = calls.find((c) => c.tool_name === 'add_task');
  if (done) {
    if (!done.result.success) return say(`I couldn’t add that: ${done.result.error}`);
    const task = done.result.data.task as Task;
    return say(`Added "${task.title}"${details(task, ctx)}.`);
  }
  const parsed = parseQuickAdd(text, { now: ctx.now, timezone: ctx.timeZone });
  return act(
    call('add_task', {
      // A title given in quotes ("add "Read Dune" p3") is the words inside them.
      title: parsed.title
        .replace(/^["'“‘](.+)["'”’]$/, '$1')
        .replace(/^to\s+(?=\S)/i, '')
        // A word the date was read from leaves behind ("renew passport for friday").
        .replace(/[,\s]+(?:for|on|by|at|due)$/i, ''),
      ...(parsed.description ? { description: parsed.description } : {}),
      ...(parsed.priority ? { priority: parsed.priority } : {}),
      ...(parsed.tags.length ? { tags: parsed.tags } : {}),
      ...(parsed.due_date ? { due_date: parsed.due_date } : {}),
      ...(parsed.recurrence ? { recurrence: parsed.recurrence } : {}),
    }),
  );
}

function listArguments(filter: ListFilter): Record<string, unknown> {
  return {
    status: filter.status,
    ...(filter.priority ? { priority: filter.priority } : {}),
    ...(filter.tags ? { tags: filter.tags } : {}),
    ...(filter.due ? { due: filter.due } : {}),
    ...(filter.due_after ? { due_after: filter.due_after } : {}),
    ...(filter.due_before ? { due_before: filter.due_before } : {}),
    ...(filter.search ? { search: filter.search } : {}),
    ...(filter.status === 'completed'
      ? { sort_by: 'updated_at' }
      : filter.due
        ? { sort_by: 'due_date' }
        : {}),
    limit: filter.completedSince ? LOOKUP_LIMIT : 50,
  };
}

/** The tasks a list call found, less those completed before the filter's start. */
function listed(record: ToolCallRecord, filter: ListFilter): Task[] | undefined {
  if (!record.result.success) return undefined;
  const tasks = record.result.data.tasks as Task[];
  const since = filter.completedSince;
  return since ? tasks.filter((t) => t.completed_at && new Date(t.completed_at) >= since) : tasks;
}

function list(filter: ListFilter, calls: ToolCallRecord[], ctx: ReadContext): Generation {
  const done = calls.find((c) => c.tool_name === 'list_tasks');
  if (!done) return act(call('list_tasks', listArguments(filter)));
  const tasks = listed(done, filter);
  if (!tasks) return say(`I couldn’t look that up: ${errorOf(done)}`);
  const what = filter.status === 'completed' ? 'completed tasks' : 'tasks';
  const label = filter.label.replace(/^completed(, )?/, '');
  if (tasks.length === 0) return say(`You have no ${what}${label ? ` ${label}` : ''}.`);
  const total =
    filter.completedSince || !done.result.success ? tasks.length : (done.result.data.total as number);
  const shown = tasks.slice(0, LISTED_IN_REPLY).map((t) => `"${t.title}"${details(t, ctx)}`);
  const more = total > shown.length ? `, and ${total - shown.length} more` : '';
  const noun = total === 1 ? what.replace('tasks', 'task') : what;
  return say(`You have ${total} ${noun}${label ? ` ${label}` : ''}: ${shown.join('; ')}${more}.`);
}

function change(
  intent: Extract<Intent, { kind: 'change' }>,
  calls: ToolCallRecord[],
  earlier: Turn[],
  ctx: ReadContext,
): Generation {
  const { change: what, target } = intent;
  if (target.kind === 'it') {
    const task = lastDiscussed([...earlier, { user: '', calls }]);
    if (!task) return say('Which task do you mean? Tell me its name.');
    return perform(what, [task], calls, ctx);
  }
  if (target.kind === 'nth') {
    const shown = lastList(earlier);
    const task = shown?.[target.index < 0 ? shown.length - 1 : target.index];
    if (!task) return say('Which task do you mean? Ask me for a list first, or tell me its name.');
    return perform(what, [task], calls, ctx);
  }
  const lookup = calls.find((c) => c.tool_name === 'list_tasks');
  if (target.kind === 'all') {
    if (!lookup) return act(call('list_tasks', { ...listArguments(target.filter), limit: LOOKUP_LIMIT }));
    const tasks = listed(lookup, target.filter) ?? [];
    const label = target.filter.label ? ` ${target.filter.label}` : '';
    if (tasks.length === 0) return say(`There are no tasks${label} to ${verb(what)}.`);
    if (calls.some((c) => MUTATING.has(c.tool_name)) || !asksFirst(what, tasks))
      return perform(what, tasks, calls, ctx);
    const names = tasks.slice(0, LISTED_IN_REPLY).map((t) => `"${t.title}"`);
    const more = tasks.length > names.length ? ` and ${tasks.length - names.length} more` : '';
    if (tasks.length === 1)
      return say(`That’s 1 task: ${names[0]}. Shall I ${verb(what)} it? Say yes to go ahead.`);
    return say(
      `That’s ${tasks.length} tasks: ${names.join(', ')}${more}. Shall I ${verb(what)} all ${tasks.length}? Say yes to go ahead.`,
    );
  }
  if (!lookup) {
    return act(
      call('list_tasks', {
        status: what.kind === 'reopen' ? 'completed' : 'all',
        sort_by: 'updated_at',
        limit: LOOKUP_LIMIT,
      }),
    );
  }
  const match = resolveName(target.name, lookup, what);
  if (match.kind === 'none')
    return say(`I couldn’t find a task matching "${target.name}". Which task do you mean?`);
  if (match.kind === 'several') {
    const options = match.tasks
      .slice(0, LISTED_IN_REPLY)
      .map((t, i) => `${i + 1}. "${t.title}"${details(t, ctx)}`);
    return say(`Several tasks match "${target.name}": ${options.join('; ')}. Which one do you mean?`);
  }
  if (what.kind === 'complete' && match.task.completed && !calls.some((c) => MUTATING.has(c.tool_name))) {
    return say(`"${match.task.title}" is already done.`);
  }
  return perform(what, [match.task], calls, ctx);
}

/** A change to several tasks is asked about first; a delete of "all"/"everything" is, even when one task fits. */
function asksFirst(what: Change, tasks: Task[]): boolean {
  return tasks.length > 1 || (tasks.length === 1 && what.kind === 'delete');
}

/** Pending tasks are meant before completed ones, unless the change is to reopen. */
function resolveName(name: string, lookup: ToolCallRecord, what: Change) {
  const tasks = lookup.result.success ? (lookup.result.data.tasks as Task[]) : [];
  if (what.kind === 'reopen' || what.kind === 'delete') {
    const pending = findByName(
      name,
      tasks.filter((t) => !t.completed || what.kind === 'reopen'),
    );
    return pending.kind === 'none' ? findByName(name, tasks) : pending;
  }
  const pending = findByName(
    name,
    tasks.filter((t) => !t.completed),
  );
  return pending.kind === 'none' ? findByName(name, tasks) : pending;
}

/** Asks for the change on each task, or, once done, says what happened. */
function perform(what: Change, tasks: Task[], calls: ToolCallRecord[], ctx: ReadContext): Generation {
  const done = calls.filter((c) => MUTATING.has(c.tool_name));
  if (done.length === 0) return act(...tasks.map((task) => changeCall(what, task)));
  const failed = done.filter((c) => !c.result.success);
  const succeeded = done.filter((c) => c.result.success).map(resultTask);
  const problems = failed.map(errorOf);
  if (succeeded.length === 0) return say(`I couldn’t do that: ${problems.join(' ')}`);
  const summary =
    succeeded.length === 1
      ? describeChange(what, succeeded[0] as Task, tasks[0], ctx)
      : describeMany(what, succeeded);
  return say(problems.length ? `${summary} But some failed: ${problems.join(' ')}` : summary);
}

function changeCall(what: Change, task: Task): ToolCallRequest {
  const id = { task_id: task.id };
  switch (what.kind) {
    case 'complete':
      return call('complete_task', id);
    case 'reopen':
      return call('complete_task', { ...id, completed: false });
    case 'delete':
      return call('delete_task', id);
    case 'rename':
      return call('update_task', { ...id, title: what.title });
    case 'reschedule':
      return call('update_task', { ...id, due_date: what.due });
    case 'clear_due':
      return call('update_task', { ...id, clear: ['due_date'] });
    case 'priority':
      return call('update_task', { ...id, priority: what.priority });
    case 'tag':
      return call('update_task', {
        ...id,
        ...(what.add.length ? { add_tags: what.add } : {}),
        ...(what.remove.length ? { remove_tags: what.remove } : {}),
      });
    case 'untag':
      return call('update_task', { ...id, clear: ['tags'] });
    case 'describe':
      return call('update_task', { ...id, description: what.description });
  }
}

function errorOf(record: ToolCallRecord): string {
  return record.result.success ? '' : record.result.error;
}

function resultTask(record: ToolCallRecord): Task {
  const data = (record.result as { data: Record<string, unknown> }).data;
  return (data.task ?? data.deleted) as Task;
}

function describeChange(what: Change, task: Task, before: Task | undefined, ctx: ReadContext): string {
  const name = `"${task.title}"`;
  switch (what.kind) {
    case 'complete':
      return task.completed
        ? `Done! I completed ${name}.`
        : `Done! ${name} repeats, so it’s next due ${when(task.due_date, ctx)}.`;
    case 'reopen':
      return `I reopened ${name}.`;
    case 'delete':
      return `I deleted ${name}. Say "undo" if that was a mistake.`;
    case 'rename':
      return `Renamed "${before?.title ?? ''}" to ${name}.`;
    case 'reschedule':
      return `${name} is now due ${when(task.due_date, ctx)}${task.recurrence ? ' and still repeats' : ''}.`;
    case 'clear_due':
      return `${name} no longer has a due date.`;
    case 'priority':
      return `${name} is now ${task.priority} priority.`;
    case 'tag':
    case 'untag':
      return task.tags.length ? `${name} is now tagged ${task.tags.join(', ')}.` : `${name} has no tags now.`;
    case 'describe':
      return `I added that note to ${name}.`;
  }
}

function describeMany(what: Change, tasks: Task[]): string {
  const names = tasks.slice(0, LISTED_IN_REPLY).map((t) => `"${t.title}"`);
  const more = tasks.length > names.length ? ` and ${tasks.length - names.length} more` : '';
  const done = { complete: 'Completed', delete: 'Deleted' }[what.kind as 'complete' | 'delete'] ?? 'Changed';
  return `${done} ${tasks.length} tasks: ${names.join(', ')}${more}.`;
}

function verb(what: Change): string {
  return { delete: 'delete', complete: 'complete', reschedule: 'move' }[what.kind as string] ?? 'change';
}

/** The task the conversation last spoke of: the last one written, or the only one a list found. */
function lastDiscussed(turns: Turn[]): Task | undefined {
  for (let t = turns.length - 1; t >= 0; t--) {
    const calls = (turns[t] as Turn).calls;
    for (let c = calls.length - 1; c >= 0; c--) {
      const record = calls[c] as ToolCallRecord;
      if (!record.result.success) continue;
      if (MUTATING.has(record.tool_name)) return resultTask(record);
      const found = record.result.data.tasks as Task[];
      // A lookup by name lists every task; it is the change after it that says which one was meant.
      if (found.length === 1) return found[0];
    }
  }
  return undefined;
}

/** The tasks of the last list the conversation showed, in the order shown. */
function lastList(turns: Turn[]): Task[] | undefined {
  for (let t = turns.length - 1; t >= 0; t--) {
    const turn = turns[t] as Turn;
    const intent = turn.calls.find((c) => c.tool_name === 'list_tasks' && c.result.success);
    // A lookup made to find a task by name was not shown to the user.
    if (intent?.result.success && !turn.calls.some((c) => MUTATING.has(c.tool_name))) {
      return intent.result.data.tasks as Task[];
    }
  }
  return undefined;
}

type Question =
  | { kind: 'choose'; change: Change; candidates: Task[] }
  | { kind: 'confirm'; change: Change; tasks: Task[] };

/** What the previous turn asked, read again from its message and tool results: "which one?" or "shall I?". */
function pendingQuestion(earlier: Turn[], ctx: ReadContext): Question | undefined {
  const previous = earlier[earlier.length - 1];
  if (!previous || previous.calls.some((c) => MUTATING.has(c.tool_name))) return undefined;
  const intent = readMessage(previous.user, ctx);
  if (intent.kind !== 'change') return undefined;
  const lookup = previous.calls.find((c) => c.tool_name === 'list_tasks');
  if (!lookup?.result.success) return undefined;
  if (intent.target.kind === 'all') {
    const tasks = listed(lookup, intent.target.filter) ?? [];
    return asksFirst(intent.change, tasks) ? { kind: 'confirm', change: intent.change, tasks } : undefined;
  }
  if (intent.target.kind !== 'name') return undefined;
  const match = resolveName(intent.target.name, lookup, intent.change);
  return match.kind === 'several'
    ? { kind: 'choose', change: intent.change, candidates: match.tasks }
    : undefined;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];

function choose(answer: string, candidates: Task[]): Task | undefined {
  const text = normalize(answer);
  const number = /^(?:the\s+)?(?:number\s+|no\s+)?(\d+)(?:st|nd|rd|th)?(?:\s+one)?$/.exec(text);
  if (number) return candidates[Number(number[1]) - 1];
  const ordinal = ORDINALS.findIndex((word) => new RegExp(`\\b${word}\\b`).test(text));
  if (ordinal >= 0) return candidates[ordinal];
  if (/\blast\b/.test(text)) return candidates[candidates.length - 1];
  const match = findByName(
    answer.replace(/^(?:the one|the task)\s+(?:about|called|named|with)?\s*/i, ''),
    candidates,
  );
  return match.kind === 'one' ? match.task : undefined;
}

/** Reverts the latest turn that changed tasks; undoing again goes one change further back. */
function undo(earlier: Turn[], calls: ToolCallRecord[], ctx: ReadContext): Generation {
  const reverted = calls.filter((c) => MUTATING.has(c.tool_name));
  if (reverted.length > 0) {
    const ok = reverted.filter((c) => c.result.success);
    if (ok.length === 0) return say(`I couldn’t undo that: ${reverted.map(errorOf).join(' ')}`);
    return say(`Undone. ${ok.map(undoneSentence).join(' ')}`);
  }
  let skip = 0;
  for (let t = earlier.length - 1; t >= 0; t--) {
    const turn = earlier[t] as Turn;
    const changes = turn.calls.filter((c) => MUTATING.has(c.tool_name) && c.result.success);
    if (changes.length === 0) continue;
    if (readMessage(turn.user, ctx).kind === 'undo') {
      skip++;
      continue;
    }
    if (skip > 0) {
      skip--;
      continue;
    }
    const before = statesBefore(earlier.slice(0, t), turn.calls);
    return act(...changes.reverse().flatMap((c) => inverse(c, before.get(c))));
  }
  return say('There’s nothing to undo in this conversation yet.');
}

function undoneSentence(record: ToolCallRecord): string {
  const task = resultTask(record);
  if (record.tool_name === 'restore_task') return `"${task.title}" is back, as it was.`;
  if (record.tool_name === 'delete_task') return `"${task.title}" is removed again.`;
  return `"${task.title}" is as it was.`;
}

/** For each change of the turn, the task as the conversation last saw it before that change. */
function statesBefore(turns: Turn[], turnCalls: ToolCallRecord[]): Map<ToolCallRecord, Task | undefined> {
  const known = new Map<number, Task>();
  const see = (record: ToolCallRecord) => {
    if (!record.result.success) return;
    const data = record.result.data;
    for (const task of (data.tasks as Task[] | undefined) ?? []) known.set(task.id, task);
    const task = (data.task ?? data.deleted) as Task | undefined;
    if (task) known.set(task.id, task);
  };
  for (const turn of turns) for (const record of turn.calls) see(record);
  const before = new Map<ToolCallRecord, Task | undefined>();
  for (const record of turnCalls) {
    const id = (record.parameters as { task_id?: number }).task_id;
    if (MUTATING.has(record.tool_name)) before.set(record, id === undefined ? undefined : known.get(id));
    see(record);
  }
  return before;
}

function inverse(record: ToolCallRecord, before: Task | undefined): ToolCallRequest[] {
  const after = resultTask(record);
  switch (record.tool_name) {
    case 'add_task':
      return [call('delete_task', { task_id: after.id })];
    case 'delete_task':
      // The very task comes back (id, creation time, completions), not a copy.
      return [call('restore_task', { task_id: after.id })];
    case 'complete_task': {
      if (!before) return [];
      // A recurring task was moved to its next occurrence rather than closed: move it back.
      if (before.recurrence && !after.completed && !before.completed) {
        return [
          call('update_task', {
            task_id: after.id,
            ...(before.due_date ? { due_date: before.due_date } : { clear: ['due_date'] }),
          }),
        ];
      }
      return [call('complete_task', { task_id: after.id, completed: before.completed })];
    }
    default:
      return before
        ? [call('update_task', restore(before, record.parameters as Record<string, unknown>))]
        : [];
  }
}

/** The update that puts back the fields an update_task call changed. */
function restore(before: Task, changed: Record<string, unknown>): Record<string, unknown> {
  const touched = new Set([...Object.keys(changed), ...((changed.clear as string[] | undefined) ?? [])]);
  if (touched.has('add_tags') || touched.has('remove_tags')) touched.add('tags');
  if (touched.has('due_date')) touched.add('recurrence');
  const args: Record<string, unknown> = { task_id: before.id };
  const clear: string[] = [];
  if (touched.has('title')) args.title = before.title;
  if (touched.has('priority')) args.priority = before.priority;
  for (const field of ['description', 'due_date', 'recurrence'] as const) {
    if (!touched.has(field)) continue;
    if (before[field] === null) clear.push(field);
    else args[field] = before[field];
  }
  if (touched.has('tags')) {
    if (before.tags.length) args.tags = before.tags;
    else clear.push('tags');
  }
  return clear.length ? { ...args, clear } : args;
}

/** " (due tomorrow 17:00, urgent, #home)" or "". */
function details(task: Task, ctx: ReadContext): string {
  const parts: string[] = [];
  if (task.due_date) parts.push(`due ${when(task.due_date, ctx)}`);
  if (task.recurrence) parts.push('repeating');
  if (task.priority !== 'medium') parts.push(`${task.priority} priority`);
  if (task.tags.length) parts.push(task.tags.map((t) => `#${t}`).join(' '));
  if (task.completed) parts.push('done');
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** A due date in words the user reads: "today", "tomorrow at 17:00", "Fri 27 Nov". */
function when(due: string | null, ctx: ReadContext): string {
  const parsed = due ? parseDue(due) : undefined;
  if (!parsed || !due) return 'no date';
  const day = parsed.allDay ? due : localDate(parsed.at, ctx.timeZone);
  const today = localDate(ctx.now, ctx.timeZone);
  const dayMs = new Date(`${day}T00:00:00Z`).getTime() - new Date(`${today}T00:00:00Z`).getTime();
  const name =
    dayMs === 0
      ? 'today'
      : dayMs === 86_400_000
        ? 'tomorrow'
        : new Intl.DateTimeFormat('en-GB', {
            weekday: 'short',
            day: 'numeric',
            month: 'short',
            timeZone: 'UTC',
          }).format(new Date(`${day}T12:00:00Z`));
  if (parsed.allDay) return name;
  const time = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: ctx.timeZone,
  }).format(parsed.at);
  return `${name} at ${time}`;
}
