import { localDate, parseQuickAdd } from '../../../tasks/index.ts';
import { lower, OPENING } from './clauses.ts';
import { correctedDetails } from './corrections.ts';
import { markLists } from './names.ts';
import type { Action, ReadContext, Step } from './reading.ts';
import type { Task } from './tool-calls.ts';
import { correctTypos, IRREGULAR_PAST, keyStems, keyWords, normalize, stem, tidyMessage } from './words.ts';

/**
 * The safety gate: the last check over what a turn is about to write, against the message as the user typed
 * it, whatever rule read it. The reader is many rules and will keep growing; these guarantees hold over all of
 * them because every change, add and list of a turn passes through here before a tool is called:
 * 1. A question only reads. A message whose every sentence asks ("did I pay rent?", "is the dentist done?")
 *    writes nothing, unless it is a request put politely as a question ("can you add X?", "could X be moved
 *    to friday?").
 * 2. A date said of a task is not its completion. A completion whose message says a day still to come and no
 *    word that says done ("the report by the 15th") becomes a move of that task to that day.
 * 3. One change, one named task. A message that names two or more of the user's tasks but asks one change of
 *    one of them asks which task is meant, naming them.
 * 4. More than one change waits for a yes: two or more existing tasks changed, a bulk delete, more than
 *    MAX_ADDS_WITHOUT_YES adds. So does a delete read from a statement rather than asked for ("the team lunch
 *    got cancelled"): losing a task is worth one word more.
 * 5. Not now, not this: a change said negated ("don't make call mum urgent", "I can't call mum on friday", "the
 *    dentist isn't on monday anymore"), hedged ("might move to monday", "maybe …, not sure yet", "thinking about
 *    moving …") or on a condition ("if it rains, cancel the dentist") is not made. A correction ("monday, not
 *    friday"), a reopen ("it isn't done") and taking something away ("I don't need it to repeat") are not
 *    negations of the change, nor is a statement that a task is no longer needed (asked about by rule 4).
 * 6. Taken back as said: a request followed in the same message by its retraction ("delete the dentist — actually
 *    no, keep it", "remove water the plants. kidding!", "finished chapter 3 lol as if") writes nothing.
 * 7. A statement is a change of the user's own task, now: a change read from a statement (not asked for) is not
 *    made when the statement is about someone else's ("my sister's dentist appointment is on friday", "Tom's
 *    flight leaves at 6am", "his gym session is high priority"), about the past ("the team meeting last week ran
 *    till 6pm", "I mowed the lawn last month"), or a remark beside an add ("add buy wine, dinner is at 8").
 * The gate is pure: a turn decided again (to learn what it asked) is gated the same way.
 */

export type ChangeStep = Extract<Step, { kind: 'change' }>;

/** A change step with the tasks it applies to. */
export interface Resolved {
  step: ChangeStep;
  tasks: Task[];
}

/** What a turn plans to write: changes to existing tasks, and the other steps (adds, lists). */
export interface Plan {
  resolved: Resolved[];
  others: Step[];
}

export type Verdict =
  | { kind: 'go'; plan: Plan }
  /** Nothing is written; the text says why and what would. */
  | { kind: 'refuse'; text: string }
  /** Ask which of these tasks the change is for. */
  | { kind: 'choose'; step: ChangeStep; candidates: Task[] }
  /** Ask for a yes before writing the plan. */
  | { kind: 'confirm'; plan: Plan };

/** More adds than this in one message are named and wait for a yes. */
export const MAX_ADDS_WITHOUT_YES = 5;

export const QUESTION_ONLY =
  'That reads as a question, so I changed nothing. To change a task, say what to do: "mark X done", "move X to ' +
  'friday", "add X".';

