import { parseQuickAdd, priorityWord } from '../../../tasks/index.ts';
import { findByName, type MatchResult } from './matching.ts';
import type { ReadContext } from './reading.ts';
import type { Task } from './tool-calls.ts';
import { normalize } from './words.ts';

/**
 * "the 5pm one", "the urgent one", "the friday thing", "the work one": a task named by a detail it has rather
 * than by its words. Only a name made of nothing but details is read so (a time, a day, a priority, a tag of
 * theirs), and every detail said must hold; a title always wins over this, so it is asked only when no title fits.
 */

/** Words around details that name no detail themselves ("the high priority one", "the thing due friday"). */
const AROUND = /\b(?:the|one|ones|thing|things|task|item|priority|prio|tagged|due|at|on|for|that'?s|is)\b/g;
const TIME = /\b(\d{1,2})(?::(\d\d))?\s*(am|pm)\b|\b(\d{1,2}):(\d\d)\b|\b(noon|midday)\b/;

export function findByDetail(name: string, tasks: readonly Task[], ctx: ReadContext): MatchResult<Task> {
  const tests: Array<(task: Task) => boolean> = [];
  const said = name.toLowerCase();
  const time = TIME.exec(said);
  if (time) {
    const clock = clockSaid(time);
    tests.push((task) => task.due_date?.slice(11, 16) === clock);
  }
  const rest = normalize(time ? said.replace(time[0], ' ') : said).replace(AROUND, ' ');
  const leftover: string[] = [];
  for (const word of rest.split(' ').filter(Boolean)) {
    const priority = priorityWord(word);
    if (priority) tests.push((task) => task.priority === priority);
    else leftover.push(word);
  }
  if (leftover.length) {
    // What is left names a day ("friday", "tomorrow") or tags of theirs ("work"), and nothing else.
    const parsed = parseQuickAdd(`x ${leftover.join(' ')}`, { now: ctx.now, timezone: ctx.timeZone });
    const day = parsed.due_date?.slice(0, 10);
    const tags = normalize(parsed.title).split(' ').slice(1).concat(parsed.tags);
    const known = new Set(tasks.flatMap((t) => (t.tags ?? []).map((tag) => tag.toLowerCase())));
    if (!tags.every((tag) => known.has(tag))) return { kind: 'none' };
    if (day) tests.push((task) => task.due_date?.slice(0, 10) === day);
    for (const tag of tags) tests.push((task) => (task.tags ?? []).some((t) => t.toLowerCase() === tag));
  }
  if (tests.length === 0) return { kind: 'none' };
  const fitting = tasks.filter((task) => tests.every((holds) => holds(task)));
  const [only] = fitting;
  if (!only) return { kind: 'none' };
  return fitting.length === 1 ? { kind: 'one', task: only } : { kind: 'several', tasks: fitting };
}

/**
 * "done with the slides for friday": words of a task's title with the day it is due, which is one more thing that
 * must hold of it. Only when the words alone find no task.
 */
export function findByNameAndDay(name: string, tasks: readonly Task[], ctx: ReadContext): MatchResult<Task> {
  const parsed = parseQuickAdd(name, { now: ctx.now, timezone: ctx.timeZone });
  const day = parsed.due_date?.slice(0, 10);
  if (!day || !parsed.title.trim()) return { kind: 'none' };
  return findByName(
    parsed.title,
    tasks.filter((task) => task.due_date?.slice(0, 10) === day),
  );
}

/** "5pm" as "17:00", "9:30" as "09:30", "noon" as "12:00". */
function clockSaid(time: RegExpExecArray): string {
  if (time[6]) return '12:00';
  const hour = Number(time[1] ?? time[4]);
  const minutes = time[2] ?? time[5] ?? '00';
  const pm = time[3] === 'pm' && hour < 12;
  const midnight = time[3] === 'am' && hour === 12;
  return `${String(midnight ? 0 : pm ? hour + 12 : hour).padStart(2, '0')}:${minutes}`;
}
