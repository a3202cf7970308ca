import { localDate, parseDue } from '../../../tasks/index.ts';
import type { Action, ReadContext } from './reading.ts';
import type { Task } from './tool-calls.ts';

/** How the offline assistant words what it did and what it found. */

export const LISTED_IN_REPLY = 8;
/** The list every user has, where tasks go when no list is said: not worth naming in a reply. */
export const INBOX = 'Inbox';
export const HELP =
  'I can manage your tasks. Try "add call mum tomorrow 5pm #family", "what’s due today?", "complete call mum", ' +
  '"move it to friday", "make it urgent", "delete buy milk" or "undo".';
export const UNKNOWN =
  'I’m not sure what to do with that, so I changed nothing. I can add, list, complete, update or delete tasks — ' +
  'say "add buy milk tomorrow" to add one.';
export const INSTRUCTION =
  'That reads as an instruction to me rather than something about your tasks, so I changed nothing. I only ' +
  'work on your own tasks: I can add, list, complete, update or delete them — say "add buy milk tomorrow" to add one.';

export const TOO_LONG =
  'That’s more than I read in one message without a language model, so I changed nothing. Send your requests a ' +
  'few at a time: "add buy milk, eggs and bread", "move the dentist to friday".';

/** `"Buy milk", "Call mum" and 3 more`. */
export function titles(tasks: Task[], withDetails?: ReadContext): string {
  const shown = tasks
    .slice(0, LISTED_IN_REPLY)
    .map((t) => `"${t.title}"${withDetails ? details(t, withDetails) : ''}`);
  const more = tasks.length > shown.length ? ` and ${tasks.length - shown.length} more` : '';
  return `${shown.join(withDetails ? '; ' : ', ')}${more}`;
}

/** What a change does, as a verb: "delete", "complete", "move". */
export function verb(action: Action): string {
  if (action.kind === 'update') return action.edit.due || action.edit.time ? 'move' : 'change';
  return action.kind;
}

/** What was done to one task. */
export function describeChange(
  action: Action,
  task: Task,
  before: Task | undefined,
  ctx: ReadContext,
): string {
  const name = `"${task.title}"`;
  switch (action.kind) {
    case 'complete':
      return task.completed
        ? `Done! I completed ${name}.`
        : `Done! ${name} repeats, so it’s next due ${when(task.due_date, ctx)}.`;
    case 'reopen':
      return `I reopened ${name}.`;
    case 'delete':
      return `I deleted ${name}. Say "undo" if that was a mistake.`;
    case 'update': {
      const { edit } = action;
      const parts: string[] = [];
      if (edit.title !== undefined) parts.push(`renamed it from "${before?.title ?? ''}"`);
      if (edit.due || edit.time || edit.shiftDays)
        parts.push(`it’s due ${when(task.due_date, ctx)}${task.recurrence ? ' and still repeats' : ''}`);
      if (edit.clearDue) parts.push('it has no due date now');
      if (edit.clearRecurrence) parts.push('it no longer repeats');
      if (edit.priority) parts.push(`it’s ${task.priority} priority`);
      if (edit.addTags || edit.removeTags || edit.clearTags)
        parts.push(task.tags.length ? `it’s tagged ${task.tags.join(', ')}` : 'it has no tags now');
      if (edit.description !== undefined) parts.push('I added that note');
      if (edit.list) parts.push(`it’s in ${task.list ?? edit.list} now`);
      return `${name}: ${parts.join('; ')}.`;
    }
  }
}

/** " (due tomorrow 17:00, urgent, #home)" or "". */
export function details(task: Task, ctx: ReadContext): string {
  const parts: string[] = [];
  if (task.due_date) parts.push(`due ${when(task.due_date, ctx)}`);
  if (task.recurrence) parts.push('repeating');
  if (task.priority !== 'medium') parts.push(`${task.priority} priority`);
  if (task.tags.length) parts.push(task.tags.map((t) => `#${t}`).join(' '));
  if (task.completed) parts.push('done');
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** A due date in words the user reads: "today", "tomorrow at 17:00", "Fri 27 Nov". */
export function when(due: string | null, ctx: ReadContext): string {
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