export function gate(message: string, plan: Plan, known: readonly Task[], ctx: ReadContext): Verdict {
  const adds = plan.others.filter((s) => s.kind === 'add');
  const writes = plan.resolved.length > 0 || adds.length > 0;
  if (writes && takenBack(message, ctx)) return { kind: 'refuse', text: TAKEN_BACK };
  // "you don't need to add buy bread", "would you remind me to call the bank if I asked?", "if it's nice on
  // saturday, add wash the car": no add asked for, or not yet.
  if (writes && [NO_ADD, HYPOTHETICAL, ADD_IF].some((pattern) => pattern.test(lower(message))))
    return { kind: 'refuse', text: NOT_NOW };
  // "I think the dentist could be friday? not sure yet", "call mum is done? no idea": a doubt said on its own is
  // of the whole message. "maybe I should call mum at some point" muses; a need said plainly is added.
  if (writes && (partsOf(message).some((part) => DOUBT.test(part)) || musedAdd(message, adds)))
    return { kind: 'refuse', text: NOT_NOW };
  // "what can you do? e.g. remind me to stretch every hour?": an example of a request is not one.
  if (writes && EXAMPLE.test(lower(tidyMessage(message)))) return { kind: 'refuse', text: AN_EXAMPLE };
  if (writes && isQuestionOnly(message)) {
    const lists = plan.others.filter((s) => s.kind === 'list');
    return lists.length
      ? { kind: 'go', plan: { resolved: [], others: lists } }
      : { kind: 'refuse', text: QUESTION_ONLY };
  }
  if (plan.resolved.length > 0 && !meantAsSaid(plan.resolved, message))
    return { kind: 'refuse', text: NOT_NOW };
  const resolved = plan.resolved
    // "no, the holiday request isn't done yet" of a task not done: nothing to reopen.
    .filter((r) => r.step.action.kind !== 'reopen' || r.tasks.some((t) => t.completed))
    .filter((r) => !r.step.guessed || ownNow(r, message, adds.length > 0))
    .map((r) => dateNotDone(r, message, adds, ctx));
  if (resolved.length === 0 && adds.length === 0 && plan.resolved.length > 0)
    return { kind: 'refuse', text: NOT_YOURS };
  const checked: Plan = { resolved, others: plan.others };
  const changing = resolved.reduce((n, r) => n + r.tasks.length, 0);
  const one = resolved.length === 1 ? (resolved[0] as Resolved) : undefined;
  if (one && changing === 1 && namesOne(one.step)) {
    const target = one.tasks[0] as Task;
    const others = otherNamed(wordsBesideTheChange(message, one, adds), target, known);
    if (others.length > 0)
      return { kind: 'choose', step: one.step, candidates: [target, ...others].sort((a, b) => a.id - b.id) };
  }
  const bulkDelete = resolved.some((r) => r.step.target.kind === 'all' && r.step.action.kind === 'delete');
  const statedDelete = resolved.some((r) => r.step.guessed && r.step.action.kind === 'delete');
  if (changing > 1 || ((bulkDelete || statedDelete) && changing === 1) || adds.length > MAX_ADDS_WITHOUT_YES)
    return { kind: 'confirm', plan: checked };
  return { kind: 'go', plan: checked };
}

// ——— 1. Questions ———

export const AN_EXAMPLE =
  'That reads as an example, so I changed nothing. I can add, list, complete, update or delete tasks: send the ' +
  'request on its own when you want it done.';

