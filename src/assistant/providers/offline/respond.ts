import { addDays, parseQuickAdd } from '../../../tasks/index.ts';
import type { Generation, ToolCallRecord, ToolCallRequest } from '../provider.ts';
import { anotherTask } from './another-task.ts';
import { findByDetail, findByNameAndDay } from './by-detail.ts';
import { addedTasks, lastDiscussed, lastList, shownTasks, type Turn, writtenLast } from './conversation.ts';
import { readDetails } from './details.ts';
import type { ListFilter } from './filters.ts';
import { findByName, findMentioned, findWholeTitle, hasTag, type MatchResult } from './matching.ts';
import { takeListWord } from './names.ts';
import {
  type Action,
  type Edit,
  inList,
  type ReadContext,
  type Reading,
  readMessage,
  type Step,
  type Target,
} from './reading.ts';
import {
  describeChange,
  details,
  HELP,
  INBOX,
  INSTRUCTION,
  TOO_LONG,
  titles,
  UNKNOWN,
  verb,
} from './replies.ts';
import { type ChangeStep, clausesNaming, gate, type Resolved } from './safety.ts';
import {
  ASKED_FOR_IT,
  doneAheadOfIt,
  isTheThingItself,
  MUST,
  onlyWhatItIsFor,
  SAID_AS_NEWS,
  someoneElsesDate,
} from './stated-dates.ts';
import { breakTie } from './tie-breakers.ts';
import {
  calls,
  errorOf,
  type ListArgs,
  listedTasks,
  type Task,
  TOOL,
  type UpdateArgs,
  WRITING,
  writtenTask,
} from './tool-calls.ts';
import { undoCalls, undoneSentence } from './undo.ts';
import { correctTypos, escapeRegExp, keyStems, normalize, TASK_VERB } from './words.ts';

/**
 * Decides what the offline assistant does with a turn, from the turn's message, the tool results it has so far
 * and the conversation before it. A turn runs in at most three rounds: lookups (the user's tasks, to find the
 * ones named), then every change, add and list at once, then the reply. Deciding is pure, so an earlier turn
 * can be decided again to learn what question it left open ("which one?", "shall I?").
 */

type Outcome =
  | { kind: 'calls'; calls: ToolCallRequest[] }
  | { kind: 'reply'; text: string }
  | { kind: 'choose'; step: ChangeStep; candidates: Task[]; text: string }
  | { kind: 'confirm'; resolved: Resolved[]; adds: Step[]; text: string };

const LOOKUP_LIMIT = 200;
/** More requests than this in one message are refused. */
const MAX_STEPS = 50;
const MAX_DEPTH = 3;

export function respond(turns: Turn[], ctx: ReadContext): Generation {
  const current = turns[turns.length - 1];
  if (!current) return say(HELP);
  const outcome = decide(current, turns.slice(0, -1), ctx, 0);
  return outcome.kind === 'calls' ? { text: '', toolCalls: outcome.calls } : say(outcome.text);
}

const say = (text: string): Generation => ({ text, toolCalls: [] });
const reply = (text: string): Outcome => ({ kind: 'reply', text });

function decide(turn: Turn, earlier: Turn[], ctx: ReadContext, depth: number): Outcome {
  const reading = alsoForAnother(readMessage(withTheStory(turn, earlier), ctx), turn.user, earlier, ctx);
  const question = depth < MAX_DEPTH ? pendingQuestion(earlier, ctx, depth) : undefined;

  // An answer to "which one?" names one of the candidates, by name or by number.
  if (question?.kind === 'choose' && reading.kind !== 'no' && reading.kind !== 'undo') {
    // "both", "all of them", "1 and 2": several, which asks for a yes as any change to several tasks does.
    const several = chooseSeveral(turn.user, question.candidates);
    if (several && turn.calls.length === 0) {
      const resolved = [{ step: question.step, tasks: several }];
      return { kind: 'confirm', resolved, adds: [], text: confirmQuestion(resolved, []) };
    }
    const chosen = choose(turn.user, question.candidates);
    if (chosen) return perform([{ step: question.step, tasks: [chosen] }], [], turn.calls, ctx);
    // "Did you mean X?" "yes".
    const only = question.candidates.length === 1 ? question.candidates[0] : undefined;
    if (only && reading.kind === 'yes')
      return perform([{ step: question.step, tasks: [only] }], [], turn.calls, ctx);
    if (reading.kind === 'yes') return reply('Which one? Tell me its name or its number in the list.');
  }
  // "yes, and add print the essay too": the yes, and the adds said after it, done together.
  const yesAnd =
    /^\s*(?:yes|yeah|yep|yup|sure|ok|okay|go ahead|do it)[,.!\s]+(?:and|also|plus)\s+(.+)$/i.exec(turn.user);
  if (question?.kind === 'confirm' && yesAnd) {
    const rest = readMessage(yesAnd[1] as string, ctx);
    const adds = rest.kind === 'steps' && rest.steps.every((s) => s.kind === 'add') ? rest.steps : undefined;
    if (adds) return confirmed({ ...question, adds: [...question.adds, ...adds] }, turn, ctx);
  }
  // "yes?" asked back is no yes, and "which ones?" asks to hear them again: the question stands.
  if (reading.kind === 'yes' && question?.kind === 'confirm' && /\?\s*$/.test(turn.user)) return question;
  if (
    question?.kind === 'confirm' &&
    /\bwhich\s+(?:ones?|tasks?)\b|\bwhat\s+(?:ones|tasks)\b/i.test(turn.user)
  )
    return question;
  // "wait, which?", "which one did you change?", "what did i just add?" right after a change: which task it was,
  // said again.
  if (
    (reading.kind === 'unknown' || reading.kind === 'steps') &&
    /^\s*(?:(?:wait|sorry|huh|hm+|um+|so)[\s,!.]*)?(?:which|what)(?:\s+(?:one|task|ones|tasks))?(?:\s+did\s+(?:you|u|i|we)\s+(?:just\s+)?(?:change|tick|complete|delete|remove|move|update|mark|add|do)(?:\s+(?:off|it|that))?)?\s*[?!.]*\s*$/i.test(
      correctTypos(turn.user),
    ) &&
    changedLast(earlier)
  )
    return reply((earlier.at(-1) as Turn).reply);
  // "add" alone: what to add is still to say.
  if (/^\s*(?:add|new task|create)\s*[.!?]*\s*$/i.test(turn.user))
    return reply('What should I add? Say it with the task, for example "add buy milk tomorrow".');
  const meant = changedLast(earlier)
    ? (detailMeant(turn, earlier, ctx) ??
      meantInstead(turn, earlier, ctx) ??
      addedInstead(turn, earlier, ctx))
    : undefined;
  if (meant) return meant;
  // "wait no, keep it! what's due tomorrow?": a take-back said first, right after a change, takes it back (the
  // question can be asked again); "actually no, keep it. remove the tap one" then does what it asks instead.
  const first = turn.user.trim().split(/(?<=[.!?])\s+/)[0] ?? '';
  if (first !== turn.user.trim() && changedLast(earlier) && readMessage(first, ctx).kind === 'no') {
    const rest = turn.user.trim().slice(first.length).trim();
    const instead = readMessage(rest, ctx);
    const requests = undoCalls(earlier, isUndoTurn(ctx));
    if (requests && instead.kind === 'steps' && instead.steps.some((s) => s.kind !== 'list'))
      return redoneAfterUndo(requests, instead.steps, { ...turn, user: rest }, earlier, ctx);
    // "… move the car wash instead": the same change, for the task named.
    const sameFor = SAME_CHANGE_FOR.exec(rest)?.[1];
    const redone =
      sameFor &&
      changedInstead({ ...turn, user: rest }, earlier, ctx, (step, changed) => {
        const meant = changed && anotherTask(sameFor, changed, openTitles(ctx));
        return meant ? { ...step, target: { kind: 'name', name: meant } } : undefined;
      });
    return redone || undo(turn, earlier, ctx);
  }
  // "no, the electrician!" right after a change: that change was wrong. It is taken back; what was meant instead
  // is for the user to say plainly ("no, I meant the electrician", below).
  // ("wait no — that's tomorrow's!": what follows the "no" is only a guess, and says why.)
  const guessOnly = reading.kind === 'steps' && reading.steps.every((s) => s.kind === 'change' && s.guessed);
  if (
    (reading.kind === 'unknown' || guessOnly) &&
    /^\s*(?:(?:wait|oh|oops|hang on|hold on)[\s,!.—–-]*)?(?:no|nope|nah|wrong)\b[\s,!.—–-]/i.test(
      turn.user,
    ) &&
    changedLast(earlier)
  )
    return undo(turn, earlier, ctx);
  switch (reading.kind) {
    case 'help':
      return reply(HELP);
    case 'thanks':
      return reply('You’re welcome!');
    case 'unknown':
      return reply(UNKNOWN);
    case 'named':
      return reply(`What would you like to do with "${reading.title}"? I can complete, change or delete it.`);
    case 'instruction':
      return reply(INSTRUCTION);
    case 'too-long':
      return reply(TOO_LONG);
    case 'no':
      if (question) return reply('Okay, I left everything as it was.');
      // "no!" right after a change takes it back.
      return changedLast(earlier) ? undo(turn, earlier, ctx) : reply('Okay.');
    case 'yes':
      if (question?.kind === 'confirm') return confirmed(question, turn, ctx);
      return reply('There is nothing waiting for a yes. What would you like to do?');
    case 'undo':
      return undo(turn, earlier, ctx);
    case 'steps':
      return plan(reading.steps, turn, earlier, ctx);
  }
}

