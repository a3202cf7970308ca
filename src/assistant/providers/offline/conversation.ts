import type { ChatMessage, ToolCallRecord } from '../provider.ts';
import { listedTasks, type Task, TOOL, WRITING, writtenTask } from './tool-calls.ts';

/**
 * What the offline assistant remembers of a conversation, read again from the stored messages on every call
 * (it keeps nothing itself, so any instance can continue any conversation): each turn's message, the tools
 * it ran and what it answered.
 */
export interface Turn {
  user: string;
  calls: ToolCallRecord[];
  reply: string;
}

export function turnsOf(messages: ChatMessage[]): Turn[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    if (message.role === 'user') turns.push({ user: message.content, calls: [], reply: '' });
    else {
      const turn = turns[turns.length - 1];
      if (!turn) continue;
      turn.calls.push(...message.toolCalls);
      turn.reply += message.content;
    }
  }
  return turns;
}

/** The tasks a turn showed the user: those its lists found that its reply names, in the order named. */
export function shownTasks(turn: Turn): Task[] {
  const found = new Map<number, Task>();
  for (const record of turn.calls)
    for (const task of listedTasks(record)?.tasks ?? []) found.set(task.id, task);
  return [...found.values()]
    .map((task) => ({ task, at: turn.reply.indexOf(`"${task.title}"`) }))
    .filter((entry) => entry.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((entry) => entry.task);
}

/**
 * How many turns back "it" may reach: the current one and the two before it. A task touched longer ago is no
 * longer what "it" means, and a change to it would be a change nobody asked for.
 */
const IT_REACH = 3;

/** The task the conversation last spoke of: the last one written, or the only one a list showed, lately. */
export function lastDiscussed(turns: Turn[]): Task | undefined {
  for (let t = turns.length - 1; t >= Math.max(0, turns.length - IT_REACH); t--) {
    const turn = turns[t] as Turn;
    const written = turn.calls.filter((c) => WRITING.has(c.tool_name)).map(writtenTask);
    const last = written.findLast((task) => task !== undefined);
    if (last) return last;
    const shown = shownTasks(turn);
    if (shown.length === 1) return shown[0];
    // "when is yoga?" answered with "Yoga class" (on the 8th) and "Buy yoga mat": it was asked of the one with a
    // date.
    const dated = ASKS_WHEN.test(turn.user) ? shown.filter((task) => task.due_date) : [];
    if (dated.length === 1) return dated[0];
    if (shown.length > 1) return undefined;
  }
  return undefined;
}

/** A question of when: "when is yoga?", "what time's the dentist?". */
const ASKS_WHEN =
  /^\s*(?:(?:so|and|hey|ok)[,\s]+)?(?:when(?:'s|s|\s+is|\s+are|\s+was)?|what\s+(?:time|day|date)(?:'s|\s+is)?)\b/i;

/**
 * The tasks of the last list the conversation showed, in the order shown. Several tasks just added are such a
 * list too: after "add descale the kettle, buy towels and return the library books", "make the second one high".
 */
export function lastList(turns: Turn[]): Task[] | undefined {
  for (let t = turns.length - 1; t >= 0; t--) {
    const turn = turns[t] as Turn;
    const writes = turn.calls.filter((c) => WRITING.has(c.tool_name));
    if (writes.length > 0) {
      const added = addedTasks(turn);
      if (added.length > 1 && added.length === writes.length) return added;
      continue;
    }
    const shown = shownTasks(turn);
    if (shown.length > 0) return shown;
  }
  return undefined;
}

/** The ids of the tasks the last of these turns wrote. */
export function writtenLast(turns: Turn[]): Set<number | undefined> {
  const calls = turns.at(-1)?.calls ?? [];
  return new Set(calls.filter((c) => WRITING.has(c.tool_name)).map((c) => writtenTask(c)?.id));
}

/** The tasks a turn added, in the order its reply names them. */
export function addedTasks(turn: Turn): Task[] {
  return turn.calls
    .filter((c) => c.tool_name === TOOL.add)
    .map(writtenTask)
    .filter((task) => task !== undefined)
    .map((task) => ({ task, at: turn.reply.indexOf(`"${task.title}"`) }))
    .sort((a, b) => a.at - b.at)
    .map((entry) => entry.task);
}
