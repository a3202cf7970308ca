import type { Action } from './reading.ts';
import { doneInItsVerb, onlyTakesAway } from './safety.ts';
import { saysItIsAhead } from './stated-dates.ts';
import type { Task } from './tool-calls.ts';
import { escapeRegExp, keyStems, keyWords } from './words.ts';

/**
 * When a name fits several of the user's tasks, rules that may still tell which is meant. They are tried in order;
 * the first that picks decides, and when none does, the user is asked which one. Each rule is a kind of evidence
 * people give without naming the task whole: a plural for all of them, the task just written, the task's own verb
 * said done, a verb that only says "do it", what the change takes away, a time of day to change.
 */
export interface Tie {
  /** The tasks the name fits. */
  tasks: Task[];
  /** The words that named them. */
  name: string;
  /** Whether the words were a name said as one (not a mention in passing), which a plural can be. */
  plural: boolean;
  action: Action;
  /** Read from a statement rather than asked for. */
  guessed: boolean;
  /** The message as typed. */
  said: string;
  /** The ids of the tasks the turn before wrote. */
  written: ReadonlySet<number | undefined>;
  /** The ids of the tasks the turn before showed in a list. */
  shown: ReadonlySet<number>;
  /** Of those, the things themselves when a date was said ("the picnic", not "Buy picnic blanket"). */
  itself?: Task[];
}

/** A rule gives the tasks it finds meant, or undefined when it cannot tell. */
type Rule = (tie: Tie) => Task[] | undefined;

/** One task picked, or no decision. */
const one = (tasks: Task[]) => (tasks.length === 1 ? tasks : undefined);

const RULES: Rule[] = [
  // "mark the bills done", "bin the lisbon tasks": each of them, which then waits for a yes as any change of
  // several does.
  ({ tasks, name, plural }) =>
    plural && (pluralOfEach(name, tasks) || /\s(?:tasks|items|todos|to-dos|reminders)$/.test(name))
      ? tasks
      : undefined,
  // "add clean the oven …" then "oven one p2": of "Buy oven cleaner" and "clean the oven", the one just written.
  ({ tasks, written }) => one(tasks.filter((t) => written.has(t.id))),
  // "what's on the work list?" then "mark the invoice one done": of "Send the invoice" (shown) and "Pay the invoice
  // from the builder", the one just shown.
  ({ tasks, shown }) => one(tasks.filter((t) => shown.has(t.id))),
  // "finished the quarterly report": of "Finish the quarterly report" and "Send the quarterly report to Dana",
  // the one whose verb was said done.
  ({ tasks, action, said }) => (action.kind === 'complete' ? one(doneInItsVerb(said, tasks)) : undefined),
  // "laundry's done": of "Do the laundry" and "Buy laundry detergent", the one that is the words said and a verb
  // that says only "do it". ("Do the laundry" and "Fold the laundry" are both done to the laundry: asked.)
  ({ tasks, name }) => {
    const plainly = one(tasks.filter((t) => plainlyNamed(t.title, name)));
    return plainly && !tasks.some((t) => t !== plainly[0] && doneTo(t.title, name)) ? plainly : undefined;
  },
  // "stop the piano reminder repeating": of "Piano practice" (repeating) and "Pay piano teacher", only one has
  // what the change takes away.
  ({ tasks, action }) => one(tasks.filter((t) => takesAway(action, t))),
  // "yoga's at 7pm now", "make yoga 7pm": of "Yoga class" (tomorrow 6pm) and "Buy a yoga mat", only one is at a
  // time to change. ("move the dentist to friday 3pm" gives a whole date, which either may be given.)
  ({ tasks, action, guessed, itself }) =>
    movesTheClock(action, guessed) ? one((itself ?? tasks).filter((t) => t.due_date)) : undefined,
  // "push the dentist a week": of "Dentist appointment" (on the 8th) and "Book dentist for the kids", only one has
  // a date to move by a week. ("move the dentist to friday" may be to book it by friday: asked.)
  // ("push the q4 stuff back a few days" is of them all: asked.)
  ({ tasks, action, name, said }) =>
    action.kind === 'update' &&
    action.edit.shiftDays !== undefined &&
    !SEVERAL_SAID.test(name) &&
    !/\b(?:stuff|things|ones|tasks|items|bits)\b/i.test(said)
      ? one(tasks.filter((t) => t.due_date))
      : undefined,
  // "tick off the email to sam on the work list", "the work email to sam": of "Email Sam the budget" (in Work) and
  // "Email Sam about the party" (in Home), the one in the list said.
  ({ tasks, said }) => one(tasks.filter((t) => listSaid(t, said))),
  // "the inspection is on tuesday now": of "Flat inspection" and "Clean the flat before the inspection", the
  // inspection itself.
  ({ tasks, itself, said }) =>
    itself?.length === 1 && tasks.every((t) => itself.includes(t) || saysItIsAhead(t.title, said))
      ? itself
      : undefined,
  // "the bins are done": of "Take out the bins" and "Buy bin bags", the one with the words as they were said. Only
  // for a thing said done: "kill the lights" of "Fix the lights" and "Buy light bulbs", or "tag the gift one" of
  // "Buy gift for Dad" and "Wrap gifts", is asked about.
  ({ tasks, name, action }) =>
    action.kind === 'complete' ? one(tasks.filter((t) => wordsAsSaid(t.title, name))) : undefined,
];