/** "can you move it then?", "could you change that": a change of "it" asked alone. */
const ASKED_OF_IT =
  /^\s*(?:so\s+|ok\s+|okay\s+|yeah\s+|yes\s+)?(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+)?|pls\s+|please\s+|go ahead and\s+)(?:change|update|fix|adjust|reschedule|move)\s+(?:it|that)(?:\s+(?:then|accordingly|for me|too))?(?:\s+please)?\s*[?.!]*\s*$/i;

/**
 * The story told in the message before, when that was not understood, read with a change of "it" asked now:
 * "the flu shot place is closed tuesday, they can do wednesday instead" then "can you move it then?" is read as
 * the two said at once (the story's date, for the task it names). Otherwise the message as said.
 */
function withTheStory(turn: Turn, earlier: Turn[]): string {
  const previous = earlier.at(-1);
  if (!previous || previous.calls.length > 0 || previous.reply !== UNKNOWN || !ASKED_OF_IT.test(turn.user))
    return turn.user;
  return `${previous.user.trim().replace(/[.!?,;\s]*$/, '.')} ${turn.user.trim()}`;
}

/** "and bread", "oh and the bins", "the dentist too": words that carry on the request before. */
const CARRIES_ON = [
  /^(?:(?:oh|ah|ok|okay)[,\s]+)?(?:and|also|plus|same for|same with|same)?\s*(.+?)\s+(?:too|as well|also)[.!]*$/i,
  /^(?:(?:oh|ah|ok|okay)[,\s]+)?(?:and|also|plus|same for|same with|same|now|then)\s+(?:do\s+|for\s+)?(.+?)[.!]*$/i,
  // "the same for the gym", "do the same with the car wash".
  /^(?:(?:oh|ah|ok|okay|and)[,\s]+)?(?:(?:do|and)\s+)?the\s+same\s+(?:for|with|to)\s+(.+?)[.!]*$/i,
];
/** Words after "and" that say something rather than name it: "oh and the dog's name is Biscuit, they always ask". */
const SAYS_MORE =
  /[;:]|\b(?:is|are|was|were|i|we|he|she|they|you|it's|that's|always|never|now|from now on)\b|'s\s+(?:at|on|in|going|coming|moved)\b|^(?:mark|move|delete|remove|make|set|change|complete|tick|push|rename|tag|cancel|can|could|would)\b/i;