/** A request given as an example: "e.g. remind me to …", "for instance, add …", "like if I said delete …". */
const EXAMPLE =
  /(?:\be\.?g\.?|\bfor (?:example|instance)|\blike if i (?:say|said|asked|typed|wrote)|\bsay i (?:say|said|asked|typed|wrote))[,:]?\s+["'“]?(?:\S+\s+){0,2}?(?:add|remind|remember|delete|remove|complete|mark|move|tick|put|note|jot|cancel|change)\b/;

/**
 * The first words of a part that asks without a question mark, or asks to be shown ("show me …", "tell me
 * …"): a read. "did the gym session today" says, not asks.
 */
const ASKS =
  /^(?:show|list|display|find|search|look up|give me|tell me|let me know|remind me (?:what|which|when|whether|if))\b|^(?:what|what's|whats|which|when|when's|where|who|whom|whose|why|how|is(?!\s+for\b)|isn't|are|aren't|am|was|wasn't|were)\b|^(?:do|does|did|didn't|don't|doesn't|have|has|had|haven't|hasn't)\s+(?:i|you|u|we|they|he|she|it|there)\b/;

/**
 * A request put as a question: "can you …", "could X be moved …", "would you mind …", "any chance you could …",
 * "why don't you …", or said with "please".
 */
const POLITE =
  /^(?:can|could|would|will|shall|may)\b|\b(?:can|could|would|will) (?:you|u|ya)\b|^(?:why don't you|why not|how about|what about)\b|^(?:any chance|is it possible|is possible|it is possible|would it be possible|do you mind|mind)\b|\b(?:please|pls|plz|kindly)\b/;

/**
 * The parts of a message, each read as asking or not: cut at sentence ends, commas, dashes and "and"/"also", so
 * that a statement or request beside a question ("vacuumed the living room, what else is due today?") is not
 * taken for one.
 */
function partsOf(message: string): string[] {
  return lower(tidyMessage(message))
    .split(/(?<=[.!?;])\s+/)
    .flatMap((sentence) => sentence.split(/\s*,\s*|\s+-\s+|\s+(?:and|also|but|then)\s+/))
    .map((s) =>
      s
        .replace(/^[\s,]*(?:(?:so|and|but|ok|okay|hey|hi|oh|um|well|also|quick question|btw)\b[,\s]*)*/, '')
        .trim(),
    )
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/** A part that asks: by the question mark that closes it, or by its first words ("did I …", "is the …"). */
function asks(part: string): boolean {
  return (part.endsWith('?') || ASKS.test(part)) && !POLITE.test(part);
}

/** True when every part of the message asks, and none is a request asked politely. */
export function isQuestionOnly(message: string): boolean {
  const parts = partsOf(message);
  return parts.length > 0 && parts.every(asks);
}

// ——— 2. A date said of a task ———

/** Words that say a task is done, in any form: what a completion must have beside a date. */
const DONE_SAID =
  /\b(?:done|finish(?:ed)?|complete[ds]?|completing|tick(?:ed)?|check(?:ed)?\s+off|cross(?:ed)?|knock(?:ed)?\s+off|sorted|handled|taken care of|dealt with|out of the way|mark(?:ed)?|close[ds]?)\b/;

/** A verb in the past: "called mum on tuesday" says when it was done, not when it is due. */
const PAST_VERB = new RegExp(
  String.raw`^(?:(?:i|we|just|already|finally)\s+)*(?:\w{2,}ed|${IRREGULAR_PAST})\b`,
);

/** Words that put a day in the past: a completion may say when it happened ("walked the dog this morning"). */
const PAST_TIME =
  /\b(?:yesterday|this morning|earlier|ago|last\s+\w+|just now|already|at last|finally|tonight|today|this afternoon)\b/;

/** A new date stated: "is now …", "going to be on …", "moved to …", "instead". */
const DATE_STATED =
  /\b(?:is|are|'s)\s+now\b|\b(?:going to|gonna|has to|will)\s+be\s+on\b|\b(?:moved|pushed|rescheduled|changed|postponed)\s+(?:to|till|until)\b|\binstead\b/;

/**
 * A completion said with a day still to come and no done word is that task moved to that day. The day is looked
 * for beside the task's name: not in what the message adds ("walked the dog, add dog food for saturday"), nor
 * in the task's own title ("Swap Saturday shift"), nor in a question beside it ("what else is due tomorrow?").
 */
function dateNotDone(r: Resolved, message: string, adds: Step[], ctx: ReadContext): Resolved {
  const task = r.tasks[0];
  if (r.step.action.kind !== 'complete' || r.tasks.length !== 1 || !task) return r;
  const said = lower(tidyMessage(message));
  // "I've booked the dentist for the kids, first thing on the 12th": the task's own verb said done; the date is
  // the booked thing's.
  if (doneInItsVerb(message, [task]).length > 0) return r;
  // "… so the boiler inspection is now going to be on wednesday instead": a new date stated outweighs a verb in the
  // past said of something else ("I talked to the landlord").
  const moved = DATE_STATED.test(said) && !DONE_SAID.test(said);
  if (!moved && (DONE_SAID.test(said) || PAST_TIME.test(said) || PAST_VERB.test(said))) return r;
  const titleWords = new Set(keyWords(task.title).map((w) => w.word));
  const statements = partsOf(message).filter((part) => !asks(part));
  // "the school play is tomorrow …. bought the milk btw": the part that names the task says it done.
  const stems = new Set(keyWords(task.title).map((w) => w.stem));
  const doneSaid = (part: string) => PAST_VERB.test(part) && keyWords(part).some((w) => stems.has(w.stem));
  if (!moved && statements.some(doneSaid)) return r;
  const beside = wordsBesideTheChange(statements.join(', '), r, adds)
    .split(' ')
    .filter((word) => !titleWords.has(word))
    .join(' ');
  const due = parseQuickAdd(beside, { now: ctx.now, timezone: ctx.timeZone }).due_date;
  if (!due || due.slice(0, 10) <= localDate(ctx.now, ctx.timeZone)) return r;
  return { ...r, step: { ...r.step, action: { kind: 'update', edit: { due } } } };
}

/** Of these tasks, those whose title opens with the verb the message opens with, in the past ("finished …"). */
export function doneInItsVerb(message: string, tasks: Task[]): Task[] {
  // Said first ("posted the cards"), or of the thing ("mark the cards as posted", "the cards are posted").
  const said = new RegExp(
    String.raw`^(?:(?:i|we|just|finally|already|have|'ve|i've)\s+)*(\p{L}+ed|${IRREGULAR_PAST})\b|\b(?:as|been|got|is|are|was|were)\s+(?:all\s+)?(\p{L}+ed|${IRREGULAR_PAST})\b`,
    'u',
  )
    .exec(correctTypos(message).toLowerCase().trim())
    ?.slice(1)
    .find(Boolean);
  if (!said) return [];
  const verb = stem(said);
  return tasks.filter((t) => stem(normalize(t.title).split(' ')[0] ?? '') === verb);
}

// ——— 3. Two tasks named, one change asked ———

/** Changes aimed by a name or a mention; "it", "the second one" and "all …" were settled by other means. */
function namesOne(step: ChangeStep): boolean {
  return step.target.kind === 'name' || step.target.kind === 'mention';
}

/**
 * The message without what the turn adds or writes as words (a new title, a note): those name no task. Nor does
 * a reason: a sentence or clause of its own that does not name the task changed ("the rome trip isn't happening. scrap the
 * phrasebook task"), or what comes before "so" ("jake's quit football so scratch the shin pads").
 */
/** The end of a message that says which task the change is not for: ", not the car service", "but leave X". */
const NOT_THIS_ONE =
  /(?:^|,|\s-|\bbut)\s*(?:not|but not|and not|leave|don'?t\s+\S+|do not\s+\S+)\s+(?:the\s+|my\s+)?[^,.;!?]*[.!?]*$/i;

/** "sorry — not the car service, the car wash": a name said with "not" before it, anywhere. */
const NOT_X = /(?:^|[,;—–]|\s-)\s*(?:but\s+)?not\s+(?:the\s+|my\s+)?[^,.;!?—–]*/gi;

function wordsBesideTheChange(message: string, change: Resolved, adds: Step[]): string {
  const target = new Set(change.tasks.flatMap((t) => keyWords(t.title).map((w) => w.stem)));
  // ("the electrician's coming monday, and call the plumber is done", "bought the card, still need the present",
  // "…, the hall booking stays as it is", "…, mum's doctor is still monday", "finished the essay and started the lab
  // report": a clause of its own about another task is news of it, not a second name for this change.)
  const sentences = tidyMessage(message).split(
    /(?<=[.!?;])\s+|,\s*(?:and|but)\s+|,\s*(?=still\b|not yet\b|[^,]*\b(?:stays?|remains?|can stay|as it is|is fine|unchanged|(?:is|are|'s)\s+still)\b)|\s+(?:and|but)\s+(?=(?:(?:i|i've)\s+)?(?:just\s+)?(?:started|began|begun)\b)/i,
  );
  const naming = sentences.filter(
    (s) => keyWords(s).some((w) => target.has(w.stem)) && !/\b(?:is|are|'s)\s+still\b/i.test(s),
  );
  const said = (naming.length ? naming : sentences).map((s) =>
    s.replace(/^.*\s(?:so|which means)\s+(?=\S)/i, ''),
  );
  // ("set the car wash to high, not the car service", "called the doctor, not the dentist yet": what is said not to
  // change is no second name for this one.)
  let text = normalize(said.map((s) => s.replace(NOT_THIS_ONE, ' ').replace(NOT_X, ' ')).join(' '));
  const { action } = change.step;
  const written = [
    ...adds.map((a) => (a.kind === 'add' ? a.text : '')),
    ...(action.kind === 'update' ? [action.edit.title ?? '', action.edit.description ?? ''] : []),
  ];
  for (const words of written.map(normalize).filter(Boolean)) text = text.replace(words, ' ');
  return text;
}

/** Of a task's title words, the share said as they are (or by their stem) for it to be named in passing. */
const NAMED_SHARE = 0.75;

/**
 * Pending tasks other than the target whose titles the words name: most of their words said (or all but its
 * opening verb), two at least (all of a one-word title), not all of them words of the target's own title ("Buy milk" is not named by "buy
 * oat milk" beside "Buy oat milk").
 */
export function otherNamed(text: string, target: Task, known: readonly Task[]): Task[] {
  const said = new Set(keyWords(text).flatMap((w) => [w.word, w.stem]));
  const targetStems = new Set(keyWords(target.title).map((w) => w.stem));
  return known.filter((task) => {
    if (task.id === target.id || task.completed) return false;
    const title = keyWords(task.title);
    const found = title.filter((w) => said.has(w.word) || said.has(w.stem));
    // The verb a title opens with is often left out ("the quarterly report" of "Send the quarterly report").
    const allButVerb = found.length === title.length - 1 && !found.includes(title[0] as (typeof title)[0]);
    const share = found.length / title.length >= NAMED_SHARE || allButVerb;
    const enough = found.length >= Math.min(2, title.length) && share;
    return enough && found.some((w) => !targetStems.has(w.stem));
  });
}

// ——— 5. Negated, hedged or conditional ———

export const NOT_NOW =
  'That sounds like something not to do, or not yet, so I changed nothing. When you want it done, say it plainly: ' +
  '"move X to friday", "delete X".';

/** An add said not to be made, or only supposed. */
const NO_ADD =
  /\b(?:don'?t|do not|doesn'?t|no need to|never|not)\s+(?:need\s+to\s+|have\s+to\s+|bother\s+(?:to\s+)?)?(?:add|put|create|remind|jot|note)\b/;
/** An add on a condition said first: "if the weather's nice on saturday, add wash the car" ("remind me to take
 * an umbrella if it rains" is a task with its condition). */
const ADD_IF =
  /^(?:if|unless)\b[^,.;!?…]*(?:,|\.{2,}|…|\s[-–—]+\s)\s*(?:\S+\s+){0,3}?(?:add|put|remind|create|note|jot)\b/;
const HYPOTHETICAL =
  /\bif\s+i\s+(?:asked|wanted|told you|said so|were to)\b|\bhypothetically\b|\bin theory\b|\btheoretically\b/;

/** A part that is only a doubt, or a wish: "not sure yet", "no idea", "idk", "who knows", "i wish". */
const DOUBT =
  /^(?:(?:but|though|tho|well|hmm+|um+|ha+|haha+|lol)\s+)?(?:i'?m\s+|i\s+am\s+)?(?:not\s+(?:sure|certain|confirmed)|no\s+idea|idk|dunno|don'?t\s+know|(?:it'?s\s+)?unconfirmed|who\s+knows|tbc|tbd|to\s+be\s+confirmed|i\s+wish|if\s+only|as\s+if|yeah\s+right|in\s+my\s+dreams)(?:\s+(?:yet|tho|though|really|at\s+all|honestly|lol|tbh|about\s+(?:that|it|this)))*\s*[.!?…]*$/;

/** True when an add is read only from a need said in a hedge ("maybe I should call mum at some point"). */
function musedAdd(message: string, adds: Step[]): boolean {
  return (
    adds.length > 0 &&
    adds.every((s) => s.kind === 'add' && s.stated) &&
    HEDGED.test(withoutCourtesy(lower(message)))
  );
}

/** A verb of doing negated: "don't make", "can't call", "won't pay", "isn't on", "no need to move". */
const NEGATED =
  /\b(?:don'?t|do not|doesn'?t|does not|didn'?t|did not|haven'?t|have not|hasn'?t|has not|never|no need to|can'?t|cannot|can not|won'?t|will not|isn'?t|is not|aren'?t|not going to|not gonna|rather not|shouldn'?t|no longer)\b/;
/**
 * Courtesy that only softens a request: "could you possibly …", "… if that's ok", "… if you don't mind". Taken
 * out before a hedge is looked for, where "possibly" and "if" would otherwise make it one.
 */
const COURTESY =
  /\b((?:could|can|would|will) (?:you|u)) possibly\b|[,;]?\s*\bif (?:that'?s|thats|that is|it'?s|its|it is) (?:ok|okay|alright|all right|fine|cool|no trouble|not too much trouble)(?: with you)?\b(?=\s*(?:[.!?,;]|$))|[,;]?\s*\bif you (?:don'?t|do not|wouldn'?t) mind\b(?=\s*(?:[.!?,;]|$))/g;
const withoutCourtesy = (text: string) =>
  text.replace(COURTESY, (_, asked: string | undefined) => asked ?? '');

/** Said as a maybe, a plan not yet made, or what someone else wants ("my boss wants to move …"). */
const HEDGED =
  /\b(?:might|maybe|perhaps|possibly|probably|prob|at some point|eventually|one of these days|thought (?:about|of)|would prefer|prefers?|i'll see|we'll see|thinking (?:about|of)|considering|not sure|wondering|should i|should we|in case|should'?ve|should have|could'?ve|could have|could be(?!\s+(?:moved|pushed|changed|deleted|removed|marked|done|set|added|made|renamed|tagged|bumped)\b)|would'?ve|would have|do you (?:reckon|think)|what do you think|(?:a )?(?:bad|good) idea)\b|^(?:once|as soon as)\s|^when\s+(?:i|we)\b.*,|\b(?:you|u)\s+(?:already\s+)?(?:moved|changed|deleted|completed|added|renamed|marked|tagged)\b|\b(?:he|she|they|my\s+[a-z-]+)\s+(?:wants?|would like|asked|told me|said|says|suggested)\s+(?:to|me to|us to)\b|\b(?:he|she|they|my\s+[a-z-]+)\s+(?:wants?|would like|needs?)\s+(?:the|my|our|it|that|this)\b[^.!?]*\b(?:moved|pushed|changed|deleted|cancell?ed|renamed|rescheduled)\b|\bhaven'?t (?:agreed|decided|confirmed)\b|^(?:if|unless)\b|[,;]\s*(?:if|unless)\b(?!\s+(?:you|u)\s+(?:could|can|would|don'?t mind|wouldn'?t mind|please)\b|\s+possible\b)|\s(?:if|unless)\s+(?!(?:you|u|possible|needed|necessary|that'?s ok|thats ok)\b)/;
/** Negations that are not of the change: not done, not repeating, not urgent, not due until, not to be forgotten. */
const NOT_OF_THE_CHANGE =
  /\b(?:isn'?t|is not|aren'?t|not)\s+(?:yet\s+)?(?:done|finished|complete|completed)\b|\b(?:repeat|recur)|\bno longer (?:need|want|have)\b|\bdon'?t (?:let me )?forget\b|\b(?:isn'?t|is not|aren'?t|not)\s+(?:that\s+|so\s+|very\s+|really\s+)?(?:urgent|important|pressing|a priority|high priority)\b|\b(?:isn'?t|is not|not)\s+due\s+(?:until|till|til|before)\b/;
/** Not needed: a reason to delete a task, or to take something from it, never to move it. */
const NOT_NEEDED =
  /\b(?:don'?t|do not|no longer|won'?t)\s+(?:need|want|have)\b|\bno\s+(?:more\s+)?need\s+to\b|\b(?:isn'?t|is not|aren'?t|are not|won'?t be|will not be)\s+(?:happening|going ahead|needed|necessary|on(?=\s+(?:this|next)\s|\s+any\s?more|\s*$))\b|\b(?:won'?t|will not)\s+(?:happen|go ahead)\b/;
/** Words that ask for a change: a part with one of them, not negated, is the request. */
const ASKS_A_CHANGE =
  /\b(?:add|make|set|move|push|bump|delete|remove|cancel|drop|get rid|mark|complete|tick|cross|change|update|put|tag|rename|reschedule|postpone|lower|raise|knock|take|clear|scrap|switch|shift|repeats?|recurs?)\b/;

/**
 * True unless the change is said only negated or hedged. Each part of the message is looked at: "never mind,
 * delete it" and "cancel my haircut, I just cannot fit it in" ask plainly in one part.
 */
function meantAsSaid(resolved: Resolved[], message: string): boolean {
  const said = withoutCourtesy(lower(tidyMessage(message)));
  if (resolved.every((r) => r.step.action.kind === 'reopen')) return true;
  // Hedged where the change is said: "we'll do it in january probably. can you get rid of the nando's booking
  // task?" asks plainly in the sentence that names it.
  if (
    HEDGED.test(
      sentencesNaming(
        said,
        resolved.flatMap((r) => r.tasks),
      ),
    )
  )
    return false;
  if (!NEGATED.test(said)) return true;
  const titleWords = new Set(
    resolved.flatMap((r) => r.tasks.flatMap((t) => keyWords(t.title).map((w) => w.stem))),
  );
  const plain = partsOf(said.replace(/\s+so\s+/g, ', ')).some(
    (part) =>
      (!NEGATED.test(part) || NOT_OF_THE_CHANGE.test(part)) &&
      (ASKS_A_CHANGE.test(part) || keyWords(part).some((w) => titleWords.has(w.stem))),
  );
  if (plain) return true;
  // "I don't need to call mum anymore": not needed is a reason to delete it (asked about by rule 4).
  return (
    NOT_NEEDED.test(said) &&
    resolved.every((r) => r.step.action.kind === 'delete' || onlyTakesAway(r.step.action))
  );
}

/** An update that only takes something away from a task (its repeat, due date or tags) and sets nothing. */
export function onlyTakesAway(action: Action): action is Extract<Action, { kind: 'update' }> {
  if (action.kind !== 'update') return false;
  const keys = Object.keys(action.edit);
  return keys.length > 0 && keys.every((key) => key.startsWith('clear'));
}

// ——— 6. Taken back ———

export const TAKEN_BACK =
  'You took that back in the same message, so I changed nothing. Say what you want done when you’re sure.';

/** Words that take back what was said before them: "no wait", "actually no", "kidding", "as if", "I wish". */
const RETRACTION =
  /(?:no,?\s+wait|wait,?\s+no|oh\s+no,?\s+wait|actually,?\s+no|no,?\s+scratch that|scratch that|never ?mind|(?<!\b(?:who am i|who are we|no|you're|youre|are you|not)\s+)(?:just\s+)?(?:kiddin(?:g|')?|joking)|\bjk|not yet|(?<=[.!?;]\s*(?:\S+[.!?]\s*)?)(?:haven'?t|have not|not) even\b|i wish|as if|in my dreams|said no one ever|said the (?:guy|girl|woman|man|person|one) who|(?:actually,?\s+|no,?\s+)?(?:keep|leave) it(?:\s+(?:as is|alone|there|be))?[.!]*$|\bnot\.)/;

/** True when a retraction follows what the message said first ("delete X — actually no, keep it"). */
function takenBack(message: string, ctx: ReadContext): boolean {
  // ("Actually never mind, …, delete that": a take-back said first, after words that only open, is a request.)
  // ("add X monday, no wait, tuesday": a detail corrected in passing is no take-back.)
  const said = lower(correctedDetails(markLists(tidyMessage(message), ctx.lists), ctx))
    .trim()
    .replace(OPENING, '');
  const at = said.search(RETRACTION);
  // ("when is the dentist? never mind, move it to wednesday": a question asked is nothing to take back.)
  const before = said
    .slice(0, Math.max(at, 0))
    .replace(/[^.!?]*\?/g, ' ')
    .trim()
    .replace(OPENING, '');
  return at > 0 && /[\p{L}\p{N}]/u.test(before);
}

// ——— 7. Someone else's, or the past ———

export const NOT_YOURS =
  'That reads as news (someone else’s plans, something past, a try that did not work, or something done only in part), so I ' +
  'changed nothing. To change one of your ' +
  'tasks, say it plainly: "move X to friday", "mark X done".';

/** Long past: "last week", "last month", "last summer", "in october", "… ago", "last time". */
const LONG_AGO =
  /\blast\s+(?:week|month|year|summer|winter|spring|autumn|fall|time|season)\b|\bago\b|\bin\s+(?:january|february|march|april|may|june|july|august|september|october|november)\b|\bused to\b|\bwhen i was\b/;
/** Past, for a date: even "last week" or "yesterday" is no new date ("the last one" is a place in a list). */
const PAST_FOR_A_DATE = /\blast\s+(?!(?:one|ones|task|item|thing)\b)\w+|\byesterday\b|\bago\b|\bused to\b/;
/**
 * Done by someone else towards the user, which is not the user's task done: "missed call from mum", "got a call
 * from the bank", "got an email from the landlord", "got texted by jake".
 */
const INCOMING =
  /\bmissed\s+(?:a\s+)?calls?\b|\b(?:got|had|received|receive|get)\s+(?:a|an|the|another|one|two|\d+)?\s*(?:call|email|e-mail|text|message|voicemail|letter|reply|callback|dm)s?\b|\bgot\s+(?:called|emailed|texted|messaged|rung|phoned|contacted)\b|\b(?:call|email|text|message|voicemail)s?\s+(?:from|frm)\b/;
/**
 * Who gave a view, in reported speech: "jess thinks …", "my boss says the report can wait …" (what someone says
 * may or can be; what they say is so, "the landlord said the inspection is on tuesday now", is news of it).
 */
const REPORTED =
  /\b(?:my\s+|our\s+|the\s+)?([a-z]+)\s+(?:(?:thinks|thought|reckons|reckoned|suggests|suggested|feels)\b|(?:says|said|told me|mentioned)\b(?=.*\b(?:can|could|should|might|may|would)\s+(?:wait|slip|move|go|be)\b))/;

/** Words ending in "s" that are no one's: "this", "yes", "thanks", plurals of things ("bins", "groceries"). */
const NOT_POSSESSIVE = new Set(
  'this is was has its his hers yours ours theirs as us yes plus less unless always perhaps thanks pls plz bus gas kids parents bins groceries keys glasses clothes taxes bills news days weeks tasks taks todos items things'.split(
    ' ',
  ),
);

/** Tried and not done: "my passport renewal got rejected", "payment declined", "fix attempt failed". */
const FAILED =
  /\b(?:fail(?:ed|s)?|rejected|denied|declined|bounced|refused|turned down|unsuccessful|no luck|fell through|didn'?t (?:go through|work)|did not (?:go through|work)|won'?t (?:go through|work|accept))\b|\btried to\b|\b(?:nobody|no one|noone) (?:picked up|answered)\b|\b(?:didn'?t|did not|wouldn'?t|won'?t|never)\s+(?:pick(?:ed)?\s+up|answer(?:ed)?)\b|\bno answer\b|\bwent to voicemail\b|\bcouldn'?t get through\b|\bwent (?:to|over to|down to|round to)\b[^.!?]*\bbut\b|\b(?:was|were) (?:shut|closed)\b/;
/** Done in part: "half the garage is cleaned", "mostly packed". (A title's own "half", "Run a half marathon", is not.) */
const PART = /\b(?:half|halfway|partly|partially|mostly|almost|nearly|most of|some of|part of)\b/;

function partly(near: string, tasks: readonly Task[]): boolean {
  const title = new Set(tasks.flatMap((t) => keyWords(t.title).map((w) => w.word)));
  return PART.test(near.replace(/[\p{L}]+/gu, (word) => (title.has(word) ? ' ' : word)));
}

/** Not the user's own: a task of that kind in general, or of another team. (Owners are read by ownNow.) */
const SOMEONE_ELSES =
  /\b(?:would|does) it make sense\b|\bthe other\b|\bfor (?:most|many|some|all) \w+|\bin general\b/;

/** The sentences of a message that name one of the tasks (by a key word of its title), or all of it when none do. */
function sentencesNaming(said: string, tasks: readonly Task[]): string {
  const stems = new Set(tasks.flatMap((t) => keyWords(t.title).map((w) => w.stem)));
  const naming = said.split(/(?<=[.!?;])\s+/).filter((s) => keyWords(s).some((w) => stems.has(w.stem)));
  return naming.length > 0 ? naming.join(' ') : said;
}

/** The clauses of a message that name one of the tasks (by a key word of its title), or all of it when none do. */
export function clausesNaming(said: string, tasks: readonly Task[]): string {
  const stems = new Set(tasks.flatMap((t) => keyWords(t.title).map((w) => w.stem)));
  const naming = said
    .split(/\s*[.,;!?]+\s*/)
    .filter((clause) => keyWords(clause).some((w) => stems.has(w.stem)));
  return naming.length > 0 ? naming.join('. ') : said;
}

/** True when a change read from a statement is the user's own, about now, and not a remark beside an add. */
/** A number of things: "three night shifts", "2 long shifts", "a few calls". */
const COUNTED =
  /\b(?:two|three|four|five|six|seven|eight|nine|ten|several|many|a few|a couple of|\d+)\s+(?:[\p{L}'-]+\s+){0,2}([\p{L}'-]+s)\b/gu;

/** True when the words count several of a thing a task's title names ("three night shifts" of "Night shift"). */
function countedOf(said: string, tasks: readonly Task[]): boolean {
  const titles = new Set(tasks.flatMap((t) => keyStems(t.title)));
  return [...said.matchAll(COUNTED)].some((m) => keyStems(m[1] as string).some((word) => titles.has(word)));
}

/** Someone away or unable until a day: "is away till the 10th", "she's off sick until monday". */
const AWAY =
  /\b(?:is|are|'s|was|will be|be)\s+(?:away|off|out|abroad|travell?ing|on (?:holiday|vacation|leave)|(?:off\s+)?sick|ill|in hospital)\b/;

/** A move asked or agreed beside it: "…, so we've agreed to move the review to monday". */
const ASKED_TO_MOVE = /\b(?:move|push|reschedule|postpone|change|bring)\b/;

function ownNow(r: Resolved, message: string, adding: boolean): boolean {
  const said = lower(tidyMessage(message));
  const { action } = r.step;
  // ("…, the appraisal needs to go to thursday, and add …", "… and tag the car service car": asked in words of need
  // or of a command, not a remark.)
  if (
    adding &&
    action.kind === 'update' &&
    !/\b(?:needs? to|has to|have to|should|must|move|moved|push|changed|not|instead|now|actually|tag|label)\b/.test(
      said,
    )
  )
    return false;
  // When it happened, and how, is read in the clauses that name the task: "after last term" in another sentence
  // says nothing of "the meeting is at 5 now".
  const near = clausesNaming(said, r.tasks);
  if (LONG_AGO.test(near)) return false;
  if (action.kind === 'update' && PAST_FOR_A_DATE.test(near)) return false;
  // "Tom's mum is away at her sister's till the 10th": where someone is until a day, not when the task is due.
  if (action.kind === 'update' && AWAY.test(near) && !ASKED_TO_MOVE.test(near)) return false;
  // "my boss says the report can wait till monday": someone's word on the task, not the user's change. (The one
  // the task is with may say it: "the plumber says he's coming friday" of "Plumber visit".)
  const speaker = REPORTED.exec(near)?.[1];
  if (speaker && !r.tasks.some((t) => keyWords(t.title).some((w) => w.word === speaker))) return false;
  if (action.kind === 'complete' && (INCOMING.test(near) || FAILED.test(near) || partly(near, r.tasks)))
    return false;
  // "so tired after three night shifts in a row": a count of them done, not the one task on the list.
  if (action.kind === 'complete' && countedOf(near, r.tasks)) return false;
  // "I deleted the car wash from my calendar": taken away somewhere else, not done (unless that is the task).
  if (
    action.kind === 'complete' &&
    /\b(?:deleted|removed|erased)\b/.test(near) &&
    !r.tasks.some((t) => /^(?:delete|remove|erase)\b/i.test(t.title))
  )
    return false;
  if (SOMEONE_ELSES.test(said)) return false;
  // Someone else's task of that name: "my sister's dentist appointment", "Tom's flight", "his gym session" (an
  // owner said just before the task's words, and no word of its title).
  const title = new Set(r.tasks.flatMap((t) => keyWords(t.title).map((w) => w.stem)));
  const titles = r.tasks.map((t) => ` ${normalize(t.title)} `).join(' ');
  // ("toms car service is mon": a possessive typed without its apostrophe, at the start of a statement and just
  // before the task's whole title; "heads up the …" and "business cards → high" are no one's.)
  const bare = /^([\p{L}]{2,})s\s+/u.exec(said);
  const before =
    bare &&
    !NOT_POSSESSIVE.has(bare[0].trim()) &&
    r.tasks.some((t) => normalize(said.slice(bare[0].length)).startsWith(normalize(t.title)));
  const unmarked = before ? said.replace(/^([\p{L}]{2,})s\s+/u, "$1's ") : said;
  const owned = [
    ...unmarked.matchAll(/\b(?:([\p{L}]+)'s|(his|her|their))\s+((?:[\p{L}-]+\s+){0,2}[\p{L}-]+)/gu),
  ];
  return !owned.some(([, owner, pronoun, words]) => {
    // The task's own ("Take the dog for his booster", "Mum's birthday card") or a contraction ("that one's done").
    if (pronoun)
      return !titles.includes(` ${pronoun} `) && keyWords(words as string).some((w) => title.has(w.stem));
    if (/^(?:it|that|there|what|who|he|she|let|here|one|today|tomorrow|mum|mom|dad)$/.test(owner as string))
      return false;
    if (keyWords(owner as string).some((w) => title.has(w.stem))) return false;
    return keyWords(words as string).some((w) => title.has(w.stem));
  });
}
