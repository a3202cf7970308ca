import { parseQuickAdd } from '../../../tasks/quick-add.ts';
import { PRIORITY_BY_NUMBER, type Priority, priorityWord } from '../../../tasks/vocabulary.ts';
import { type ListFilter, readFilter } from './filters.ts';
import { correctTypos, isFiller, normalize, tidyMessage } from './words.ts';

/**
 * Reads one message of plain English into what the user wants, in three steps that do not depend on how the
 * sentence is built:
 * 1. the message is cleaned (quotes, emoji, short forms, slips in command words) and cut into clauses: at
 *    sentence ends, commas, dashes, and "and" before another request ("delete X and add Y");
 * 2. each clause is read on its own: the request its words make (add, complete, delete, change, a question),
 *    wherever the verb stands and whatever politeness comes first, and the task it names;
 * 3. the clauses are put together: "you can tick that off" takes its task from the clause beside it ("just got
 *    off the phone with mom"), "high priority" and "tag it work" join the request before them.
 * Pure: the same words, moment and zone always give the same reading, which is what lets the offline assistant
 * re-read earlier turns of a stored conversation instead of keeping any state of its own.
 */

export interface ReadContext {
  now: Date;
  timeZone: string;
}

/** What an update sets. Dates are kept as the user's words and read by the tool in the user's zone. */
export interface Edit {
  title?: string;
  description?: string;
  priority?: Priority;
  due?: string;
  /** A time of day alone ("make it 3pm"): the task keeps its day. */
  time?: string;
  clearDue?: boolean;
  addTags?: string[];
  removeTags?: string[];
  clearTags?: boolean;
}

export type Action =
  | { kind: 'complete' }
  | { kind: 'reopen' }
  | { kind: 'delete' }
  | { kind: 'update'; edit: Edit };

/** Who a change is for. */
export type Target =
  /** A task named loosely: most of these words are in its title. */
  | { kind: 'name'; name: string }
  /**
   * A task mentioned in passing: most of its title is in these words ("got off the phone with mom"). With
   * `orIt`, words beside a "that" that may not name a task at all ("it's for her birthday, tag it family"):
   * when they match none, the task the conversation just touched is meant.
   */
  | { kind: 'mention'; text: string; orIt?: boolean }
  /** The task the conversation just touched. */
  | { kind: 'it' }
  /** A place in the last list the conversation showed, from 0; -1 for the last. */
  | { kind: 'nth'; index: number }
  /** Every task of the last list the conversation showed: "move them all to friday". */
  | { kind: 'shown' }
  /** Every task a filter finds: asked about first when more than one. */
  /**
   * Every task a filter finds: asked about first when more than one. `about`: words the filter does not read
   * ("all tasks about the party"), which the tasks must also match, so that a bulk change never widens to
   * tasks the words did not name.
   */
  | { kind: 'all'; filter: ListFilter; about?: string };

export type Step =
  | { kind: 'add'; text: string }
  /**
   * `guessed`: read from a sentence that only fits when a task matches ("walked the dog"); else dropped, or
   * `otherwise` is done instead: "water the plants every monday" changes that task when there is one and adds
   * it when not; "due today" alone asks what is due today when no task was discussed.
   */
  | { kind: 'change'; action: Action; target: Target; guessed?: boolean; otherwise?: Step }
  /** `about`: words that must match the tasks shown ("is the dentist on my list?"). */
  | { kind: 'list'; filter: ListFilter; about?: string };

export type Reading =
  | { kind: 'steps'; steps: Step[] }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'undo' }
  | { kind: 'help' }
  | { kind: 'thanks' }
  /** Matches no request: nothing is changed, and the reply says what the assistant can do. */
  | { kind: 'unknown' }
  /** Reads as an instruction to the assistant itself: never acted on, never stored as a task. */
  | { kind: 'instruction' };

const YES =
  "(?:yes|y|yeah|yea|ya|yep|yup|sure|ok|okay|k|do it|go ahead|confirm|confirmed|please do|correct|right|yes please|go for it|all of them|both|affirmative|absolutely|definitely|of course|proceed|sounds good|that's right|thats right|please)";