/** A name said of several things: "the q4 stuff", "the bills", "the work ones". */
const SEVERAL_SAID = /(?:\b(?:stuff|things|ones|tasks|items|bits)|[^s\s']s)$/;

/** The task (or, for a plural, the tasks) the evidence picks; undefined when the user must be asked. */
export function breakTie(tie: Tie): Task[] | undefined {
  for (const rule of RULES) {
    const picked = rule(tie);
    if (picked) return picked;
  }
  return undefined;
}

/** A change of the time of day a task is at: a time alone ("make it 7pm"), or stated ("yoga's at 7pm tomorrow"). */
function movesTheClock(action: Action, stated: boolean): boolean {
  if (action.kind !== 'update') return false;
  const { time, due } = action.edit;
  return Boolean(time || (stated && due && /\d\s*(?:am|pm)\b|\d:\d\d|\bnoon\b/i.test(due)));
}

/** Verbs that say only that a thing is done: "Do the laundry", "Get a haircut", "Have the boiler serviced". */
const ONLY_DOING = new Set(['do', 'get', 'have', 'go']);

/**
 * True when the title is a verb that says only "do it" and then the words said, in their order: "Do the laundry"
 * of "laundry". ("Call mom" of "called mom" beside "Call mom about Christmas" is still asked about.)
 */
function plainlyNamed(title: string, said: string): boolean {
  const [verb, ...rest] = keyStems(title);
  return ONLY_DOING.has(verb as string) && rest.join(' ') === keyStems(said).join(' ');
}

/** True when the words name the task's list, and that name is no word of its title. */
function listSaid(task: Task, said: string): boolean {
  if (!task.list) return false;
  const name = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(task.list)}(?![\\p{L}\\p{N}])`, 'iu');
  return name.test(said) && !name.test(task.title);
}

/** True when every word said, as it was said (not only its stem), is a word of the title. */
function wordsAsSaid(title: string, said: string): boolean {
  const words = new Set(keyWords(title).map((w) => w.word));
  const named = keyWords(said);
  return named.length > 0 && named.every((w) => words.has(w.word));
}

/** True when the title ends in the words said, done to by its verb: "Fold the laundry" of "the laundry". */
function doneTo(title: string, said: string): boolean {
  const named = keyStems(said);
  return named.length > 0 && keyStems(title).slice(-named.length).join(' ') === named.join(' ');
}

/** True when the change takes something away that the task has (a repeat, a due date, tags): else it could not be meant. */
function takesAway(action: Action, task: Task): boolean {
  if (!onlyTakesAway(action)) return false;
  const { edit } = action;
  return Boolean(
    (!edit.clearRecurrence || task.recurrence) &&
      (!edit.clearDue || task.due_date) &&
      (!edit.clearTags || task.tags.length),
  );
}

/**
 * "mark the bills done": a name ending in a plural whose singular is a word of every task it fits ("Pay water
 * bill", "Pay electricity bill") means them all, which then waits for a yes as any change of several does.
 */
function pluralOfEach(name: string, tasks: Task[]): boolean {
  const last = /([\p{L}]+?)(e?s)$/u.exec(name.split(/\s+/).at(-1) ?? '');
  if (!last || /ss$/.test(last[0])) return false;
  const words = (title: string) => new Set(title.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  const singular = (w: Set<string>) =>
    w.has(`${last[1]}${last[2] === 'es' ? 'e' : ''}`) || w.has(last[1] as string);
  return tasks.every((t) => singular(words(t.title)) && !words(t.title).has(last[0]));
}