/** Words after "and" that carry nothing on: "and that's it", "and thanks". */
const NOTHING_MORE =
  /^(?:that'?s (?:it|all)|nothing else|that|it|this|them|those|done|ok|okay|thanks?\b.*|thank you.*|cheers)$/i;

/**
 * "And the dentist too": the request of the previous turn, for another task. After adds, "and bread" adds
 * bread, in the list they went to; after a change, "oh and the bins" makes it to the bins.
 */
function alsoForAnother(reading: Reading, message: string, earlier: Turn[], ctx: ReadContext): Reading {
  // ("...and the 11am one too!": a trailing-off before it says nothing.)
  const said = message.trim().replace(/^(?:\.{2,}|…)\s*/, '');
  const too = CARRIES_ON.map((pattern) => pattern.exec(said)).find(Boolean);
  const previous = earlier[earlier.length - 1];
  // Only when the words alone are no request, or only a guessed name ("and swap saturday shift too"), or a list
  // said with "too" ("and the urgent one too"). ("and the first one to saturday" is a request of its own.)
  const guessOnly =
    reading.kind === 'steps' &&
    reading.steps.every((s) => s.kind === 'change' && s.guessed && s.target.kind === 'name');
  const listToo =
    reading.kind === 'steps' &&
    reading.steps.every((s) => s.kind === 'list') &&
    /\s(?:too|as well)[.!]*$/i.test(said);
  if ((reading.kind !== 'unknown' && reading.kind !== 'named' && !guessOnly && !listToo) || !too || !previous)
    return reading;
  const name = (too[1] as string).replace(/[’‘]/g, "'").replace(/^(?:the|my)\s+/i, '');
  if (said.endsWith('?') || NOTHING_MORE.test(name) || SAYS_MORE.test(name)) return reading;
  const writes = previous.calls.filter((c) => WRITING.has(c.tool_name) && c.result.success);
  const added = addedTasks(previous);
  // (A thing to add is named in a few words, not a sentence: "oh and the dog's name is Biscuit, they always ask".)
  if (added.length > 0 && added.length === writes.length && !name.includes(',')) {
    const lists = new Set(added.map((task) => task.list));
    const [list] = lists;
    const step: Step = { kind: 'add', text: name };
    return { kind: 'steps', steps: [lists.size === 1 && list && list !== INBOX ? inList(step, list) : step] };
  }
  const before = readMessage(previous.user, ctx);
  const step = before.kind === 'steps' ? before.steps.find((s) => s.kind === 'change') : undefined;
  if (step?.kind !== 'change' || (step.action.kind === 'update' && step.action.edit.title)) return reading;
  // "make book flights urgent" then "and book hotel high": the same kind of change, with its own detail.
  const own = step.action.kind === 'update' ? readDetails(name.toLowerCase(), ctx) : undefined;
  if (own?.rest && Object.keys(own.edit).length > 0)
    return {
      kind: 'steps',
      steps: [
        {
          kind: 'change',
          action: { kind: 'update', edit: own.edit },
          target: { kind: 'name', name: own.rest },
        },
      ],
    };
  // "and the other one": the task most like the one just changed.
  const changed = writes.length === 1 ? writes[0] && writtenTask(writes[0])?.title : undefined;
  const other = /^other\b/i.test(name) && changed ? anotherTask(name, changed, openTitles(ctx)) : undefined;
  return {
    kind: 'steps',
    steps: [{ kind: 'change', action: step.action, target: { kind: 'name', name: other ?? name } }],
  };
}

// ——— Planning a turn's steps ———

function plan(steps: Step[], turn: Turn, earlier: Turn[], ctx: ReadContext): Outcome {
  const lookups = lookupsFor(steps);
  const done = turn.calls;
  if (done.length < lookups.length) return { kind: 'calls', calls: lookups.map((l) => l.request) };
  const found = lookups.map((l, i) => ({ ...l, record: done[i] as ToolCallRecord }));
  const everything = found.find((l) => l.kind === 'every');
  const known = everything ? (listedTasks(everything.record)?.tasks ?? []) : [];

  const resolved: Resolved[] = [];
  const others: Step[] = [];
  const missed: string[] = [];
  const doubts: Resolved[] = [];
  for (const step of steps) {
    if (step.kind !== 'change') {
      others.push(step);
      continue;
    }
    const bulk = found.find((l) => l.kind === 'bulk' && l.step === step);
    const result = resolve(step, known, bulk?.record, earlier, turn, ctx);
    if (result.kind === 'tasks') {
      // "groceries are bought, cross that off" reads as two completions of one task: it is one.
      const twice = resolved.find((r) => r.step.action.kind === step.action.kind);
      const fresh = result.tasks.filter((t) => !twice?.tasks.some((seen) => seen.id === t.id));
      if (fresh.length) resolved.push({ step, tasks: fresh });
      continue;
    }
    // Loose words that read as a task are added instead only when the message asks to add ("add buy stamps and
    // also mail the cards on monday"); alone ("clean out closet can wait til friday") they are asked about.
    const adding = steps.some((s) => s.kind === 'add');
    if (step.otherwise && (result.kind === 'none' || (result.kind === 'maybe' && adding))) {
      others.push(step.otherwise);
      continue;
    }
    // A guess that fits several tasks is a doubt like a loose match: asked only when nothing else was asked for.
    if (result.kind === 'maybe' || (result.kind === 'several' && step.guessed)) {
      doubts.push({ step, tasks: result.tasks });
      continue;
    }
    if (step.guessed && result.kind === 'none') continue;
    if (result.kind === 'several') {
      // Numbered in the order the tasks were made, which is how people count them ("the first one").
      const candidates = [...result.tasks].sort((a, b) => a.id - b.id);
      const options = candidates.slice(0, 8).map((t, i) => `${i + 1}. "${t.title}"${details(t, ctx)}`);
      return {
        kind: 'choose',
        step,
        candidates,
        text: `Several tasks match "${nameOf(step.target)}": ${options.join('; ')}. Which one do you mean?`,
      };
    }
    // A name that fits no task changes nothing; the rest of the message is still done.
    missed.push(result.text);
  }
  // "decided to keep the dress. delete return the dress": a change guessed from a statement gives way to the one
  // asked for, of the same task.
  const asked = new Set(resolved.flatMap((r) => (r.step.guessed ? [] : r.tasks.map((t) => t.id))));
  for (const [i, r] of [...resolved.entries()].reverse()) {
    if (!r.step.guessed) continue;
    const tasks = r.tasks.filter((t) => !asked.has(t.id));
    if (tasks.length) resolved[i] = { ...r, tasks };
    else resolved.splice(i, 1);
  }
  // A change guessed from loose words is asked about, and only when nothing else was asked for.
  const doubt = doubts[0];
  if (doubt && resolved.length === 0 && others.length === 0) {
    const candidates = [...doubt.tasks].sort((a, b) => a.id - b.id);
    const named = candidates.slice(0, 8).map((t) => `"${t.title}"${details(t, ctx)}`);
    const text =
      candidates.length === 1
        ? `Did you mean ${named[0]}? Say yes and I’ll ${verb(doubt.step.action)} it, or tell me the task’s name.`
        : `Did you mean ${named.map((n, i) => `${i + 1}. ${n}`).join('; ')}? Tell me which one, by its name or number.`;
    return { kind: 'choose', step: doubt.step, candidates, text };
  }
  if (missed.length > 0 && resolved.length === 0 && others.length === 0) return reply(missed[0] as string);
  if (resolved.length === 0 && others.length === 0) return reply(UNKNOWN);
  const lists = usefulLists(others);
  const adds = others.filter((s) => s.kind === 'add');
  const actions = done.slice(lookups.length);
  if (adds.length + resolved.length > MAX_STEPS) {
    return reply(`That’s more than ${MAX_STEPS} things in one message; please send them in smaller groups.`);
  }
  // Whatever rule read the message, what it would write passes the safety gate (safety.ts) first.
  const verdict = gate(turn.user, { resolved, others: [...adds, ...lists] }, known, ctx);
  switch (verdict.kind) {
    case 'refuse':
      return reply(verdict.text);
    case 'choose':
      return { ...verdict, text: whichOne(verdict.step, verdict.candidates, ctx) };
    case 'confirm': {
      const { resolved: changes, others: rest } = verdict.plan;
      const added = rest.filter((s) => s.kind === 'add');
      return { kind: 'confirm', resolved: changes, adds: added, text: confirmQuestion(changes, added) };
    }
    case 'go':
      break;
  }
  const already = verdict.plan.resolved.find(
    (r) => r.step.action.kind === 'complete' && r.tasks.every((t) => t.completed),
  );
  if (actions.length === 0 && already && verdict.plan.resolved.length === 1 && others.length === 0) {
    return reply(`"${(already.tasks[0] as Task).title}" is already done.`);
  }
  const onList = actions.length === 0 && verdict.plan.resolved.length === 0 ? alreadyOnList(adds, ctx) : [];
  if (onList.length > 0 && onList.length === verdict.plan.others.length)
    return reply(
      `${onList.map((title) => `"${title}"`).join(' and ')} ${onList.length > 1 ? 'are' : 'is'} already on your list.`,
    );
  // "move the car service to tuesday and add buy car wax" beside "Buy car wax": the change, and no copy. (The
  // tasks as this turn's lookup found them, before any of its writes, so that every round plans the same calls.)
  const copies = new Map(
    verdict.plan.others.flatMap((step) => {
      const title = openCopy(step, known, ctx);
      return title ? [[step, title] as const] : [];
    }),
  );
  const outcome = perform(
    verdict.plan.resolved,
    verdict.plan.others.filter((step) => !copies.has(step)),
    actions,
    ctx,
  );
  if (outcome.kind !== 'reply' || copies.size === 0) return outcome;
  const titles = [...copies.values()].map((title) => `"${title}"`);
  return reply(
    `${outcome.text} ${titles.join(' and ')} ${titles.length > 1 ? 'are' : 'is'} already on your list.`,
  );
}

/**
 * The open tasks these adds would copy word for word, said with nothing more than the list they go to ("remind me
 * to buy milk" beside "Buy milk", "add bread to groceries" beside "Bread" in Groceries): one for each add, or none.
 */
function alreadyOnList(adds: Step[], ctx: ReadContext): string[] {
  const titles = adds.map((step) => openCopy(step, ctx.open ?? [], ctx));
  return titles.every((title) => title !== undefined) ? titles : [];
}

/** The open task an add would copy word for word (in the list it says, if it says one), by its title. */
function openCopy(
  step: Step,
  open: readonly { title: string; list?: string | undefined; completed?: boolean }[],
  ctx: ReadContext,
): string | undefined {
  // (Quick add's reading is the costly part: not done when there is nothing to copy.)
  if (step.kind !== 'add' || open.length === 0) return undefined;
  const { title, list, ...more } = quickAddArguments(step.text, ctx);
  if (Object.keys(more).length > 0) return undefined;
  return open.find(
    (task) =>
      !task.completed &&
      normalize(task.title) === normalize(title) &&
      (!list || task.list?.toLowerCase() === list.toLowerCase()),
  )?.title;
}

/** The titles of the user's tasks not done. */
const openTitles = (ctx: ReadContext) => (ctx.open ?? []).map((open) => open.title);

/**
 * "delete pick up the cake we're not doing the party anymore", "remove the vet appointment pls luna is all
 * better": a task's whole title said first, then why. Only a whole title (after "the") is taken, and only
 * when what follows starts anew rather than going on with the name ("the dentist appointment for mom" is not
 * "Dentist appointment").
 */
/** Words that carry a name on ("for mom", "and dad", "'s"): a title before them is only part of what was named. */
const NAME_GOES_ON =
  /^(?:for|with|at|on|to|of|in|into|about|and|or|from|by|before|after|the|a|an|s|my|his|her|their|our|at|near|plus|&)\b/;

function titleSaidFirst(said: string, known: readonly Task[], most: number): Task | undefined {
  const words = normalize(said)
    .replace(/^the\s+/, '')
    .split(' ');
  for (let k = words.length - 1; k >= Math.max(1, words.length - most); k--) {
    const rest = words.slice(k).join(' ');
    if (NAME_GOES_ON.test(rest) && !/^(?:from|off)\s+(?:my|the)\s+list\b/.test(rest)) continue;
    const start = words.slice(0, k).join(' ');
    const found = known.filter((t) => normalize(t.title).replace(/^the\s+/, '') === start);
    if (found.length === 1) return found[0];
    if (found.length > 1) return undefined;
  }
  return undefined;
}

/** "Several tasks match …": the candidates numbered in the order they were made, as people count them. */
function whichOne(step: ChangeStep, candidates: Task[], ctx: ReadContext): string {
  const options = candidates.slice(0, 8).map((t, i) => `${i + 1}. "${t.title}"${details(t, ctx)}`);
  return `You named more than one task: ${options.join('; ')}. Which one should I ${verb(step.action)}?`;
}

/** A list beside a question that names tasks says nothing more ("what's the deal with the plumber, is that still open?"). */
function usefulLists(steps: Step[]): Step[] {
  const lists = steps.filter((s) => s.kind === 'list');
  const named = lists.filter((s) => s.kind === 'list' && (s.about || s.filter.label));
  return named.length > 0 ? named : lists.slice(0, 1);
}

interface Lookup {
  kind: 'every' | 'bulk';
  step?: Step;
  request: ToolCallRequest;
}

/** The tasks to read first: every task when one is named, the matching ones for each "all …" change. */
function lookupsFor(steps: Step[]): Lookup[] {
  const lookups: Lookup[] = [];
  if (steps.some((s) => s.kind === 'change' && (s.target.kind === 'name' || s.target.kind === 'mention'))) {
    lookups.push({
      kind: 'every',
      request: calls.list({ status: 'all', sort_by: 'updated_at', limit: LOOKUP_LIMIT }),
    });
  }
  for (const step of steps) {
    if (step.kind === 'change' && step.target.kind === 'all') {
      lookups.push({
        kind: 'bulk',
        step,
        // Tags are matched here with the other words, forgiving a slip ("finace"): see Target 'all'.
        request: calls.list({
          ...listArguments({ ...step.target.filter, tags: undefined }),
          limit: LOOKUP_LIMIT,
        }),
      });
    }
  }
  return lookups;
}

type Resolution =
  | { kind: 'tasks'; tasks: Task[] }
  | { kind: 'several'; tasks: Task[] }
  /** A guess whose words fit these tasks only loosely: asked about ("Did you mean …?"), never done. */
  | { kind: 'maybe'; tasks: Task[] }
  | { kind: 'none'; text: string };

function resolve(
  step: ChangeStep,
  known: Task[],
  bulk: ToolCallRecord | undefined,
  earlier: Turn[],
  turn: Turn,
  ctx: ReadContext,
): Resolution {
  const { target, action } = step;
  switch (target.kind) {
    case 'it': {
      const task = lastDiscussed([...earlier, { ...turn, calls: [] }]);
      return task
        ? { kind: 'tasks', tasks: [task] }
        : { kind: 'none', text: 'Which task do you mean? Tell me its name.' };
    }
    case 'nth': {
      const shown = lastList(earlier);
      const last = earlier.at(-1);
      // "the last one" is the last of a list only just shown (or added); otherwise the task just spoken of.
      const listedLast = last && (shownTasks(last).length > 1 || addedTasks(last).length > 1);
      if (target.index === -1 && !target.count && !listedLast)
        return resolve({ ...step, target: { kind: 'it' } }, known, bulk, earlier, turn, ctx);
      const from = target.index < 0 ? (shown?.length ?? 0) + target.index : target.index;
      const tasks = shown && from >= 0 ? shown.slice(from, from + (target.count ?? 1)) : [];
      return tasks.length === (target.count ?? 1)
        ? { kind: 'tasks', tasks }
        : { kind: 'none', text: 'Which task do you mean? Ask me for a list first, or tell me its name.' };
    }
    case 'shown': {
      const shown = lastList(earlier);
      return shown?.length
        ? { kind: 'tasks', tasks: shown }
        : { kind: 'none', text: 'Which tasks do you mean? Ask me for a list first, or tell me their names.' };
    }
    case 'all': {
      const found = narrowedHere(listedTasks(bulk as ToolCallRecord)?.tasks ?? [], target.filter);
      const tagged = target.filter.tags ? found.filter((t) => hasTag(t, target.filter.tags ?? [])) : found;
      const named = target.about ? aboutTasks(target.about, tagged) : tagged;
      // "everything except call mum": each name left out must name a task, or nothing is done.
      const left = (target.except ?? []).map((name) => ({
        name,
        match: findByName(name, known.length ? known : found),
      }));
      const unknown = left.find((l) => l.match.kind === 'none');
      if (unknown)
        return {
          kind: 'none',
          text: `I couldn’t find "${unknown.name}" to leave out, so I changed nothing.`,
        };
      const kept = new Set(
        left.flatMap((l) =>
          l.match.kind === 'one'
            ? [l.match.task.id]
            : l.match.kind === 'several'
              ? l.match.tasks.map((t) => t.id)
              : [],
        ),
      );
      const tasks = named.filter((t) => !kept.has(t.id));
      const label = target.filter.label ? ` ${target.filter.label}` : '';
      return tasks.length
        ? { kind: 'tasks', tasks }
        : { kind: 'none', text: `There are no tasks${label} to ${verb(action)}.` };
    }
    case 'name':
    case 'mention': {
      // A name that is a task's whole title is that task, "and" or not ("Walk Max and Luna").
      const whole =
        target.kind === 'name' ? known.filter((t) => normalize(t.title) === normalize(target.name)) : [];
      if (whole.length === 1) return { kind: 'tasks', tasks: whole };
      // "tick off call mum and buy milk": two names, when each names a task of its own.
      const names = target.kind === 'name' ? target.name.split(/\s*(?:,|\band\b|&)\s*/).filter(Boolean) : [];
      // A guess ("mail the christmas cards on monday" beside an add) acts only on strong evidence of a name.
      const strong = step.guessed === true;
      // What tells which task a name fits among several (tie-breakers.ts).
      const decide = (tasks: Task[], name: string, plural: boolean, itself?: Task[]) =>
        breakTie({
          tasks,
          name,
          plural,
          action,
          guessed: step.guessed === true,
          said: turn.user,
          written: writtenLast(earlier),
          shown: new Set((earlier.at(-1) ? shownTasks(earlier.at(-1) as Turn) : []).map((t) => t.id)),
          ...(itself ? { itself } : {}),
        });
      if (names.length > 1) {
        // ("push both the essay and the lab report to monday": "the essay" is the one with a date to move.)
        const each = names.map((name) => {
          const found = findTask({ kind: 'name', name }, known, action, { strong });
          const chosen = found.kind === 'several' ? decide(found.tasks, name, false) : undefined;
          return chosen?.length === 1 ? { kind: 'one' as const, task: chosen[0] as Task } : found;
        });
        const tasks = each.flatMap((m) => (m.kind === 'one' ? [m.task] : []));
        if (tasks.length === names.length && new Set(tasks.map((t) => t.id)).size === tasks.length) {
          return { kind: 'tasks', tasks };
        }
      }
      // Beside an "it" when a task was just discussed ("make it urgent, those places fill up fast"), words
      // mean another task only when they name most of it.
      const discussed =
        target.kind === 'mention' && target.orIt && lastDiscussed([...earlier, { ...turn, calls: [] }]);
      const match = findTask(target, known, action, { wholeName: Boolean(discussed), strong });
      // A new date stated of a thing ("the party is at 8 now") is not one for a task done for it ("Buy wine for the
      // party"). ("The flyers have to move to friday" says what must happen to "Print the flyers": that is asked.)
      // A date only stated of the one task named, not said to be what must happen to it.
      const dateSaid =
        action.kind === 'update' && (action.edit.due !== undefined || action.edit.time !== undefined);
      const newDate =
        strong &&
        dateSaid &&
        !ASKED_FOR_IT.test(turn.user.toLowerCase()) &&
        !MUST.test(
          clausesNaming(
            turn.user.toLowerCase(),
            match.kind === 'one' ? [match.task] : match.kind === 'several' ? match.tasks : [],
          ),
        );
      const statedDate = newDate && match.kind === 'one';
      if (statedDate && onlyWhatItIsFor(match.task.title, nameOf(target))) return { kind: 'none', text: '' };
      // "mike's report is due monday now" is Mike's date, which "Review Mike's report" may or may not follow; "the
      // concert is on the 12th" is the concert's, which "Buy concert tickets" may or may not: asked.
      if (
        statedDate &&
        (someoneElsesDate(match.task.title, turn.user) ||
          (SAID_AS_NEWS.test(turn.user.toLowerCase()) && doneAheadOfIt(match.task.title, turn.user)))
      )
        return { kind: 'maybe', tasks: [match.task] };
      // "the plumber is coming friday instead", "move the picnic to sunday": of "Plumber visit" and "Pay the plumber",
      // or "Picnic at the park" and "Buy picnic blanket", the thing itself is what moves.
      const itself =
        dateSaid && match.kind === 'several'
          ? match.tasks.filter(
              (t) =>
                !onlyWhatItIsFor(t.title, nameOf(target)) &&
                !doneAheadOfIt(t.title, turn.user, { asked: !newDate }),
            )
          : undefined;
      if (itself?.length === 1 && isTheThingItself((itself[0] as Task).title, nameOf(target)))
        return { kind: 'tasks', tasks: itself };
      if (match.kind === 'one') return { kind: 'tasks', tasks: [match.task] };
      // (A statement names its task and little more: "the gym changed its opening hours" is not about "Gym".)
      const opening = titleSaidFirst(
        target.kind === 'name' ? target.name : target.text,
        known,
        strong ? 2 : 12,
      );
      if (opening) return { kind: 'tasks', tasks: [opening] };
      // "the 5pm one", "the urgent one": no title fits, the details do.
      if (match.kind === 'none' && target.kind === 'name') {
        const open = action.kind === 'reopen' ? known : known.filter((t) => !t.completed);
        const detailed = findByDetail(target.name, open, ctx);
        if (detailed.kind === 'one') return { kind: 'tasks', tasks: [detailed.task] };
        if (detailed.kind === 'several') return detailed;
        const byDay = findByNameAndDay(target.name, open, ctx);
        if (byDay.kind === 'one') return { kind: 'tasks', tasks: [byDay.task] };
      }
      if (strong && match.kind === 'none' && target.kind === 'name') {
        const whole = findTask(target, known, action, { whole: true });
        if (whole.kind === 'one') return { kind: 'tasks', tasks: [whole.task] };
      }
      if (strong && match.kind === 'none') {
        const loose = findTask(target, known, action, { wholeName: Boolean(discussed) });
        if (loose.kind !== 'none')
          return { kind: 'maybe', tasks: loose.kind === 'one' ? [loose.task] : loose.tasks };
      }
      // Words beside a "that" that fit several tasks, or none, leave the task the conversation just touched.
      if (discussed && match.kind === 'several') {
        return resolve({ ...step, target: { kind: 'it' } }, known, bulk, earlier, turn, ctx);
      }
      if (match.kind === 'several') {
        const chosen = decide(match.tasks, nameOf(target), target.kind === 'name', itself);
        if (chosen) return { kind: 'tasks', tasks: chosen };
      }
      if (match.kind === 'several') return match;
      if (target.kind === 'mention' && target.orIt)
        return resolve({ ...step, target: { kind: 'it' } }, known, bulk, earlier, turn, ctx);
      return {
        kind: 'none',
        text: `I couldn’t find a task matching "${nameOf(target)}", so I changed nothing. Which task do you mean?`,
      };
    }
  }
}

/**
 * Pending tasks are meant before completed ones, unless the change is to reopen; a delete, which cannot be
 * taken back by doing it again, looks at both alike, so that two tasks of one name are asked about.
 */
function findTask(
  target: Target,
  tasks: Task[],
  action: Action,
  { wholeName = false, strong = false, whole = false } = {},
): MatchResult<Task> {
  const find = (among: Task[]) =>
    target.kind === 'mention'
      ? findMentioned(target.text, among, { wholeName })
      : whole
        ? findWholeTitle(nameOf(target), among)
        : findByName(nameOf(target), among, { strong });
  if (action.kind === 'delete') return find(tasks);
  const preferred = tasks.filter((t) => (action.kind === 'reopen' ? t.completed : !t.completed));
  const first = find(preferred);
  return first.kind === 'none' ? find(tasks) : first;
}

function nameOf(target: Target): string {
  return target.kind === 'name' ? target.name : target.kind === 'mention' ? target.text : 'that';
}

/** What the list tool cannot filter on, done here: completed since, repeating. */
function narrowedHere(tasks: Task[], filter: ListFilter): Task[] {
  const since = filter.completedSince;
  return tasks.filter(
    (t) =>
      (!since || (t.completed_at && new Date(t.completed_at) >= since)) &&
      (!filter.recurring || t.recurrence),
  );
}

function confirmQuestion(resolved: Resolved[], adds: Step[]): string {
  const parts = resolved.map((r) => `${verb(r.step.action)} ${titles(r.tasks)}`);
  if (adds.length) parts.push(`add ${adds.map((a) => (a.kind === 'add' ? `"${a.text}"` : '')).join(', ')}`);
  const count = resolved.reduce((n, r) => n + r.tasks.length, 0);
  if (resolved.length === 1 && count === 1)
    return `Shall I ${verb((resolved[0] as Resolved).step.action)} ${titles((resolved[0] as Resolved).tasks)}? Say yes to go ahead.`;
  if (resolved.length === 1)
    return `That’s ${count} tasks: ${titles((resolved[0] as Resolved).tasks)}. Shall I ${verb((resolved[0] as Resolved).step.action)} ${count === 2 ? 'both' : `all ${count}`}? Say yes to go ahead.`;
  return `That would change ${count} tasks: I’d ${parts.join(', and ')}. Shall I go ahead? Say yes to go ahead.`;
}

// ——— Carrying out ———

/** Asks for every change, add and list of the turn at once, or, once they ran, says what happened. */
function perform(resolved: Resolved[], others: Step[], done: ToolCallRecord[], ctx: ReadContext): Outcome {
  const requests: Array<{ request: ToolCallRequest; say: (record: ToolCallRecord) => string | undefined }> =
    [];
  for (const { step, tasks } of resolved) {
    const changed: ToolCallRecord[] = [];
    tasks.forEach((task, i) => {
      requests.push({
        request: changeCall(step.action, task),
        say: (record) => {
          changed.push(record);
          if (i < tasks.length - 1) return undefined;
          return changedSentence(step.action, tasks, changed, ctx);
        },
      });
    });
  }
  for (const step of others) {
    const add = step.kind === 'add' ? quickAddArguments(step.text, ctx) : undefined;
    // (A title of no letter or digit, "(", is left of words read as something else: nothing to add.)
    if (add && /[\p{L}\p{N}]/u.test(add.title))
      requests.push({ request: calls.add(add), say: (record) => addedSentence(record, ctx) });
    if (step.kind === 'list')
      requests.push({
        request: calls.list(listArguments(step.filter, step.about)),
        say: (record) => listSentence(step, record, ctx),
      });
  }
  if (done.length === 0)
    return requests.length ? { kind: 'calls', calls: requests.map((r) => r.request) } : reply(UNKNOWN);
  const sentences = requests
    .map((r, i) => (done[i] ? r.say(done[i] as ToolCallRecord) : undefined))
    .filter(Boolean);
  return reply(sentences.join(' '));
}

function changedSentence(action: Action, tasks: Task[], records: ToolCallRecord[], ctx: ReadContext): string {
  const failed = records.filter((r) => !r.result.success).map(errorOf);
  const succeeded = records.map(writtenTask).filter((t): t is Task => t !== undefined);
  if (succeeded.length === 0) return `I couldn’t do that: ${failed.join(' ')}`;
  const summary =
    succeeded.length === 1
      ? describeChange(action, succeeded[0] as Task, tasks[0], ctx)
      : `${{ complete: 'Completed', delete: 'Deleted', reopen: 'Reopened' }[action.kind as string] ?? 'Changed'} ${succeeded.length} tasks: ${titles(succeeded)}.`;
  return failed.length ? `${summary} But some failed: ${failed.join(' ')}` : summary;
}

function changeCall(action: Action, task: Task): ToolCallRequest {
  switch (action.kind) {
    case 'complete':
      return calls.complete(task.id);
    case 'reopen':
      return calls.complete(task.id, false);
    case 'delete':
      return calls.delete(task.id);
    case 'update':
      return calls.update(updateArguments(action.edit, task));
  }
}

function updateArguments(edit: Edit, task: Task): UpdateArgs {
  const clear: NonNullable<UpdateArgs['clear']> = [];
  if (edit.clearDue) clear.push('due_date');
  if (edit.clearTags) clear.push('tags');
  if (edit.clearRecurrence) clear.push('recurrence');
  const day = task.due_date?.slice(0, 10);
  // A new day keeps the task's time ("move the driving lesson to sunday"), as the page's form does.
  const kept = task.due_date?.includes('T') ? clockOf(task.due_date) : undefined;
  const time =
    (edit.time && nearTheKept(edit.time, kept)) ?? (edit.due && !saysTime(edit.due) ? kept : undefined);
  // "push it back by two days" counts from the task's own day.
  const shifted = edit.shiftDays && day ? addDays(day, edit.shiftDays) : undefined;
  const newDay = edit.due ?? shifted;
  const due = newDay
    ? (time ?? (shifted ? kept : undefined))
      ? `${newDay} at ${time ?? kept}`
      : newDay
    : time
      ? `${day ?? 'today'} at ${time}`
      : undefined;
  return {
    task_id: task.id,
    ...(edit.title !== undefined ? { title: edit.title } : {}),
    ...(edit.description !== undefined ? { description: edit.description } : {}),
    ...(edit.priority ? { priority: edit.priority } : {}),
    ...(due ? { due_date: due } : {}),
    ...(edit.addTags?.length ? { add_tags: edit.addTags } : {}),
    ...(edit.removeTags?.length ? { remove_tags: edit.removeTags } : {}),
    ...(edit.list ? { list: edit.list } : {}),
    ...(clear.length ? { clear } : {}),
  };
}

/**
 * A time said without am or pm ("make it 7:30" of a dinner at 19:00, "11 instead" of a haircut at 10:00) is the one
 * of the two nearest the task's own time; with am, pm or a 24-hour clock it is as said.
 */
function nearTheKept(time: string, kept: string | undefined): string {
  const said = /^(\d{1,2})(?::(\d{2}))?$/.exec(time.trim());
  const was = kept && /^(\d{2}):(\d{2})/.exec(kept);
  if (!said || !was || Number(said[1]) > 12 || Number(said[1]) === 0) return time;
  const minute = Number(said[2] ?? 0);
  const keptAt = Number(was[1]) * 60 + Number(was[2]);
  const [morning, evening] = [Number(said[1]) % 12, (Number(said[1]) % 12) + 12];
  const hour =
    Math.abs(evening * 60 + minute - keptAt) < Math.abs(morning * 60 + minute - keptAt) ? evening : morning;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** True when words name a time of day ("friday 3pm", "at noon"). */
function saysTime(words: string): boolean {
  return /\d\s*(?:am|pm)\b|\d:\d\d|\b(?:noon|midday|midnight)\b|^\d{4}-\d{2}-\d{2}T/i.test(words);
}

/** "15:00" of "2026-12-05T15:00:00-05:00": the wall time the task was given. */
function clockOf(due: string): string {
  return due.slice(11, 16);
}

function quickAddArguments(said: string, ctx: ReadContext) {
  // "add milk to the groceries list" (written "to +groceries"), or quick add's own "+groceries".
  const { text, list } = takeListWord(said, ctx.lists);
  const parsed = parseQuickAdd(text, { now: ctx.now, timezone: ctx.timeZone });
  // A title given in quotes ("add 'bring Dana coffee' for friday to say thanks") is the words inside them; quotes
  // inside the words ("read 'Zzz' book") are part of the title.
  const quoted =
    /^\s*(?:(?:to|for|me|the|a|an|new|task|todo|reminder|called|named|titled|saying)\s+)*(?:"([^"]+)"|'([^']+)')(?=$|[\s,.;:!?])/.exec(
      text,
    );
  return {
    title: (quoted ? ((quoted[1] ?? quoted[2]) as string) : parsed.title)
      .replace(/^["'](.+)["']$/, '$1')
      .replace(/^to\s+(?=\S)/i, '')
      // A word the date was read from leaves behind ("renew passport for friday"), or the priority ("… its urgent").
      .replace(/[,\s]+(?:for|on|by|at|due|before|and|it'?s|it is)$/i, '')
      // "call the vet (urgent)": the word was read, the brackets stay empty.
      .replace(/\s*[([]\s*[)\]]/g, '')
      .replace(/^["'](.+)["']$/, '$1'),
    ...(parsed.description ? { description: parsed.description } : {}),
    ...(parsed.priority ? { priority: parsed.priority } : {}),
    ...(parsed.tags.length ? { tags: parsed.tags } : {}),
    ...(parsed.due_date ? { due_date: parsed.due_date } : {}),
    ...(parsed.recurrence ? { recurrence: parsed.recurrence } : {}),
    ...(list ? { list } : {}),
  };
}

function addedSentence(record: ToolCallRecord, ctx: ReadContext): string {
  const task = writtenTask(record);
  if (!task) return `I couldn’t add that: ${errorOf(record)}`;
  return `Added "${task.title}"${details(task, ctx)}${task.list && task.list !== INBOX ? ` to ${task.list}` : ''}.`;
}

function listArguments(filter: ListFilter, about?: string): ListArgs {
  return {
    // Words that name tasks look among all of them: "did I finish the report?" names it either way.
    status: about && !filter.open ? 'all' : filter.status,
    ...(filter.list ? { list: filter.list } : {}),
    ...(filter.priority ? { priority: filter.priority } : {}),
    ...(filter.tags ? { tags: filter.tags } : {}),
    ...(filter.due ? { due: filter.due } : {}),
    ...(filter.due_after ? { due_after: filter.due_after } : {}),
    ...(filter.due_before ? { due_before: filter.due_before } : {}),
    // (Tasks of a day or a stretch of days are told in the order they come: "the last one" is the latest.)
    ...(filter.status === 'completed'
      ? { sort_by: 'updated_at' }
      : filter.due || filter.due_after || filter.due_before
        ? { sort_by: 'due_date' }
        : {}),
    limit: filter.completedSince || filter.recurring || about ? LOOKUP_LIMIT : 50,
  };
}

function listSentence(step: Step, record: ToolCallRecord, ctx: ReadContext): string {
  if (step.kind !== 'list') return '';
  const listed = listedTasks(record);
  if (!listed) return `I couldn’t look that up: ${errorOf(record)}`;
  const { filter, about } = step;
  let tasks = narrowedHere(listed.tasks, filter);
  let total = filter.completedSince || filter.recurring ? tasks.length : listed.total;
  const named = about ? aboutTasks(about, tasks, { generous: true }) : [];
  if (about && (named.length > 0 || !filter.label)) {
    if (named.length === 0) return `I couldn’t find a task about "${about}".`;
    // "is the laundry done?": a task named that is not done is said to be so, never listed as completed.
    const notDone = named.filter((t) => !t.completed);
    if (filter.status === 'completed' && notDone.length === named.length)
      return `${notDone
        .slice(0, 8)
        .map((t) => `"${t.title}"`)
        .join(', ')} ${notDone.length === 1 ? 'is' : 'are'} not done yet.`;
    tasks = named;
    total = named.length;
  } else if (about && filter.status !== 'all') {
    // Words that name no task are not a filter when the question has one ("what have I finished so far?"),
    // but the question's own filter still holds: they were looked up among all tasks.
    tasks = tasks.filter((t) => t.completed === (filter.status === 'completed'));
    total = tasks.length;
  }
  const what = filter.status === 'completed' ? 'completed tasks' : 'tasks';
  const label = filter.label.replace(/^completed(, )?/, '');
  if (tasks.length === 0) return `You have no ${what}${label ? ` ${label}` : ''}.`;
  const more = total > Math.min(tasks.length, 8) ? `, and ${total - Math.min(tasks.length, 8)} more` : '';
  const noun = total === 1 ? what.replace('tasks', 'task') : what;
  const shown = tasks.slice(0, 8).map((t) => `"${t.title}"${details(t, ctx)}`);
  return `You have ${total} ${noun}${label ? ` ${label}` : ''}: ${shown.join('; ')}${more}.`;
}

/** The tasks a question's words name: the best match, or every task that has them ("do I need to call anyone?"). */
function aboutTasks(about: string, tasks: Task[], { generous = false } = {}): Task[] {
  // "show me my work stuff": a word that is a tag of theirs, or the name of a list, means those tasks.
  const tagged = /^[\p{L}\p{N}_-]+$/u.test(about)
    ? tasks.filter((t) => hasTag(t, [about]) || t.list?.toLowerCase() === about.toLowerCase())
    : [];
  if (tagged.length > 0) return tagged;
  const match = findByName(about, tasks);
  if (match.kind === 'one') return [match.task];
  if (match.kind === 'several') return match.tasks;
  const mentioned = findMentioned(about, tasks);
  if (mentioned.kind === 'one') return [mentioned.task];
  if (mentioned.kind === 'several') return mentioned.tasks;
  if (!generous) return [];
  // A question only reads, so it may be generous (a change never is): "anything about the kids' school?" shows
  // every task with the most of its words ("school"), when no task is named by them.
  const counted = tasks.map((task) => ({ task, found: sharedWords(about, task.title) }));
  const most = Math.max(0, ...counted.map((c) => c.found));
  return most > 0 ? counted.filter((c) => c.found === most).map((c) => c.task) : [];
}

/** How many of the words said are among a title's words, as stems. */
function sharedWords(said: string, title: string): number {
  const words = new Set(keyStems(title));
  return new Set(keyStems(said).filter((word) => words.has(word))).size;
}

/**
 * A yes carries out what was asked about, on the tasks as they were shown: the tasks are read again first, and
 * if one was renamed, completed or deleted since, nothing is done and the reply says so.
 */
function confirmed(question: Extract<Outcome, { kind: 'confirm' }>, turn: Turn, ctx: ReadContext): Outcome {
  if (question.resolved.length === 0) return perform([], question.adds, turn.calls, ctx);
  const [check, ...actions] = turn.calls;
  if (!check)
    return {
      kind: 'calls',
      calls: [calls.list({ status: 'all', sort_by: 'updated_at', limit: LOOKUP_LIMIT })],
    };
  const now = new Map((listedTasks(check)?.tasks ?? []).map((task) => [task.id, task]));
  const changed = question.resolved
    .flatMap((r) => r.tasks)
    .filter(
      (task) => now.get(task.id)?.title !== task.title || now.get(task.id)?.completed !== task.completed,
    );
  if (changed.length > 0) {
    return reply(
      `${titles(changed)} changed since I asked, so I did nothing. Say what you want again and I’ll check.`,
    );
  }
  return perform(question.resolved, question.adds, actions, ctx);
}

// ——— Questions left open ———

type Question = Extract<Outcome, { kind: 'choose' } | { kind: 'confirm' }>;

/** What the previous turn asked, decided again from its message and tool results. */
function pendingQuestion(earlier: Turn[], ctx: ReadContext, depth: number): Question | undefined {
  const previous = earlier[earlier.length - 1];
  if (!previous || previous.calls.some((c) => WRITING.has(c.tool_name))) return undefined;
  const outcome = decide(previous, earlier.slice(0, -1), ctx, depth + 1);
  return outcome.kind === 'choose' || outcome.kind === 'confirm' ? outcome : undefined;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];

function chooseSeveral(answer: string, candidates: Task[]): Task[] | undefined {
  const text = answer
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (/^(?:both|all|all of them|both of them|each|every one|all \d+)(?: of them)?(?: please)?$/.test(text))
    return candidates;
  const numbers = /^(?:the\s+)?(\d+)(?:\s*(?:and|&|,)\s*(\d+))+$/.test(text)
    ? (text.match(/\d+/g) ?? [])
    : [];
  const picked = numbers.map((n) => candidates[Number(n) - 1]).filter((t): t is Task => t !== undefined);
  return picked.length > 1 && picked.length === numbers.length ? picked : undefined;
}

function choose(answer: string, candidates: Task[]): Task | undefined {
  // ("the secnd one": a slip in the words that choose.)
  const text = correctTypos(answer)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // "not the first one", "the second — wait, never mind", "I don't know, maybe the first": no choice made.
  if (
    /\b(?:wait|never ?mind|don'?t know|dunno|maybe|stop|hmm|unsure)\b|^(?:no\s+|definitely\s+)?not\b/.test(
      text,
    )
  )
    return undefined;
  const number = /^(?:the\s+)?(?:number\s+|no\s+)?(\d+)(?:st|nd|rd|th)?(?:\s+one)?$/.exec(text);
  if (number) return candidates[Number(number[1]) - 1];
  const ordinal = ORDINALS.findIndex((word) => new RegExp(`\\b${word}\\b`).test(text));
  if (ordinal >= 0) return candidates[ordinal];
  if (/\blast\b/.test(text)) return candidates[candidates.length - 1];
  const name = text
    // "the appointment, not the phone call": what is ruled out does not name the choice.
    .replace(/\s+(?:not|rather than|instead of)\s+(?:the\s+)?.+$/, '')
    .replace(
      /^(?:(?:oh|sorry|no|yes|yeah|yep|ok|okay|i meant|i mean|meant|actually|the one|the task|the|one|it's|its|it is)\s+)+/g,
      '',
    )
    .replace(/^(?:about|called|named|with|for)\s+/, '');
  const match = findByName(name, candidates);
  return match.kind === 'one' ? match.task : undefined;
}

// ——— Undo ———

/** True when the turn before this one changed a task. */
function changedLast(earlier: Turn[]): boolean {
  return Boolean(earlier.at(-1)?.calls.some((c) => WRITING.has(c.tool_name) && c.result.success));
}

/** The words that open a take-back of what was just done ("no, …", "wait, …", "sorry, …"), for the patterns below. */
const TAKE_BACK = '(?:no+|nope|nah|wait|hang on|oops|whoops|sorry|my bad)';

/** A detail said again, as a take-back: "no i meant tuesday", "hmm, the 14th actually", "sorry, 4". */
const DETAIL_MEANT = new RegExp(
  String.raw`^((?:(?:${TAKE_BACK}|(?:i'?m|i am) (?:so |very |really )?sorry|hm+|oh|ah|actually|thanks|thank you|thx|ok|okay|great|cool|perfect)[,!.\s—–-]+)*)(?:i meant(?: to say)?|i mean|meant|i ment|i want(?:ed)? to say|make (?:it|that)|(?:it'?s|its|it is|is)(?: for)?)?\s*(.+?)((?:[,\s]+(?:actually|instead|sorry|then|please|pls))?)[.!]*$`,
  'i',
);

/**
 * The one task the turn before added or changed, given the detail said again instead: after "add renew
 * passport on monday", "no i meant tuesday" moves it (rather than taking the add back); after "move the haircut
 * to 3pm", "sorry i meant 4" is 4pm. Undefined unless the words are only a take-back and details.
 */
function detailMeant(turn: Turn, earlier: Turn[], ctx: ReadContext): Outcome | undefined {
  const said = DETAIL_MEANT.exec(correctTypos(turn.user).trim());
  const previous = earlier.at(-1);
  if (
    !said ||
    !previous ||
    !(said[1] || said[3] || /^\s*(?:(?:i\s+)?mea?n|(?:it'?s|its|it is|is)\s+for)\b/i.test(turn.user))
  )
    return undefined;
  const writes = previous.calls.filter((c) => WRITING.has(c.tool_name) && c.result.success);
  const touched = new Set(writes.map((c) => writtenTask(c)?.id));
  if (touched.size !== 1 || !writes.every((c) => c.tool_name === TOOL.add || c.tool_name === TOOL.update))
    return undefined;
  // ("the 14th" is read as a day after a word that leads to one.)
  const core = (said[2] as string)
    .toLowerCase()
    .replace(/^(?:the\s+)?(?=\d{1,2}(?:st|nd|rd|th)(?:\s+of\s+\p{L}+)?$)/u, 'on the ')
    // ("sat" alone is a day after a word that leads to one.)
    .replace(/^(?=(?:mon|tues?|weds?|thu|thurs?|fri|sat|sun)$)/, 'on ');
  const hour = /^(?:at\s+)?(\d{1,2}(?::\d{2})?)$/.exec(core);
  const details = hour ? { edit: { time: hour[1] as string }, rest: '' } : readDetails(core, ctx);
  if (details?.rest !== '' || Object.keys(details.edit).length === 0) return undefined;
  return plan(
    [{ kind: 'change', action: { kind: 'update', edit: details.edit }, target: { kind: 'it' } }],
    turn,
    earlier,
    ctx,
  );
}

/** "wrong one, sorry! I meant buy bread": named plainly, what the change just made was for instead. */
const MEANT = new RegExp(
  String.raw`^(?:(?:${TAKE_BACK}|wrong(?: one| task)?|not that(?: one)?)[,!.\s]+)+(?:i meant|i mean|meant|i ment|ment|it was|it's|its)\s+(?:the\s+)?(.+?)(?:,?\s+not\s+.+)?[.!]*$`,
  'i',
);

/**
 * The change just made taken back and made to the task meant: the undo's calls first, then the same change
 * planned for the name said (read fresh, so it sees the task as the undo left it). Undefined when the message
 * says no such thing, or the change before was not one change of a task.
 */
/** "sorry — not the car service, the car wash!": the task changed, then the one meant. */
const NOT_THAT_BUT = new RegExp(
  String.raw`^(?:${TAKE_BACK}[,!.\s—–-]+)*not\s+(?:the\s+)?[^,;—–]+?\s*(?:[,;]|\s[—–-])\s*(?:but\s+|i meant\s+|it'?s\s+)?(?:the\s+)?(.+?)[.!]*$`,
  'i',
);

/**
 * "wrong one, the xmas one", "no wait, the yoga class", "no, make that the other dentist one": the task meant
 * pointed at past the one just changed, as `anotherTask` reads it.
 */
const ONE_MEANT = new RegExp(
  String.raw`^(?:(?:${TAKE_BACK}|actually|oh|ah|hm+|ugh|wrong(?: one| task)?|not (?:that|this|it)(?: one)?)[,!.\s—–-]+)+(?:make (?:that|it)\s+|it'?s\s+|it was\s+)?((?:the|my)\s+.+?)[.!]*$`,
  'i',
);

function meantInstead(turn: Turn, earlier: Turn[], ctx: ReadContext): Outcome | undefined {
  const said = correctTypos(turn.user).trim();
  const plainly = (MEANT.exec(said) ?? NOT_THAT_BUT.exec(said))?.[1];
  const pointed = plainly ? undefined : ONE_MEANT.exec(said)?.[1];
  // ("no wait, the bins are done" says something else.)
  if (pointed && readMessage(pointed, ctx).kind === 'steps') return undefined;
  const name = plainly ?? pointed;
  if (!name) return undefined;
  // "sorry i meant friday": a detail meant instead, for the same task.
  const details = readDetails(name.toLowerCase(), ctx);
  if (details?.rest === '' && Object.keys(details.edit).length > 0)
    return changedInstead(turn, earlier, ctx, (step) => ({
      ...step,
      action: { kind: 'update', edit: details.edit },
    }));
  return changedInstead(turn, earlier, ctx, (step, changed) => {
    // ("delete the yoga class" then "no, the pilates one!": a delete is made again only when said plainly, "I
    // meant …"; pointed at, it is taken back, and the user says it again.)
    if (!plainly && step.action.kind === 'delete') return undefined;
    const meant = (changed && anotherTask(name, changed, openTitles(ctx))) || plainly;
    return meant ? { ...step, target: { kind: 'name', name: meant } } : undefined;
  });
}

/**
 * The change the turn before made, taken back and made again as `redo` says (for another task, or with another
 * detail); `redo` is told the task changed when it was one. Undefined when the turn before was not one change,
 * or `redo` finds nothing.
 */
function changedInstead(
  turn: Turn,
  earlier: Turn[],
  ctx: ReadContext,
  redo: (step: ChangeStep, changed: string | undefined) => Step | undefined,
): Outcome | undefined {
  const previous = earlier.at(-1);
  if (!previous) return undefined;
  const before = readMessage(previous.user, ctx);
  const changes = before.kind === 'steps' ? before.steps : [];
  const [step] = changes;
  if (changes.length !== 1 || step?.kind !== 'change') return undefined;
  const written = previous.calls.filter((c) => WRITING.has(c.tool_name) && c.result.success).map(writtenTask);
  const changed = written.length === 1 ? written[0]?.title : undefined;
  // (The task is now said plainly: what was guessed from a statement before is asked for now.)
  const again = redo({ ...step, guessed: false }, changed);
  const requests = again && undoCalls(earlier, isUndoTurn(ctx));
  return again && requests ? redoneAfterUndo(requests, [again], turn, earlier, ctx) : undefined;
}

/** "no wait, call the building society not the bank", "no, to the kids list": said right after an add. */
const ADD_MEANT = new RegExp(
  String.raw`^(?:(?:${TAKE_BACK}|actually)[,!.\s—–-]+)+(?:i meant\s+|meant\s+)?(.+?)[.!]*$`,
  'i',
);

/**
 * The task just added taken back and added as meant: with the words said instead ("no wait, call the building
 * society not the bank"), or in the list said instead ("no, to the kids list"). Undefined unless the message
 * before was one add and these words are a task or one of the user's lists.
 */
function addedInstead(turn: Turn, earlier: Turn[], ctx: ReadContext): Outcome | undefined {
  const said = ADD_MEANT.exec(correctTypos(turn.user).trim())?.[1];
  const previous = earlier.at(-1);
  if (!said || !previous) return undefined;
  // Read as it was before the task was there ("remind me to call the bank monday" would now name it).
  const before = readMessage(previous.user, {
    now: ctx.now,
    timeZone: ctx.timeZone,
    ...(ctx.lists ? { lists: ctx.lists } : {}),
  });
  const add = before.kind === 'steps' && before.steps.length === 1 ? before.steps[0] : undefined;
  if (add?.kind !== 'add') return undefined;
  // "call the building society not the bank" after "remind me to call the bank monday": the words put in place
  // of those said before, the rest (monday) kept.
  const swapped = swappedWords(said, add.text);
  const words = said.replace(/,?\s+(?:not|instead of|rather than)\s+.+$/i, '').trim();
  const listSaid = /^(?:to|in|into|on|onto)\s+(?:the\s+|my\s+)?(.+?)(?:\s+list)?$/i.exec(words)?.[1];
  const list = listSaid && ctx.lists?.find((name) => name.toLowerCase() === listSaid.toLowerCase());
  const step: Step | undefined = list
    ? inList({ kind: 'add', text: add.text.replace(/(?:\s+(?:to|in|into|on|onto))?\s+\+\S+/g, '') }, list)
    : swapped
      ? { kind: 'add', text: swapped }
      : TASK_VERB.test(words.toLowerCase()) && readMessage(words, ctx).kind !== 'steps'
        ? { kind: 'add', text: words }
        : undefined;
  if (!step) return undefined;
  const requests = undoCalls(earlier, isUndoTurn(ctx));
  if (!requests) return undefined;
  return redoneAfterUndo(requests, [step], turn, earlier, ctx);
}

/**
 * "call the building society not the bank", said of "call the bank monday": the add's words with the ones said
 * put in place of the ones taken back, the rest ("monday") kept. Undefined unless the words taken back are there.
 */
function swappedWords(said: string, before: string): string | undefined {
  const swap = /^(.+?),?\s+(?:not|instead of|rather than)\s+(.+)$/i.exec(said);
  const instead = swap?.[1];
  const old =
    swap &&
    new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(swap[2] as string)}(?![\\p{L}\\p{N}])`, 'iu').exec(before);
  if (!instead || !old) return undefined;
  const after = before.slice(old.index + old[0].length);
  // The same verb said again ("call …") says the whole task; else only the thing ("no, the building society").
  const sameVerb = instead.split(/\s+/)[0]?.toLowerCase() === before.split(/\s+/)[0]?.toLowerCase();
  return `${sameVerb ? '' : before.slice(0, old.index)}${instead}${after}`.trim();
}

/** The undo's calls first, then the steps planned on what the undo left; the reply says both. */
function redoneAfterUndo(
  requests: ToolCallRequest[],
  steps: Step[],
  turn: Turn,
  earlier: Turn[],
  ctx: ReadContext,
): Outcome {
  if (turn.calls.length < requests.length) return { kind: 'calls', calls: requests };
  const undone = turn.calls
    .slice(0, requests.length)
    .filter((c) => WRITING.has(c.tool_name) && c.result.success);
  const outcome = plan(steps, { ...turn, calls: turn.calls.slice(requests.length) }, earlier, ctx);
  return outcome.kind === 'reply'
    ? reply(`Undone. ${undone.map(undoneSentence).join(' ')} ${outcome.text}`)
    : outcome;
}

/** A change said again with no detail, for another task: "move the car wash instead", "do the other one". */
const SAME_CHANGE_FOR =
  /^(?:(?:so|then|just)\s+)?(?:move|push|shift|do|delete|remove|complete|mark|tick|change|update)\s+((?:the|my)\s+.+?)(?:\s+(?:instead|then))?[.!]*$/i;

/** "undo all that", "undo everything": every change of the conversation. */
const UNDO_ALL = /\bundo\s+(?:all|everything)\b/i;

const isUndoTurn = (ctx: ReadContext) => (t: Turn) => {
  const kind = readMessage(t.user, ctx).kind;
  if (kind === 'undo' && UNDO_ALL.test(t.user)) return 'all';
  return kind === 'undo' || kind === 'no' ? 'one' : false;
};

function undo(turn: Turn, earlier: Turn[], ctx: ReadContext): Outcome {
  const reverted = turn.calls.filter((c) => WRITING.has(c.tool_name));
  if (reverted.length > 0) {
    const ok = reverted.filter((c) => c.result.success);
    if (ok.length === 0) return reply(`I couldn’t undo that: ${reverted.map(errorOf).join(' ')}`);
    return reply(`Undone. ${[...new Set(ok.map(undoneSentence))].join(' ')}`);
  }
  const all = UNDO_ALL.test(turn.user);
  const requests = undoCalls(earlier, isUndoTurn(ctx), { all });
  if (!requests) return reply('There’s nothing left to undo in this conversation.');
  return { kind: 'calls', calls: requests };
}