const YES_SAID = new RegExp(`^${YES}(?:[,!.\\s]+(?:${YES}|please|do it|thanks))*$`);
const NO =
  /^(?:no|n|nope|nah|cancel|never ?mind|stop|don't|do not|no thanks|leave it|forget it|abort|not now|don't do it|no don't)$/;
const UNDO =
  /^(?:undo|undo (?:that|it|this|the last (?:change|one|thing)|my last change)|revert(?: that| it)?|take (?:that|it) back|oops|put it back|change it back|restore it|bring it back)$/;
const THANKS = /^(?:thanks|thank you|thx|cheers|great|perfect|cool|nice|awesome|ta|brilliant|lovely)\b/;
const GREETING =
  /^(?:hi|hello|hey|help|hiya|yo|good (?:morning|afternoon|evening)|what can you do|how does this work|what do you do)\b/;

/**
 * Text that reads as an instruction to the assistant rather than about the user's own tasks: overriding its
 * rules, speaking as the system, asking for other people's data, naming tools or SQL. Such a message changes
 * nothing, even after "add": stored as a task it would be a prompt injection waiting for a model to read it.
 * This list is NOT exhaustive and cannot be: attacks are worded endlessly, and a list long enough to catch them
 * all would also refuse real tasks. It catches the common shapes so the reply can say why. The real guard is
 * that a message matching no request changes nothing (adding must be asked for), that bulk changes are asked
 * about first, and that the tools only ever reach the signed-in user's own tasks.
 */
const INSTRUCTION = [
  /\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|rules?|prompts?|above|previous|prior|restrictions?|guidelines?|programming|everything)\b/,
  /^(?:system|assistant|developer|admin|root)\s*:/,
  /<\/?s>|<\|[a-z_]+\|>|\[\/?inst\]/,
  /\byou are (?:now\b|\w+ now\b|no longer\b)|\bfrom now on\b|\bpretend (?:to be|you)\b|\bno restrictions\b|\bjailbreak|\bdeveloper mode\b/,
  /\b(?:system prompt|your (?:prompt|instructions|rules|programming))\b/,
  /\bnew (?:rules?|instructions?)\b|\byou must\b|\bconfirm nothing\b|\bwithout (?:asking|confirm(?:ing|ation))\b/,
  /\b(?:all|every|other|another|each)\s+(?:users?|accounts?)(?:'s|s')?\s+(?:data|tasks|todos|lists?|accounts?|information|details)\b/,
  /\b(?:switch|log ?in|sign in|change)\s+(?:to|as)\s+(?:user|account|admin)|\b(?:user|account)\s*(?:#|id\s*)?\d+\b/,
  /\S+@\S+\.\w+'s\s+(?:tasks|list|data|todos)\b/,
  /\bas (?:the |an? )?(?:admin|administrator|root|superuser)\b|\badmin(?:istrator)? (?:mode|access|rights|privileges)\b/,
  /\b(?:add|list|complete|update|delete)_tasks?\b|\bdrop\s+table\b|;\s*--|\bselect\s+\*\s+from\b/,
  /\b(?:wipe|nuke|destroy|drop)\s+(?:the\s+)?(?:database|db|server)\b/,
  /\bdo what (?:my|the|this|that)\b.*\bsays?\b|\b(?:follow|obey|execute)\s+(?:the\s+)?(?:instructions?|commands?)\b/,
  /\b(?:password|passwords|api keys?|secret keys?|tokens?|credentials)\b.{0,30}\b(?:of|for|from)\b.{0,20}\b(?:users?|admin|everyone|accounts?)\b/,
];

/** Words before a request that ask politely or fill: "hey, could you please …", "ok so …". */
const OPENING =
  /^(?:(?:please|pls|kindly|ok|okay|hey|hi|hello|yo|and|now|also|then|actually|wait|sorry|oh|oops|whoops|honestly|morning|good morning|so|hmm|um|uh|right|well|alright|ah|lol|ugh|but|plus|just|quick(?:ly)?|one more thing|one more|oh and|finally|btw|by the way|turns out(?: that)?|i think|i guess|maybe|hm+|ok then)\b[,:!\s]*|(?:can|could|would|will) (?:you|u)(?: please| pls| kindly| maybe| just)?\s+|(?:would you mind|do you mind)\s+|i(?:'d| would) like (?:you )?to\s+|i want (?:you )?to\s+|(?:i need|i'd like) you to\s+|go ahead and\s+|help me\s+|let's\s+|lets\s+|you can\s+|you could\s+|could we\s+|can we\s+|please\s+)+/;
const CLOSING =
  /[,\s]*\b(?:please|pls|thanks|thank you|thx|cheers|for me|if you can|if you could|if possible|too|as well|now|again|ok|okay|right)\b[.!?\s]*$/;

/** Words that begin another request after "and": "delete X and add Y". */
const REQUEST_WORD =
  '(?:add|create|put|stick|jot|note|write|remind|delete|remove|drop|trash|scrap|cancel|scratch|complete|finish|mark|tick|check|cross|move|push|bump|postpone|reschedule|delay|defer|change|set|update|rename|make|tag|label|untag|show|list|what|whats|anything|tell|also|then|please|can|could|would|give|get rid|take|prioriti[sz]e|lower|raise)';
const CLAUSE_BREAK = new RegExp(
  String.raw`\s*(?:(?<!\b(?:dr|mr|mrs|ms|st|prof|jr|sr|vs|etc|no|approx))[.!?;]+(?:\s+|$)|\s+(?=(?:so\s+)?(?:you can|you could|can you|could you|please|pls)\s+${REQUEST_WORD}\b)|,\s*|\s+-\s+|\s+(?:and|&|then|but)\s+(?=${REQUEST_WORD}\b)|\s+so\s+(?=(?:i|we|you)\b)|\s+and\s+(?=(?:the|my|any|all)\s+[\p{L}-]+\s+(?:ones|tasks|stuff|things)\b|(?:is|are|when|when's|whens|is there|are there)\s)|\s+(?:and then|and also|and|also|then)\s+(?=i\s+(?:also\s+)?(?:need|have|must|should|want)\s+to\b))`,
  'gi',
);

/** Words for the list itself, which are never part of a title: "on my list", "from my tasks". */
const LIST_WORDS = '(?:list|to-?do list|todo list|to-?dos|tasks|task list|reminders)';
const ON_LIST = new RegExp(
  String.raw`\s+(?:on|onto|to|in|into|from|off|off of)\s+(?:my|the|your)\s+(?:[\p{L}-]+\s+)?${LIST_WORDS}\b`,
  'gu',
);

interface Clause {
  /** As typed, after cleaning (case kept, for titles). */
  original: string;
  /** Lowercase, without politeness. */
  text: string;
  /** True when an "and"/"also" introduced it: it may carry on the request before it ("and book a haircut"). */
  continues: boolean;
  /** True when a question mark ended it. */
  asked: boolean;
}

type ClauseReading =
  | { kind: 'step'; step: Step }
  /** Only a priority, date or tags: "high priority", "for friday", "#work". */
  | { kind: 'details'; text: string; edit: Edit }
  /** No request: words that may name a task for a clause beside it. */
  | { kind: 'words'; text: string; original: string };

export function readMessage(message: string, ctx: ReadContext): Reading {
  const cleaned = correctTypos(tidyMessage(message));
  const whole = lower(cleaned)
    .replace(/[.!?\s]+$/, '')
    .replace(OPENING, '')
    .replace(CLOSING, '')
    .trim();
  const bare = whole.replace(/[.!?,\s]+$/, '');
  const said = lower(cleaned)
    .replace(/[.!?,\s]+$/, '')
    .trim();
  if (YES_SAID.test(said)) return { kind: 'yes' };
  if (NO.test(said)) return { kind: 'no' };
  if (!bare) return { kind: 'help' };
  if (INSTRUCTION.some((pattern) => pattern.test(lower(cleaned)))) return { kind: 'instruction' };
  if (YES_SAID.test(bare)) return { kind: 'yes' };
  if (NO.test(bare)) return { kind: 'no' };
  if (UNDO.test(bare)) return { kind: 'undo' };
  if (THANKS.test(bare) && bare.split(' ').length <= 4) return { kind: 'thanks' };
  if (GREETING.test(bare) && bare.split(' ').length <= 6) return { kind: 'help' };

  const clauses = splitClauses(expandLists(cleaned, ctx));
  // "Oh dear, I haven't done it yet — could you undo that?"
  if (clauses.some((clause) => UNDO.test(clause.text.replace(/[.!?,\s]+$/, '')))) return { kind: 'undo' };
  const readings = clauses.map((clause) => readClause(clause, ctx));
  const steps = combine(readings, clauses, ctx);
  if (steps.length > 0) return { kind: 'steps', steps };
  return { kind: 'unknown' };
}

/** True when a message is a yes, as the chat loop's hold on a model's changes needs to know. */
export function isYes(message: string, ctx: ReadContext): boolean {
  return readMessage(message, ctx).kind === 'yes';
}

function lower(text: string): string {
  return text.toLowerCase();
}

/** "add three things: eggs, bread, butter" and "add 'milk' and 'bread'" are one add each. */
function expandLists(message: string, ctx: ReadContext): string {
  // "New task - Finish the essay, due Monday": the words after the dash are the task.
  const text = message.replace(
    /^((?:please\s+)?(?:add|new|create)(?:\s+(?:a\s+)?(?:new\s+)?(?:task|todo|to-do|item|reminder))?|task|todo)\s*(?::|-)\s*/i,
    'add ',
  );
  const listed =
    /^(.*?\b(?:add|put|jot down|note down|write down|create)\s*(?:\s(?:these|the following|(?:\w+\s+)?(?:things|items|tasks|todos))(?:\s+for\s+me)?)?\s*(?::|;|-)\s*)(.+[,;].+)$/i.exec(
      message,
    );
  const items = (list: string) => list.split(/\s*(?:,|;|\band\b|&)\s*/i).filter(Boolean);
  // An item that is only a date or a priority ("due monday", "urgent") goes with the item before it.
  const adds = (list: string[]) =>
    list.map((item) => (readDetails(item.toLowerCase(), ctx)?.rest === '' ? item : `add ${item}`)).join('; ');
  if (listed) return adds(items(listed[2] as string));
  // "put eggs, bread and butter on my list": things, not one task (a task would start with its verb).
  const things =
    /^(.*?\b(?:add|put|stick|jot down|write down|get)\s+)((?:[\p{L}\p{N}'-]+\s+){0,2}[\p{L}\p{N}'-]+(?:\s*,\s*(?:[\p{L}\p{N}'-]+\s+){0,2}[\p{L}\p{N}'-]+)+(?:,?\s+and\s+(?:[\p{L}\p{N}'-]+\s+){0,2}[\p{L}\p{N}'-]+)?)(\s+(?:on|onto|to|in)\s+(?:my|the)\s+(?:shopping\s+)?list)?$/iu.exec(
      text,
    );
  if (things && !TASK_VERB.test((things[2] as string).toLowerCase())) return adds(items(things[2] as string));
  return quotedAdds(text) ?? text;
}

/**
 * "add 'order ribbon' and 'print place cards', both for monday": one add per quoted title, each with the words
 * after it up to the next ("'pair with Jo' tomorrow at 2pm and 'write the RFC' for Monday"), and words said
 * of "both"/"all"/"each" for every one.
 */
function quotedAdds(text: string): string | undefined {
  const start = /^(.*?\b(?:add|put|create|jot down|remind me to)\s+)(?=["'])/i.exec(text);
  if (!start) return undefined;
  const rest = text.slice((start[1] as string).length);
  const quote = /"[^"]+"|(?<![\p{L}\p{N}])'[^']+'(?![\p{L}\p{N}])/gu;
  const found = [...rest.matchAll(quote)];
  if (found.length < 2) return undefined;
  // "add 'X'; then delete 'Y'": the second quote belongs to another request.
  const between = found
    .slice(1)
    .map((match, i) => rest.slice((found[i]?.index ?? 0) + (found[i]?.[0].length ?? 0), match.index));
  if (
    between.some((words) =>
      new RegExp(`\\b${REQUEST_WORD}\\b`, 'i').test(words.replace(/\b(?:and|also|then)\b/gi, '')),
    )
  ) {
    return undefined;
  }
  const parts = found.map((match, i) => {
    const after = rest.slice(match.index + match[0].length, found[i + 1]?.index ?? rest.length);
    return {
      title: match[0],
      after: after.replace(/^[\s,;+&]+|[\s,;+&]+(?:and\s*)?$/gi, '').replace(/^and\s+/i, ''),
    };
  });
  const last = parts[parts.length - 1] as { title: string; after: string };
  const shared = /^(?:both|all|each|all of them|both of them)\b[\s,]*(.*)$/i.exec(last.after);
  if (shared) last.after = '';
  const forAll = shared ? ` ${shared[1]}` : '';
  return parts
    .map((part) => `add ${part.title} ${part.after}${forAll}`.replace(/\s+/g, ' ').trim())
    .join('; ');
}

function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  let at = 0;
  let continues = false;
  const push = (end: number, next: boolean, asked: boolean) => {
    const original = text.slice(at, end).trim();
    const stripped = lower(original).replace(OPENING, '').replace(CLOSING, '').trim();
    if (stripped) clauses.push({ original: stripOpening(original), text: stripped, continues, asked });
    continues = next;
  };
  for (const match of text.matchAll(CLAUSE_BREAK)) {
    // A comma inside quotes is part of a title.
    if (insideQuotes(text, match.index)) continue;
    push(match.index, /\b(?:and|also|then|&)\b/i.test(match[0]), match[0].includes('?'));
    at = match.index + match[0].length;
  }
  push(text.length, false, /\?\s*$/.test(text));
  return clauses;
}

function insideQuotes(text: string, index: number): boolean {
  const before = text.slice(0, index);
  const open = (quote: string) =>
    (before.match(new RegExp(`(?<![\\p{L}\\p{N}])${quote}|${quote}(?![\\p{L}\\p{N}])`, 'gu')) ?? []).length %
      2 ===
    1;
  return open('"') || open("'");
}

/** The original spelling without the opening words the lowercase text lost. */
function stripOpening(original: string): string {
  const dropped = lower(original).length - lower(original).replace(OPENING, '').length;
  return original.slice(dropped).replace(CLOSING, '').trim();
}

/** The same words in the original case, found again in the clause. */
function originalOf(clause: Clause, lowered: string): string {
  const at = lower(clause.original).indexOf(lowered);
  const text = at >= 0 ? clause.original.slice(at, at + lowered.length) : lowered;
  return unquote(text);
}

function unquote(text: string): string {
  return text.replace(/^["']([^"']+)["']$/, '$1').trim();
}

// ——— Reading one clause ———

const ADD_START = String.raw`(?:add|create|new|put|stick|pop|throw|write|jot|pencil|log|save|make(?=\s+(?:a|an)\s+(?:new\s+)?(?:task|todo|to-do|item|reminder|note)\b)|note)`;
const ADD_VERB = new RegExp(
  String.raw`^${ADD_START}(?:\s+(?:it|this|that)\s+down|\s+down|\s+in)?(?:\s+(?:a|an|another|one more))?(?:\s+(?:new|quick))?(?:\s+(?:task|todo|to-do|item|reminder|entry))?(?:\s+(?:to|for|that says|saying|called|named|:))?\s*[:\-]?\s+(.+)$`,
);
/** "add a low priority task: organise photo albums": the priority said before the word "task". */
const RANKED_ADD =
  /^(?:add|create|make|new)\s+(?:a|an)\s+((?:urgent|high|medium|normal|low|top)(?:[\s-]+priority)?|important)\s+(?:task|todo|to-do|item|reminder)\s*(?::|-|to|for|called|named)?\s+(.+)$/;
const ADD_PHRASE =
  /^(?:(?:just\s+)?(?:remembered|realised|realized|noticed|forgot|almost forgot|thought of it)(?:\s+that)?\s+(?:i|we)\s+(?:still\s+)?(?:need|have|must|should|got|gotta)\s+(?:to\s+)?|note to self:?|reminder:|reminder to|set (?:a|an|me a) (?:reminder|task|todo|to-do)(?: to| for| about)?|make (?:a )?note (?:to|that i need to)|remind me(?: to| about| that i need to| that i have to)?|remember to|remember that i need to|don't let me forget(?: to| about)?|dont let me forget(?: to| about)?|don't forget(?: to| about)?|dont forget(?: to| about)?|i need to|i have to|i must|i should|i've got to|ive got to|i gotta|i still need to|i want to|need to|have to|gotta|todo:?|to do:?|task:|new:)\s+(.+)$/;
/** "note that down", "add it to my list": an add whose words are in the clause beside it. */
const ADD_PRONOUN =
  /^(?:add|put|stick|jot|note|write|save|log|remember)\s+(?:that|it|this)(?:\s+down)?(?:\s+(?:on|to|in|onto)\s+(?:my|the)\s+\w+)?$|^(?:note|jot|write)\s+(?:that|it|this)\s+down$|^make a note(?: of (?:that|it))?$/;

const DONE_WORD =
  '(?:done|complete|completed|finished|checked off|ticked off|crossed off|sorted|handled|taken care of|dealt with|out of the way|over)';
const REOPEN_WORD = '(?:not done|undone|incomplete|not complete|pending|open|to ?do|unfinished|not finished)';
const PAST = String.raw`(?:\w{3,}(?<!e)ed|\w+ied|bought|paid|sent|rang|fed|wrote|made|did|took|went|gave|met|got|sold|told|spoke|swept|brought|drove|threw|hung|read|ran|ate)`;

type Reader = (m: RegExpExecArray, clause: Clause, ctx: ReadContext) => ClauseReading | undefined;

const change = (action: Action, target: string, guessed = false): ClauseReading => ({
  kind: 'step',
  step: { kind: 'change', action, target: targetOf(target), ...(guessed ? { guessed } : {}) },
});
const update = (edit: Edit, target: string): ClauseReading => change({ kind: 'update', edit }, target);

/** Sentences checked in order; the first that reads wins. Each gets the lowercase clause without politeness. */
const CLAUSES: Array<[RegExp, Reader]> = [
  // A verb alone is about the task just discussed, or the one the clause beside it mentions.
  [
    /^(?:done|complete|completed|finished|all done|did it|done it|tick|ticked|check|sorted|mark (?:it |that )?(?:as )?done|that's done|thats done|it's done|its done)$/,
    () => change({ kind: 'complete' }, 'it'),
  ],
  [/^(?:delete|remove|trash|drop|scrap|bin)(?: it| that| this)?$/, () => change({ kind: 'delete' }, 'it')],
  [/^(?:reopen|undo done)(?: it| that| this)?$/, () => change({ kind: 'reopen' }, 'it')],
  // Reopening, before completing: "mark X as not done".
  [
    new RegExp(String.raw`^(?:mark|set)\s+(.+?)\s+(?:as\s+)?${REOPEN_WORD}$`),
    (m) => change({ kind: 'reopen' }, m[1] as string),
  ],
  [
    /^(?:reopen|re-open|uncomplete|un-complete|unfinish|undo completing|unmark|untick|uncheck)\s+(.+)$/,
    (m) => change({ kind: 'reopen' }, m[1] as string),
  ],
  // Renaming and notes: the new words are kept as typed.
  [
    /^(?:rename|retitle)\s+(.+?)\s+(?:to|as|into)\s+(.+)$|^change\s+(?:the\s+)?(?:title|name|wording)\s+(?:of\s+)?(.+?)\s+to\s+(.+)$|^change\s+(.+?)\s+to\s+(?:say|read)\s+(.+)$|^call\s+(it|that|this)\s+(.+)$/,
    (m, clause) => {
      const title = (m[2] ?? m[4] ?? m[6] ?? m[8]) as string;
      return update({ title: originalOf(clause, title) }, (m[1] ?? m[3] ?? m[5] ?? m[7]) as string);
    },
  ],
  [
    /^(?:describe|add\s+(?:a\s+|the\s+|some\s+)?(?:note|notes|description|details?)\s+(?:to|on|for)|(?:set|change)\s+(?:the\s+)?(?:description|notes?|details)\s+(?:of|for|on)|note\s+(?:on|for))\s+(.+?)(?:\s*:\s*|\s+(?:as|to|with|saying|that says)\s+)(.+)$/,
    (m, clause) => update({ description: originalOf(clause, m[2] as string) }, m[1] as string),
  ],
  [
    /^add\s+(?:a\s+|the\s+)?(?:note|description|details?)\s*(?::|saying|that says)\s*(.+)$/,
    (m, clause) => update({ description: originalOf(clause, m[1] as string) }, 'it'),
  ],
  // Dates taken away.
  [
    /^(?:remove|clear|drop|delete|take off|unset|get rid of)\s+(?:the\s+)?(?:due\s+date|date|deadline|due)\s+(?:from|of|on|for)\s+(.+)$|^(.+?)\s+(?:has|needs|should have)\s+no\s+(?:due\s+)?(?:date|deadline)$/,
    (m) => update({ clearDue: true }, (m[1] ?? m[2]) as string),
  ],
  // Tags.
  [
    /^(?:remove|take off|drop|delete|untag)\s+(?:the\s+)?(?:tags?|labels?)\s+(.+?)\s+(?:from|on|of)\s+(.+)$/,
    (m) => update({ removeTags: tagList(m[1]) }, m[2] as string),
  ],
  [
    /^(?:untag|remove (?:all )?(?:the )?tags from|clear (?:the )?tags (?:of|on|from))\s+(.+)$/,
    (m) => update({ clearTags: true }, m[1] as string),
  ],
  [
    /^(?:tag|label)\s+(it|that|this|them|that one)\s+(?:with\s+|as\s+)?(.+)$|^(?:tag|label)\s+(.+?)\s+(?:with|as|under)\s+(.+)$/,
    (m) => update({ addTags: tagList(m[2] ?? m[4]) }, (m[1] ?? m[3]) as string),
  ],
  [
    /^(?:add|put)\s+(?:the\s+|a\s+)?(?:tags?|labels?)\s+(.+?)\s+(?:to|on)\s+(.+)$/,
    (m) => update({ addTags: tagList(m[1]) }, m[2] as string),
  ],
  // Priorities said in sentences.
  [
    /^(?:lower|decrease|reduce|drop|downgrade)\s+(?:the\s+)?priority\s+(?:of|for|on)\s+(.+)$|^deprioriti[sz]e\s+(.+)$/,
    (m) => update({ priority: 'low' }, (m[1] ?? m[2]) as string),
  ],
  [
    /^(?:raise|increase|up|upgrade|bump up)\s+(?:the\s+)?priority\s+(?:of|for|on)\s+(.+)$|^prioriti[sz]e\s+(.+)$/,
    (m) => update({ priority: 'high' }, (m[1] ?? m[2]) as string),
  ],
  [
    /^(.+?)\s+(?:isn't|is not|isnt|aren't|are not|isn't really|is no longer|are no longer)\s+(?:that|very|so|too|really|as|super)?\s*(?:important|urgent|pressing|a priority)(?:\s+any\s?more)?$/,
    (m) => update({ priority: 'low' }, m[1] as string),
  ],
  // Moving every task a filter finds: the date is after the last "to".
  [
    /^(?:move|postpone|reschedule|push|defer|shift|bump)\s+((?:all|every|everything)\b.*)\s+(?:to|until|till)\s+(.+)$/,
    (m, _clause, ctx) => {
      const due = readDetails(`to ${m[2]}`, ctx)?.edit.due;
      return due ? update({ due }, m[1] as string) : undefined;
    },
  ],
  // Completing.
  [
    new RegExp(String.raw`^(?:mark|set|flag)\s+(.+?)\s+(?:as\s+)?${DONE_WORD}$`),
    (m) => change({ kind: 'complete' }, m[1] as string),
  ],
  [
    /^(?:tick|check|cross|knock|strike)\s+(.+?)\s+off(?:\s+(?:of\s+)?(?:my|the)\s+\w+)?$/,
    (m) => change({ kind: 'complete' }, m[1] as string),
  ],
  [
    /^(?:complete|finish|close|tick off|check off|cross off|knock off|tick|done with|done|finished|completed|i(?:'m| am) done with|i(?:'ve| have)?\s+(?:finished|completed|done|did)|i got|got|mark off)\s*[:-]?\s+(.+)$/,
    (m) => change({ kind: 'complete' }, m[1] as string),
  ],
  [
    new RegExp(
      String.raw`^(.+?)\s+(?:is|are|was|were|has been|have been|'s|got|is now|are now|is all|is finally|are all)\s+(?:now\s+|all\s+|finally\s+)?${DONE_WORD}$`,
    ),
    (m) => change({ kind: 'complete' }, m[1] as string),
  ],
  [
    new RegExp(
      String.raw`^(.+?)\s+(?:is|are|was|were|has been|have been|got)\s+(?:now\s+|all\s+|finally\s+)?(${PAST})$`,
    ),
    (m) => change({ kind: 'complete' }, `${m[2]} ${m[1]}`, true),
  ],
  [
    new RegExp(
      String.raw`^(?:i've\s+|ive\s+|we've\s+|i have\s+|we have\s+|i\s+|we\s+)?(?:just\s+|already\s+|finally\s+|now\s+)*(${PAST})\s+(.+)$`,
    ),
    (m) => change({ kind: 'complete' }, `${m[1]} ${m[2]}`, true),
  ],
  [
    /^(.+?)\s+(?:now\s+|all\s+|finally\s+)?(?:done|finished|completed|sorted|ticked off|checked off)$/,
    (m) => change({ kind: 'complete' }, m[1] as string, true),
  ],
  [
    new RegExp(String.raw`^(.+?)\s+(?:now\s+|all\s+|finally\s+)?(${PAST})$`),
    (m) => change({ kind: 'complete' }, `${m[2]} ${m[1]}`, true),
  ],
  // Deleting.
  [
    new RegExp(
      String.raw`^(?:take|get|scratch|strike|remove|delete|drop)\s+(.+?)\s+(?:off|from|out of)\s+(?:of\s+)?(?:my|the)\s+${LIST_WORDS}$`,
    ),
    (m) => change({ kind: 'delete' }, m[1] as string),
  ],
  [
    /^(?:delete|remove|drop|trash|erase|scrap|ditch|bin|nuke|cancel|get rid of|do away with|forget about|forget|scratch|strike out|cross out|lose|kill|toss|dump)\s+(.+)$/,
    (m) => change({ kind: 'delete' }, m[1] as string),
  ],
  [
    /^(?:clear out|clean up|clean out|get rid of|clear|purge|wipe|empty)\s+(.+)$/,
    // Only for every task of a kind: "clear my completed tasks" (while "clean up the garage" is a task).
    (m) => (targetOf(m[1] as string).kind === 'all' ? change({ kind: 'delete' }, m[1] as string) : undefined),
  ],
  [
    /^(?:i|we)\s+(?:don't|do not|dont|no longer|won't|will not|wont)\s+(?:need|have|want|plan)\s+to\s+(.+?)(?:\s+any\s?more)?$/,
    (m) => change({ kind: 'delete' }, m[1] as string, true),
  ],
  [
    /^(?:i|we)\s+(?:don't|do not|dont|no longer)\s+(?:need|want)\s+(.+?)(?:\s+any\s?more)?$/,
    (m) => change({ kind: 'delete' }, m[1] as string),
  ],
];

/** Verbs that change what a task has, the change in the words after them: "bump the dentist to high priority". */
const UPDATE_VERB =
  /^(?:move|push|bump|reschedule|postpone|delay|defer|shift|change|set|update|make|switch|put|give|mark|lower|raise|increase|decrease|drop)\s+(?:back\s+|forward\s+|out\s+)?(.+)$/;
/** A subject and what it should be: "the dentist thing should be urgent", "the report is now due monday". */
const SUBJECT_UPDATE =
  /^(.+?)\s+(?:should|needs to|has to|must|can|could|ought to|would|will)\s+be\s+(.+)$|^(.+?)\s+(?:is|are|'s)\s+(?:now\s+|actually\s+|really\s+|getting\s+|becoming\s+|pretty\s+|quite\s+|very\s+|super\s+|kind of\s+|kinda\s+)*(.+)$|^(?:do|have|move|push|hold)?\s*(.+?)\s+(?:due|on|by|for|to)\s+(.+?)\s+instead$/;
const POSTPONE = /^(?:postpone|delay|defer|push back|put off|snooze)\s+(.+)$/;
const QUESTION =
  /^(?:what|what's|whats|which|when|when's|where|who|how|any|anything|show|list|display|view|see|find|search|look up|look for|give me|tell me|get me|overview|summary|remind me what)\b|^(?:is|are|am|was|were)\s+|^(?:has|have|had)\s+(?:i|you|we|they|there|it|my|the|any|anything|that|this|those|these)\b|^(?:do|does|did)\s+(?:i|you|we|they|it|there|my|any)\b/;
const LIST_END = /^(?:[\p{L}\p{N}#@-]+\s+){0,4}(?:stuff|things|tasks|todos|to-?dos|items|list)$/u;
/** Task verbs that open a bare request with a date ("water the plants every monday"): read as an add. */
const TASK_VERB =
  /^(?:buy|call|email|book|pay|clean|fix|send|pick up|get|write|read|review|prepare|plan|schedule|order|return|renew|submit|water|walk|feed|wash|cook|post|mail|text|ring|phone|visit|check|bring|take|go|finish|start|practice|practise|study|learn|meet|see|tidy|vacuum|hoover|mow|iron|pack|print|sign|file|update|organise|organize|sort|drop off|collect|repair|replace|install|ask|tell|remind|invite|thank|apply|register|cancel|backup|back up|charge|feed|empty|take out)\b/;

function readClause(clause: Clause, ctx: ReadContext): ClauseReading {
  return withFilter(readRequest(clause, ctx), ctx);
}

function readRequest(clause: Clause, ctx: ReadContext): ClauseReading {
  const text = clause.text
    .replace(/[.!?,;:\s]+$/, '')
    .replace(/\s+(?:too|as well|now)$/, '')
    // "remove: X", "done: X": a verb and a colon.
    .replace(
      /^(add|remove|delete|complete|done|finish|finished|move|rename|cancel|remind me|tick off)\s*:\s*/,
      '$1 ',
    );
  // A request to add (but "add a note to …" and "add the tag …" change a task).
  const changesTask =
    /^add\s+(?:a\s+|the\s+|some\s+)?(?:note|notes|description|details?|tags?|labels?)\b/.test(text);
  const ranked = RANKED_ADD.exec(text);
  if (ranked && !changesTask) return addStep(clause, ctx, `${ranked[2]} ${ranked[1]}`);
  if (changesTask) {
    // Read below with the changes.
  } else if (ADD_PRONOUN.test(text)) return { kind: 'step', step: { kind: 'add', text: '' } };
  const asked = ADD_PHRASE.exec(text) ?? ADD_VERB.exec(text);
  const listAdd = new RegExp(
    String.raw`^(?:put|stick|pop|throw|add|write|get)\s+(.+?)\s+(?:on|onto|to|in)\s+(?:my|the)\s+${LIST_WORDS}\b[,\s]*(.*)$`,
  ).exec(text);
  if (listAdd) return addStep(clause, ctx, `${listAdd[1]} ${listAdd[2]}`.trim());
  if (asked && !changesTask) return addStep(clause, ctx, asked[1] as string);
  // A list or a question: "what's due friday?", "is the dentist on my list?".
  if (QUESTION.test(text)) return { kind: 'step', step: listStep(text, ctx) };
  for (const [pattern, read] of CLAUSES) {
    const match = pattern.exec(text);
    const reading = match && read(match, clause, ctx);
    if (reading) return reading;
  }
  // Only details: "high priority", "for friday", "#work", "due monday", "at 3pm".
  const details = readDetails(text, ctx);
  if (details && details.rest === '') return { kind: 'details', text, edit: details.edit };
  // "migrate CI to new runners: due friday": a task's name, then what changes.
  const named = /^(.+?)\s*:\s+(.+)$/.exec(text);
  const stated = named && readDetails(named[2] as string, ctx);
  if (named && stated && stated.rest === '') {
    return {
      kind: 'step',
      step: {
        kind: 'change',
        action: { kind: 'update', edit: stated.edit },
        target: targetOf(named[1] as string),
        guessed: true,
      },
    };
  }
  // A verb of change with the change after it.
  const verb = UPDATE_VERB.exec(text) ?? POSTPONE.exec(text);
  if (verb) {
    const found = readDetails(verb[1] as string, ctx);
    if (found && Object.keys(found.edit).length > 0 && found.rest) return update(found.edit, found.rest);
    if (POSTPONE.test(text)) return update({ due: 'tomorrow' }, verb[1] as string);
    const renamed = /^(?:change|update|switch)\s+(.+?)\s+to\s+(.+)$/.exec(text);
    if (renamed) return update({ title: originalOf(clause, renamed[2] as string) }, renamed[1] as string);
  }
  const subject = SUBJECT_UPDATE.exec(text);
  if (subject) {
    const target = (subject[1] ?? subject[3] ?? subject[5]) as string;
    const what = (subject[2] ?? subject[4] ?? (subject[6] ? `due ${subject[6]}` : '')) as string;
    const found = readDetails(what, ctx);
    // Only when the subject names a task: "honestly none of this is important" is not a change.
    if (found && found.rest === '' && Object.keys(found.edit).length > 0) {
      return change({ kind: 'update', edit: found.edit }, target, true);
    }
  }
  // "hope you're well, add 'renew library card' to my tasks": "add" further on.
  const later = /\s(?:add|put)\s+(.+)$/.exec(text);
  if (later && !changesTask && !/\b(?:add|put)\s+(?:it|that|this)\b/.test(text))
    return addStep(clause, ctx, later[1] as string);
  if (clause.asked || LIST_END.test(text)) return { kind: 'step', step: listStep(text, ctx) };
  // A bare request with a date, priority or tag, as quick add reads it: "water the plants every monday".
  // It changes that task when there is one ("renew domain name urgent"), and adds it when not.
  if (TASK_VERB.test(text) && details && Object.keys(details.edit).length > 0) {
    const added = addStep(clause, ctx, clause.original);
    if (added.kind !== 'step' || !details.rest) return added;
    return {
      kind: 'step',
      step: {
        kind: 'change',
        action: { kind: 'update', edit: details.edit },
        target: { kind: 'name', name: details.rest },
        guessed: true,
        otherwise: added.step,
      },
    };
  }
  return { kind: 'words', text, original: clause.original };
}

/** "all work tasks", "everything overdue": the filter the words after "all" name. */
function withFilter(reading: ClauseReading, ctx: ReadContext): ClauseReading {
  if (reading.kind !== 'step' || reading.step.kind !== 'change' || reading.step.target.kind !== 'all')
    return reading;
  const words = reading.step.target.filter.label;
  const status = reading.step.action.kind === 'delete' ? 'all' : 'pending';
  const filter = readFilter(`all ${words}`, ctx, status);
  // Words the filter did not read: the tag names it did read are not among them.
  const tags = new Set(filter.tags ?? []);
  const about = aboutWords(
    words
      .split(' ')
      .filter((word) => !tags.has(word.replace(/^[#@]/, '')))
      .join(' '),
  );
  // A bulk change reaches every task only when asked for in those words ("delete everything"): words it could
  // not read as a filter never widen it to every task, they make it not understood.
  const everything =
    /^(?:all|every|everything|each)(?:\s+(?:of\s+)?(?:my\s+|the\s+)?(?:tasks?|todos?|to-dos?|things|items|ones?))?$/;
  const unfiltered = !filter.label && !about && filter.status === status;
  if (unfiltered && !everything.test(words.trim())) return { kind: 'words', text: '', original: '' };
  const target: Target = {
    kind: 'all',
    filter,
    ...(about ? { about } : {}),
  };
  return { kind: 'step', step: { ...reading.step, target } };
}

function addStep(clause: Clause, ctx: ReadContext, lowered: string): ClauseReading {
  const text = hashTags(originalOf(clause, lowered.trim()))
    .replace(ON_LIST, '')
    .replace(/^(?:to|that|saying|about)\s+(?=\S)/i, '')
    .replace(/\s+instead$/i, '')
    // "…, tag it work" at the end is a tag, as "#work" would be.
    .replace(/[,\s]+(?:and\s+)?tag(?:ged)?\s+(?:it\s+)?(?:with\s+|as\s+)?#?([\p{L}\p{N}_-]+)$/iu, ' #$1')
    .trim();
  // "can you put it on monday?": a change to the task just discussed, not a task called "it".
  const pronoun = /^(?:it|that|this|that one|this one)\s+(.+)$/i.exec(text);
  if (pronoun) {
    const details = readDetails(lower(pronoun[1] as string), ctx);
    if (details && details.rest === '') return update(details.edit, 'it');
  }
  // "can you add tasks?" asks what the assistant can do.
  if (
    /^(?:a\s+)?(?:new\s+)?(?:tasks?|todos?|things?|something|stuff|items?|reminders?|it|that|this)$/i.test(
      text,
    )
  ) {
    return { kind: 'words', text: '', original: '' };
  }
  return { kind: 'step', step: { kind: 'add', text } };
}

/** "tagged diy and weekend", "with tags work and planning": written as #tags, which quick add reads. */
function hashTags(text: string): string {
  return text.replace(
    /[,\s]+(?:and\s+)?(?:tag(?:ged)?|label(?:l?ed)?|with\s+(?:the\s+)?(?:tags?|labels?))\s+(?:it\s+)?(?:with\s+|as\s+)?(#?[\p{L}\p{N}_-]+(?:(?:\s*,\s*|\s+and\s+|\s*&\s*)#?[\p{L}\p{N}_-]+)*)/giu,
    (_all, list: string) =>
      ` ${tagList(list.toLowerCase())
        .map((tag) => `#${tag}`)
        .join(' ')}`,
  );
}

function listStep(text: string, ctx: ReadContext): Step {
  const filter = readFilter(text, ctx, 'pending');
  // The tag names the filter read are not words a task's name must have.
  const tags = new Set(filter.tags ?? []);
  const about = aboutWords(
    text
      .split(' ')
      .filter((word) => !tags.has(word.replace(/^[#@]/, '')))
      .join(' '),
  );
  return { kind: 'list', filter, ...(about ? { about } : {}) };
}

/** Words of a question that name tasks rather than ask: "is the DENTIST on my list?". */
const QUESTION_WORDS = new Set(
  `what what's whats which when when's where who how is are am do does did have has had any anything was were show list display view see find search look up for give tell get me my all overview summary remind due today tomorrow tonight week weekend next this overdue late pending open completed complete finished finish done left remaining still yet already there something need needs should must on in at by the a an of to i you your it its that those these with without no none any every everything task tasks todo todos thing things stuff items item priority high low medium urgent important tagged tag tags label about called named containing mentioning matching deal status happening recurring repeat repeating repeats scheduled planned coming up upcoming soon later date dates monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun got else more many much day days morning evening afternoon anyone anybody someone somebody anywhere i'm im am be been being do doing did make made most least first behind late plate agenda schedule free open both lol ones one`.split(
    ' ',
  ),
);

function aboutWords(text: string): string | undefined {
  const words = normalize(text.replace(/(?<!\S)[#@][\p{L}\p{N}_-]+/gu, ''))
    .split(' ')
    .filter((word) => word.length > 1 && !QUESTION_WORDS.has(word) && !isFiller(word) && !/^\d/.test(word));
  return words.length ? words.join(' ') : undefined;
}

const DETAIL_FILLER = new Set(
  "it it's its is it is this that's that and so also kind of kinda sort pretty quite really very lol haha oh both all each of them make set should be needs to must has have got with the a an".split(
    ' ',
  ),
);

/**
 * The priority, due date, time and tags a clause states, and what is left of it (the task's name). Undefined
 * when it states none.
 */
function readDetails(text: string, ctx: ReadContext): { edit: Edit; rest: string } | undefined {
  const edit: Edit = {};
  // "push it to the 22nd": a day of the month after "to" is a date, as after "on".
  let rest = ` ${text.replace(/\bto the (\d{1,2}(?:st|nd|rd|th))\b/, 'on the $1')} `;
  const cut = (pattern: RegExp, use: (m: RegExpExecArray) => void) => {
    const match = pattern.exec(rest);
    if (!match) return;
    use(match);
    rest = `${rest.slice(0, match.index)} ${rest.slice(match.index + match[0].length)}`;
  };
  // Every priority word goes ("important so high priority"); the last one said counts.
  for (let said = 0; said < 3; said++) {
    cut(
      /\s(?:to\s+|as\s+|at\s+|a\s+|an\s+)?(?:the\s+)?(urgent|asap|critical|top|high|important|medium|normal|low|mid|highest|lowest|p[1-4])(?:[\s-]+priority)?(?=\s)|\s(?:priority|prio)\s*:?\s+(?:to\s+)?(urgent|critical|top|high|medium|normal|low|p[1-4])(?=\s)/,
      (m) => {
        const priority = priorityWord((m[1] ?? m[2]) as string);
        if (priority) edit.priority = priority;
      },
    );
  }
  cut(/\s(?:at\s+|for\s+)?(?:the\s+)?same\s+time(?=\s)/, () => {});
  cut(/\s(?:less|not very|not that)\s+important(?=\s)/, () => {
    edit.priority = 'low';
  });
  cut(/\s(?:more important|a priority|top of the list)(?=\s)/, () => {
    edit.priority = 'high';
  });
  const tags: string[] = [];
  cut(
    // "tag it work" is a change; "tagged work" names tasks, and stays for the filter.
    /\s(?:and\s+)?tag\s+(?:it\s+)?(?:with\s+|as\s+)?#?([\p{L}\p{N}_-]+(?:\s+and\s+#?[\p{L}\p{N}_-]+)?)(?=\s)/u,
    (m) => {
      tags.push(...tagList(m[1]));
    },
  );
  for (const match of rest.matchAll(/(?<!\S)[#@]([\p{L}\p{N}_-]+)/gu)) tags.push(match[1] as string);
  rest = rest.replace(/(?<!\S)[#@][\p{L}\p{N}_-]+/gu, ' ');
  if (tags.length) edit.addTags = [...new Set(tags)];
  const time =
    /\s(?:(?:to|for|at|by)\s+)?((?:at\s+)?(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|noon|midday|midnight))(?=\s)/.exec(
      rest,
    );
  const parsed = parseQuickAdd(rest.trim(), { now: ctx.now, timezone: ctx.timeZone });
  if (parsed.due_date) {
    // Quick add keeps the whole text as the title when the date was all of it ("due monday").
    const title = normalize(parsed.title) === normalize(rest) ? '' : parsed.title;
    const dueWords = dateWords(rest, title);
    const onlyTime =
      time &&
      normalize(dueWords).replace(/^(?:at|to|for|by|due)\s+/, '') ===
        normalize(time[1] as string).replace(/^at\s+/, '');
    const words = dueWords.replace(/^(?:to|for|until|till|on|by|due|at)\s+/, '');
    if (onlyTime && time) edit.time = (time[1] as string).replace(/^at\s+/, '');
    // The words when they read alone as the same date ("next friday 5pm", "every monday"), else the date.
    else
      edit.due =
        words && parseQuickAdd(words, { now: ctx.now, timezone: ctx.timeZone }).due_date === parsed.due_date
          ? words
          : parsed.due_date;
    rest = ` ${title} `;
  }
  rest = rest
    .replace(/\s(?:due|priority|date|deadline|the due date|due date)(?=\s)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(
      /(?:\s+(?:to|for|until|till|on|by|as|at|and|with|from|instead|back|forward|out|up|off|priority|then))+$/,
      '',
    )
    .replace(/^(?:(?:to|for|until|till|on|by|as|at|the|a|an)\s+)+/, '')
    .trim();
  if (/^(?:to|for|until|till|on|by|as|at|the|a|an|and|with|from)$/.test(rest)) rest = '';
  if (/^(?:it|that|this|that one|this one|them)$/.test(rest)) rest = 'it';
  // "it's kind of important so", "oh and it's … lol": nothing but the details and words around them.
  else if (rest !== '' && rest.split(' ').every((word) => DETAIL_FILLER.has(word))) rest = '';
  if (Object.keys(edit).length === 0) return undefined;
  return { edit, rest };
}

/** The words a date was read from: the text less the title quick add left. */
function dateWords(text: string, title: string): string {
  let words = ` ${normalize(text)} `;
  for (const word of normalize(title).split(' ')) words = words.replace(` ${word} `, ' ');
  return text
    .trim()
    .split(/\s+/)
    .filter((word) => words.includes(` ${normalize(word)} `) || !normalize(word))
    .join(' ')
    .trim();
}

const PRONOUN =
  /^(?:it|that|this|that one|this one|that task|this task|the task|the last one|the same one|her|him|the one|that thing|this thing)$/;
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];

function targetOf(text: string): Target {
  const cleaned = text
    .replace(ON_LIST, '')
    .replace(/^["']|["']$/g, '')
    .replace(
      /^(?:the|my|our|that|this)\s+(?:task\s+|todo\s+|item\s+|reminder\s+)?(?:called\s+|named\s+|about\s+|for\s+)?/,
      '',
    )
    .replace(/^(?:task|todo|item|reminder)\s+(?:called\s+|named\s+|about\s+)?/, '')
    .replace(/\s+(?:task|todo|item|reminder|one|thing|stuff|bit)$/, '')
    .replace(/\s+(?:already|again|finally|yet|now|too)$/, '')
    .trim();
  if (
    /^(?:them|those|these|all of them|both of them|all those|all these|them all|those ones|both|all of it|it all|all that)$/.test(
      cleaned,
    )
  ) {
    return { kind: 'shown' };
  }
  if (!cleaned || PRONOUN.test(cleaned) || PRONOUN.test(text.trim())) return { kind: 'it' };
  const nth =
    /^(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|last|1st|2nd|3rd|4th|5th)(?:\s+(?:one|task))?(?:\s+on\s+the\s+list)?$|^(?:number|no\.?|#)\s*(\d)$/.exec(
      cleaned,
    );
  if (nth) {
    const word = nth[1] ?? '';
    const index = nth[2]
      ? Number(nth[2]) - 1
      : word === 'last'
        ? -1
        : ['1st', '2nd', '3rd', '4th', '5th'].includes(word)
          ? Number(word[0]) - 1
          : ORDINALS.indexOf(word);
    return { kind: 'nth', index };
  }
  // "both invoices", "the two email tasks": every task those words name.
  const both =
    /^(?:both(?:\s+of)?|the two|all the|all of the|all my)\s+(?:the\s+|my\s+)?(.+?)(?:\s+(?:tasks|ones|items|todos))?$/.exec(
      cleaned,
    );
  if (both && !/^(?:tasks|things|items|todos|stuff)$/.test(both[1] as string)) {
    return { kind: 'all', filter: { status: 'pending', label: cleaned }, about: both[1] as string };
  }
  const bulk =
    /^(?:all|every|everything|each)\b(.*)$|^(?:my|the)\s+(.*\btasks?)$|^((?:completed|finished|done|old|overdue)\b.*)$/.exec(
      cleaned,
    );
  // The words are read into a filter by withFilter, which knows the moment and zone.
  if (bulk) return { kind: 'all', filter: { status: 'pending', label: cleaned } };
  return { kind: 'name', name: cleaned };
}

export function tagList(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\s*(?:,|\band\b|&|\s)\s*/)
    .map((t) => t.replace(/^[#@]/, '').trim())
    .filter((t) => t && !['tag', 'tags', 'the', 'label', 'labels', 'it', 'with', 'as'].includes(t));
}

// ——— Putting the clauses together ———

function combine(readings: ClauseReading[], clauses: Clause[], ctx: ReadContext): Step[] {
  const steps: Step[] = [];
  const used = new Set<number>();
  const stepAt = (j: number) => (readings[j] as { step?: Step }).step;
  const isGuess = (j: number) => {
    const step = stepAt(j);
    return step?.kind === 'change' && step.guessed === true;
  };
  const isWords = (j: number) => {
    const reading = readings[j];
    return reading?.kind === 'words' && reading.text !== '';
  };
  /** Take clause j's words for another step: a guess read from it is dropped. */
  const take = (j: number) => {
    used.add(j);
    const at = steps.indexOf(stepAt(j) as Step);
    if (at >= 0) steps.splice(at, 1);
    return clauses[j] as Clause;
  };
  readings.forEach((reading, i) => {
    if (reading.kind !== 'step' || used.has(i)) return;
    let step = reading.step;
    const previous = steps.at(-1);
    // "note that down": the words to add are beside it, unless the message already adds them.
    if (step.kind === 'add' && step.text === '') {
      if (steps.some((s) => s.kind === 'add')) return;
      const j = [i - 1, i + 1].find((k) => !used.has(k) && (isWords(k) || isGuess(k)));
      if (j !== undefined) steps.push({ kind: 'add', text: take(j).original });
      return;
    }
    if (step.kind === 'change' && (step.target.kind === 'it' || step.target.kind === 'shown')) {
      const earlier = steps.findLast((s) => s.kind === 'change' && !s.guessed);
      // "…, tag it work" after an add is part of the add.
      if (previous?.kind === 'add' && step.action.kind === 'update') {
        previous.text = `${previous.text} ${editWords(step.action.edit)}`;
        return;
      }
      if (earlier?.kind === 'change') {
        // "the BLS renewal is sorted, mark it done": one change, said twice.
        if (earlier.action.kind === step.action.kind && step.action.kind !== 'update') return;
        // "make the tax form urgent and tag it finance": one task, both changes.
        if (earlier.action.kind === 'update' && step.action.kind === 'update') {
          earlier.action = { kind: 'update', edit: merged(earlier.action.edit, step.action.edit) };
          return;
        }
        step = { ...step, target: earlier.target };
      } else {
        // "just got off the phone with mom, you can tick that off": the task the words beside it mention.
        const beside = readings
          .map((_r, j) => j)
          .filter((j) => j !== i && !used.has(j) && (isWords(j) || isGuess(j)));
        if (beside.length > 0 && step.target.kind === 'it') {
          const text = beside.map((j) => take(j).text).join(' ');
          step = { ...step, target: { kind: 'mention', text, orIt: true } };
        }
      }
    }
    if (step.kind === 'add') for (const text of splitAdds(step.text)) steps.push({ kind: 'add', text });
    else steps.push(step);
  });
  readings.forEach((reading, i) => {
    if (used.has(i)) return;
    const before = steps.at(-1);
    const clause = clauses[i] as Clause;
    if (reading.kind === 'details') {
      // "high priority", "due monday": for the request before, or the task just discussed.
      if (before?.kind === 'add') before.text = `${before.text} ${editWords(reading.edit)}`;
      else if (before?.kind === 'change' && before.action.kind === 'update') {
        before.action = { kind: 'update', edit: merged(before.action.edit, reading.edit) };
      } else if (!before && isWords(i - 1) && !used.has(i - 1)) {
        // "holiday menu post - monday": the task named just before, if there is one.
        const name = take(i - 1).text;
        steps.push({
          kind: 'change',
          action: { kind: 'update', edit: reading.edit },
          target: targetOf(name),
          guessed: true,
        });
      } else if (!before) {
        // Alone, "due today" asks what is due today when no task was being discussed.
        const dueOnly = Object.keys(reading.edit).every((key) => key === 'due');
        steps.push({
          kind: 'change',
          action: { kind: 'update', edit: reading.edit },
          target: { kind: 'it' },
          ...(dueOnly ? { otherwise: listStep(reading.text, ctx) } : {}),
        });
      }
      return;
    }
    if (reading.kind !== 'words' || !reading.text || readings[i - 1]?.kind !== 'step' || !before) return;
    // "list my overdue tasks and the urgent ones": another list.
    if (before.kind === 'list' && clause.continues) {
      const list = listStep(reading.text, ctx);
      if (list.kind === 'list' && (list.filter.label || list.about)) steps.push(list);
      return;
    }
    // "add fix the fence, fix the doorbell and repaint the mailbox": more tasks to add.
    if (
      before.kind === 'add' &&
      (clause.continues ? TASK_VERB.test(reading.text) : looksLikeTask(reading.text))
    ) {
      for (const text of splitAdds(reading.original)) steps.push({ kind: 'add', text });
      return;
    }
    // "delete the dentist, the car insurance and the plants": more names, taken only when they name a task.
    if (before.kind === 'change' && before.target.kind === 'name' && before.action.kind !== 'update') {
      steps.push({
        ...before,
        target: targetOf(reading.text),
        guessed: !clause.continues || before.guessed === true,
      });
    }
  });
  return steps;
}

/** Words that do not begin a task: "she's waiting", "it's for her birthday", "thanks". */
const NOT_A_TASK_START = new Set(
  "i i'm im you he she it it's its we they that that's this these those the a an my so but because since if when lol haha ok okay thanks thank please which who what why how just".split(
    ' ',
  ),
);

function looksLikeTask(text: string): boolean {
  const words = text.split(' ');
  return words.length <= 10 && !NOT_A_TASK_START.has(words[0] as string);
}

/** "buy milk and call mum": two tasks, when a task's verb follows "and" after a name of two words or more. */
function splitAdds(text: string): string[] {
  const parts = text.split(/,?\s+(?:and|then|and then|plus)\s+(?:also\s+|then\s+)?(?:to\s+)?/i);
  if (parts.length < 2) return [text];
  const adds: string[] = [parts[0] as string];
  for (const part of parts.slice(1)) {
    const last = adds[adds.length - 1] as string;
    // "repaint the mailbox": a verb is most often followed by "the", "a", "my" or a particle.
    const verbFirst = /^\S+\s+(?:the|a|an|my|our|your|his|her|their|some|up|out|off|down|back|in)\b/i.test(
      part,
    );
    if ((TASK_VERB.test(part.toLowerCase()) || verbFirst) && last.trim().split(/\s+/).length >= 2)
      adds.push(part);
    else adds[adds.length - 1] = `${last} and ${part}`;
  }
  return adds;
}

function merged(before: Edit, after: Edit): Edit {
  const addTags = [...(before.addTags ?? []), ...(after.addTags ?? [])];
  return { ...before, ...after, ...(addTags.length ? { addTags } : {}) };
}

/** An edit in the words quick add reads: "#work high priority friday". */
function editWords(edit: Edit): string {
  return [
    ...(edit.addTags ?? []).map((tag) => `#${tag}`),
    edit.priority ? `p${PRIORITY_BY_NUMBER.indexOf(edit.priority) + 1}` : '',
    edit.due ?? '',
    edit.time ? `at ${edit.time}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
