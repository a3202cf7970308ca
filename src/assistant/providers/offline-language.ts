import { addDays, localDate, startOfDay } from '../../tasks/due.ts';
import { parseQuickAdd } from '../../tasks/quick-add.ts';
import { normalize } from './fuzzy-match.ts';

/**
 * Reads one message of plain English into what the user wants. Pure: the same words, moment and zone always
 * give the same intent, which is what lets the offline assistant re-read earlier turns of a stored
 * conversation instead of keeping any state of its own.
 */

export interface ListFilter {
  status: 'pending' | 'completed' | 'all';
  priority?: Array<'low' | 'medium' | 'high' | 'urgent'>;
  tags?: string[];
  due?: 'overdue' | 'today' | 'week' | 'none';
  due_after?: string;
  due_before?: string;
  search?: string;
  /** Completed on or after this instant (the list tool cannot filter on completion time, so it is done here). */
  completedSince?: Date;
  /** What the filter reads as, for replies: "due today", "tagged work". */
  label: string;
}

export type Change =
  | { kind: 'complete' }
  | { kind: 'reopen' }
  | { kind: 'delete' }
  | { kind: 'rename'; title: string }
  | { kind: 'reschedule'; due: string }
  | { kind: 'clear_due' }
  | { kind: 'priority'; priority: 'low' | 'medium' | 'high' | 'urgent' }
  | { kind: 'tag'; add: string[]; remove: string[] }
  | { kind: 'untag' }
  | { kind: 'describe'; description: string };

/** Who a change is for: a task named loosely, the task just discussed ("it"), or several by a filter. */
export type Target =
  | { kind: 'name'; name: string }
  | { kind: 'it' }
  /** "the first one": a place in the last list the conversation showed, from 0; -1 for the last. */
  | { kind: 'nth'; index: number }
  | { kind: 'all'; filter: ListFilter };

export type Intent =
  | { kind: 'add'; text: string }
  | { kind: 'list'; filter: ListFilter }
  | { kind: 'change'; change: Change; target: Target }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'undo' }
  | { kind: 'help' }
  | { kind: 'thanks' }
  /** Matches no intent: nothing is changed, and the reply says what the assistant can do. */
  | { kind: 'unknown' }
  /** Reads as an instruction to the assistant itself (see INSTRUCTION): never acted on, never stored as a task. */
  | { kind: 'instruction' };

export interface ReadContext {
  now: Date;
  timeZone: string;
}

type Priority = 'low' | 'medium' | 'high' | 'urgent';

const PRIORITY_WORDS: Record<string, Priority> = {
  urgent: 'urgent',
  top: 'urgent',
  p1: 'urgent',
  critical: 'urgent',
  high: 'high',
  important: 'high',
  p2: 'high',
  medium: 'medium',
  normal: 'medium',
  p3: 'medium',
  low: 'low',
  p4: 'low',
};
const PRIORITY = '(urgent|top|critical|high|important|medium|normal|low|p[1-4])';
const PRESENT_TENSE: Record<string, string> = {
  bought: 'buy',
  called: 'call',
  rang: 'call',
  paid: 'pay',
  sent: 'send',
  wrote: 'write',
  booked: 'book',
  cleaned: 'clean',
  fixed: 'fix',
  made: 'make',
  emailed: 'email',
  read: 'read',
  watered: 'water',
  walked: 'walk',
  fed: 'feed',
  washed: 'wash',
  cooked: 'cook',
  posted: 'post',
  returned: 'return',
  'picked up': 'pick up',
  submitted: 'submit',
  renewed: 'renew',
  visited: 'visit',
  did: '',
};
const YES =
  '(?:yes|y|yeah|yep|yup|sure|ok|okay|do it|go ahead|confirm|confirmed|please do|correct|right|yes please|go for it|all of them)';
const YES_SAID = new RegExp(`^${YES}(?:[,!.\\s]+(?:${YES}|please))*$`);
const ORDINAL_WORDS = ['first', 'second', 'third', 'fourth', 'fifth', '1st', '2nd', '3rd', '4th', '5th'];
const PRONOUN = /^(?:it|that|this|that one|this one|that task|this task|the task|the last one|the same one)$/;
const DONE_WORDS = '(?:done|complete|completed|finished|checked off|ticked off)';

/** Sentences checked in order; the first that matches wins. Each gets the lowercased message without end punctuation. */
const CHANGES: Array<{
  pattern: RegExp;
  read: (m: RegExpExecArray) => { change: Change; target: string } | null;
}> = [
  {
    pattern: /^(?:rename|retitle)\s+(.+?)\s+(?:to|as|into)\s+(.+)$/,
    read: (m) => ({ change: { kind: 'rename', title: m[2] as string }, target: m[1] as string }),
  },
  {
    pattern: /^change\s+(?:the\s+)?(?:title|name)\s+of\s+(.+?)\s+to\s+(.+)$/,
    read: (m) => ({ change: { kind: 'rename', title: m[2] as string }, target: m[1] as string }),
  },
  {
    pattern:
      /^(?:remove|clear|drop|delete|take off)\s+(?:the\s+)?(?:due\s+)?date\s+(?:from|of|on)\s+(.+)$|^(.+?)\s+(?:has|needs)\s+no\s+(?:due\s+)?date$/,
    read: (m) => ({ change: { kind: 'clear_due' }, target: (m[1] ?? m[2]) as string }),
  },
  {
    pattern:
      /^(?:move|reschedule|postpone|push|defer|shift|delay|bump)\s+(.+?)\s+(?:back\s+|forward\s+)?(?:to|until|till|for|on|by)\s+(.+)$/,
    read: (m) => ({ change: { kind: 'reschedule', due: m[2] as string }, target: m[1] as string }),
  },
  {
    pattern:
      /^(?:change|set|update)\s+(?:the\s+)?(?:due\s+date|date|deadline)\s+(?:of|for|on)\s+(.+?)\s+to\s+(.+)$/,
    read: (m) => ({ change: { kind: 'reschedule', due: m[2] as string }, target: m[1] as string }),
  },
  {
    pattern: /^(?:make|set)\s+(.+?)\s+due\s+(?:on\s+)?(.+)$|^(.+?)\s+is\s+(?:now\s+)?due\s+(?:on\s+)?(.+)$/,
    read: (m) => ({
      change: { kind: 'reschedule', due: (m[2] ?? m[4]) as string },
      target: (m[1] ?? m[3]) as string,
    }),
  },
  {
    pattern: /^(?:postpone|defer|delay)\s+(.+)$/,
    read: (m) => ({ change: { kind: 'reschedule', due: 'tomorrow' }, target: m[1] as string }),
  },
  {
    pattern: new RegExp(
      `^(?:set|change)\\s+(?:the\\s+)?priority\\s+(?:of|for|on)\\s+(.+?)\\s+to\\s+${PRIORITY}(?:\\s+priority)?$`,
    ),
    read: (m) => priorityChange(m[1], m[2]),
  },
  {
    pattern: new RegExp(
      `^(?:make|set|mark|put)\\s+(.+?)\\s+(?:as\\s+|to\\s+|at\\s+)?(?:an?\\s+)?${PRIORITY}(?:[\\s-]+priority)?$`,
    ),
    read: (m) => priorityChange(m[1], m[2]),
  },
  {
    pattern: new RegExp(`^(.+?)\\s+is\\s+(?:now\\s+)?(?:an?\\s+)?${PRIORITY}(?:[\\s-]+priority)?$`),
    read: (m) => priorityChange(m[1], m[2]),
  },
  {
    pattern: /^(prioriti[sz]e|deprioriti[sz]e)\s+(.+)$/,
    read: (m) => ({
      change: { kind: 'priority', priority: (m[1] as string).startsWith('de') ? 'low' : 'high' },
      target: m[2] as string,
    }),
  },
  {
    pattern:
      /^(?:remove|take off|drop|delete)\s+(?:the\s+)?(?:tags?|labels?)\s+(.+?)\s+(?:from|on|of)\s+(.+)$/,
    read: (m) => ({ change: { kind: 'tag', add: [], remove: tagList(m[1]) }, target: m[2] as string }),
  },
  {
    pattern: /^(?:untag|remove (?:all )?(?:the )?tags from|clear (?:the )?tags (?:of|on|from))\s+(.+)$/,
    read: (m) => ({ change: { kind: 'untag' }, target: m[1] as string }),
  },
  {
    pattern: /^(?:tag|label)\s+(.+?)\s+(?:with|as|under)\s+(.+)$/,
    read: (m) => ({ change: { kind: 'tag', add: tagList(m[2]), remove: [] }, target: m[1] as string }),
  },
  {
    pattern: /^add\s+(?:the\s+)?(?:tags?|labels?)\s+(.+?)\s+to\s+(.+)$/,
    read: (m) => ({ change: { kind: 'tag', add: tagList(m[1]), remove: [] }, target: m[2] as string }),
  },
  {
    pattern:
      /^(?:describe|add\s+(?:a\s+|the\s+)?(?:note|notes|description|details?)\s+(?:to|on|for)|(?:set|change)\s+(?:the\s+)?(?:description|notes?|details)\s+(?:of|for|on)|note\s+(?:on|for))\s+(.+?)(?:\s*:\s*|\s+(?:as|to|with|saying)\s+)(.+)$/,
    read: (m) => ({ change: { kind: 'describe', description: m[2] as string }, target: m[1] as string }),
  },
  {
    pattern: new RegExp(
      `^(?:reopen|re-open|uncomplete|un-complete|undo completing|unfinish)\\s+(.+)$|^mark\\s+(.+?)\\s+as\\s+(?:not\\s+${DONE_WORDS}|undone|incomplete|pending|open|to ?do)$`,
    ),
    read: (m) => ({ change: { kind: 'reopen' }, target: (m[1] ?? m[2]) as string }),
  },
  {
    pattern: new RegExp(
      `^(?:mark|set)\\s+(.+?)\\s+(?:as\\s+)?${DONE_WORDS}$|^(?:complete|finish|close|tick off|check off|cross off|done with|i(?:'ve| have)?\\s+(?:finished|completed|done|did)|i'm done with|i am done with)\\s+(.+)$|^(.+?)\\s+is\\s+${DONE_WORDS}$`,
    ),
    read: (m) => ({ change: { kind: 'complete' }, target: (m[1] ?? m[2] ?? m[3]) as string }),
  },
  {
    pattern: new RegExp(
      `^(?:done|finished|completed)\\s*[:\\-–]\\s*(.+)$|^i(?:'ve| have)?\\s+(?:just\\s+|already\\s+)?(${Object.keys(PRESENT_TENSE).join('|')})\\s+(.+)$`,
    ),
    // "I bought the milk" completes "Buy milk": the verb is put back in the form a task title uses.
    read: (m) => ({
      change: { kind: 'complete' },
      target: m[1] ?? `${PRESENT_TENSE[m[2] as string] ?? ''} ${m[3] as string}`.trim(),
    }),
  },
  {
    pattern: /^(?:delete|remove|drop|trash|erase|get rid of|cancel|scrap|forget(?: about)?)\s+(.+)$/,
    read: (m) => ({ change: { kind: 'delete' }, target: m[1] as string }),
  },
];

const ADD =
  /^(?:please\s+)?(?:(?:can|could|would) you\s+)?(?:add|create|make|new|put)(?:\s+(?:a|an|another))?(?:\s+new)?(?:\s+(?:task|todo|to-do|item|reminder))?(?:\s+(?:to|for))?\s*[:\-–]?\s+(.+)$/i;

/**
 * Adding must be asked for: a message that matches no intent changes nothing (issue 17). These are the ways of
 * asking, read at the start of the message once greetings and "please" / "can you" are set aside:
 * - a verb of adding: add, create, new, put, jot down, note down, write down, note (to self), each optionally
 *   followed by "a (new) task/todo/item/reminder (to|for)" and a colon or dash; "make" only as "make a task…",
 *   since "make the report urgent" is a change;
 * - putting on the list: put / stick / pop / throw / add X on|onto|to my list (the rest after "list" is kept,
 *   for dates: "stick X on my list for friday");
 * - a phrase of needing to: remind me (to), remember to, don't (let me) forget to, I need / have / must / should /
 *   've got / gotta to, todo:, to do:, task:;
 * - "add …" after a first clause ("ugh, the car again, add take the car to the garage"), but only "add", the one
 *   verb that cannot be read as part of a title.
 * A verb inside a title ("make dinner", "book a table") is not one of these, so "book a table friday" must be
 * "add book a table friday".
 */
const ASKING = String.raw`(?:(?:can|could|would|will) you\s+)?(?:(?:please|pls|plz|kindly)\s+)?`;
const ADD_VERB = new RegExp(
  String.raw`^${ASKING}(?:add|create|new|put|make(?=\s+(?:a|an)\s+(?:new\s+)?(?:task|todo|to-do|item|reminder)\b)|jot(?:\s+down)?|note\s+down|write\s+down|note\s+to\s+self|note)(?:\s+(?:a|an|another))?(?:\s+new)?(?:\s+(?:task|todo|to-do|item|reminder))?(?:\s+(?:to|for))?\s*[:\-–]?\s+(.+)$`,
  'i',
);
const ADD_ON_LIST = new RegExp(
  String.raw`^${ASKING}(?:put|stick|pop|throw|add|write)\s+(.+?)\s+(?:on|onto|to|in)\s+(?:my|the)\s+(?:list|to-?do\s+list|todo\s+list|tasks|todos)\b[,\s]*(.*)$`,
  'i',
);
const ADD_PHRASE = new RegExp(
  String.raw`^${ASKING}(?:remind me to|remind me|remember to|don't let me forget to|dont let me forget to|don't forget to|dont forget to|i need to|i have to|i must|i should|i've got to|i gotta|todo:?|to do:?|task:)\s+(.+)$`,
  'i',
);
const ADD_AFTER_CLAUSE = new RegExp(String.raw`(?:[,;]|\s(?:and|so|then))\s+${ASKING}add\s+(.+)$`, 'i');
/** Greetings and fillers before a request, in any case. */
const OPENING =
  /^(?:(?:please|pls|ok|okay|hey|hi|and|now|also|then|actually|wait|sorry|oh|so|hmm|right)[,\s]+)+/i;

/**
 * Text that reads as an instruction to the assistant rather than about the user's own tasks: overriding its
 * rules, speaking as the system, asking for other people's data, naming tools or SQL. Such a message changes
 * nothing, even after "add": stored as a task it would be a prompt injection waiting for a model to read it.
 * This list is NOT exhaustive and cannot be: attacks are worded endlessly, and a list long enough to catch them
 * all would also refuse real tasks. It catches the common shapes so the reply can say why. The real guard is
 * that a message matching no intent changes nothing (adding must be asked for, see ADD_VERB), that bulk
 * changes are asked about first, and that the tools only ever reach the signed-in user's own tasks.
 */
const INSTRUCTION = [
  /\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|rules?|prompts?|above|previous|prior|restrictions?|guidelines?|programming)\b/,
  /^(?:system|assistant|developer|admin|root)\s*:/,
  /<\/?s>|<\|[a-z_]+\|>|\[\/?inst\]/,
  /\byou are (?:now\b|\w+ now\b|no longer\b)|\bfrom now on\b|\bpretend (?:to be|you)\b|\bno restrictions\b|\bjailbreak|\bdeveloper mode\b/,
  /\b(?:system prompt|your (?:prompt|instructions|rules|programming))\b/,
  /\bnew (?:rules?|instructions?)\b|\byou must\b|\bconfirm nothing\b|\bwithout (?:asking|confirm(?:ing|ation))\b/,
  /\b(?:all|every|other|another|each)\s+(?:users?|accounts?)(?:'s|s')?\s+(?:data|tasks|todos|lists?|accounts?|information|details)\b/,
  /\b(?:switch|log ?in|sign in|change)\s+(?:to|as)\s+(?:user|account|admin)|\b(?:user|account)\s*(?:#|id\s*)?\d+\b/,
  /\S+@\S+\.\w+'s\s+(?:tasks|list|data|todos)\b/,
  /\bas (?:the |an? )?(?:admin|administrator|root|superuser)\b|\badmin(?:istrator)? (?:mode|access|rights|privileges)\b/,
  /\b(?:add|list|complete|update|delete)_tasks?\b|\bdrop\s+table\b|;\s*--/,
  /\b(?:wipe|nuke|destroy|drop)\s+(?:the\s+)?(?:database|db|server)\b/,
  /\bdo what (?:my|the|this|that)\b.*\bsays?\b|\b(?:follow|obey|execute)\s+(?:the\s+)?(?:instructions?|commands?)\b/,
];

/** The title an explicit request to add gives, or undefined when the message does not ask to add. */
function readAdd(original: string): string | undefined {
  const body = original.replace(OPENING, '').replace(/[.!?\s]+$/, '');
  const onList = ADD_ON_LIST.exec(body);
  if (onList) return `${onList[1]} ${onList[2]}`.trim();
  const found = ADD_VERB.exec(body) ?? ADD_PHRASE.exec(body) ?? ADD_AFTER_CLAUSE.exec(body);
  if (!found) return undefined;
  // "…, tag it work" at the end is a tag, as "#work" would be.
  return stripListWords(found[1] as string).replace(
    /[,\s]+(?:and\s+)?tag(?:ged)?\s+(?:it\s+)?(?:with\s+|as\s+)?#?([\p{L}\p{N}_-]+)$/iu,
    ' #$1',
  );
}
const LIST_START =
  /^(?:show|list|what|what's|whats|which|do i have|have i|anything|any|how many|give me|display|find|search|see|view|tell me|get|my)\b/;
/** "high priority stuff", "work tasks": a few words that end in a word for tasks, and no verb. */
/** Words before "tasks" that say which tasks but are not tag names ("my open tasks"). */
const NOT_TAGS = new Set(
  'my the all open pending completed finished done overdue urgent important high low medium normal critical top new old current remaining other these those every recent upcoming late undated some any priority today todays tomorrow tomorrows week p1 p2 p3 p4 outstanding unfinished incomplete active'.split(
    ' ',
  ),
);
const LIST_END = /^(?:[\p{L}\p{N}#@-]+\s+){0,4}(?:stuff|things|tasks|todos|to-?dos|items)$/u;
const QUESTION = /^(?:who|why|how|when|where|can|could|would|should|is|are|do|does|did|will)\b/;

export function readMessage(message: string, ctx: ReadContext): Intent {
  const original = message
    .trim()
    .replace(/[,\s]+(?:please|pls|thanks|thank you)[.!?\s]*$/i, '')
    .trim();
  const text = original
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[.!?\s]+$/, '')
    .replace(
      /^(?:(?:please|pls|ok|okay|hey|and|now|also|then|actually|wait|sorry|oh|so|hmm|right|never ?mind)[,\s]+)+/,
      '',
    )
    .replace(/[,\s]+(?:please|pls|thanks|thank you)$/, '')
    .trim();
  if (!text) return { kind: 'help' };
  if (INSTRUCTION.some((pattern) => pattern.test(text))) return { kind: 'instruction' };
  // "yes", and yeses said together: "yep, go ahead".
  if (YES_SAID.test(text)) return { kind: 'yes' };
  if (/^(?:no|n|nope|cancel|never ?mind|stop|don't|do not|no thanks|leave it|forget it|abort)$/.test(text))
    return { kind: 'no' };
  if (
    /^(?:undo|undo (?:that|it|this|the last (?:change|one|thing))|revert(?: that| it)?|take (?:that|it) back|oops|put it back|change it back)$/.test(
      text,
    )
  )
    return { kind: 'undo' };
  if (/^(?:thanks|thank you|thx|cheers|great|perfect|cool|nice|awesome)\b/.test(text))
    return { kind: 'thanks' };
  if (
    /^(?:hi|hello|hey|help|hiya|good (?:morning|afternoon|evening)|what can you do|how does this work)\b/.test(
      text,
    )
  )
    return { kind: 'help' };

  const bulkMove =
    /^(?:move|postpone|reschedule|push|defer)\s+(?:all|every|everything)\b(.*?)\s+(?:to|until|till|for)\s+(.+)$/.exec(
      text,
    );
  if (bulkMove) {
    return {
      kind: 'change',
      change: { kind: 'reschedule', due: bulkMove[2] as string },
      target: { kind: 'all', filter: readFilter(bulkMove[1] as string, ctx, 'pending') },
    };
  }
  const bulk =
    /^(?:(complete|finish|close|mark|tick off|check off)|(delete|remove|clear|drop|get rid of))\s+(?:all|every|everything|each)\b(.*)$/.exec(
      text,
    ) ??
    /^(?:(complete|finish|close|tick off|check off)|(delete|remove|clear|drop))\s+((?:my|the)\s+.*tasks?)$/.exec(
      text,
    ) ??
    /^(?:(complete|finish)|(delete|remove|clear|drop|purge|get rid of))\s+(?:my\s+|the\s+)?((?:completed|finished|done|old|overdue)\b.*)$/.exec(
      text,
    );
  if (bulk) {
    const rest = (bulk[3] as string).replace(/\s+(?:as\s+)?(?:done|complete|completed|finished)$/, '');
    const filter = readFilter(rest, ctx, bulk[2] ? 'all' : 'pending');
    return {
      kind: 'change',
      change: bulk[2] ? { kind: 'delete' } : { kind: 'complete' },
      target: { kind: 'all', filter },
    };
  }

  if (LIST_START.test(text) && !ADD.test(text))
    return { kind: 'list', filter: readFilter(text, ctx, 'pending') };

  const aboutIt = /^(?:make|change|move|set)\s+(?:it|that|this)\s+(?:to\s+|for\s+)?(.+)$/.exec(text);
  if (aboutIt && isOnlyDate(aboutIt[1] as string, ctx)) {
    return {
      kind: 'change',
      change: { kind: 'reschedule', due: aboutIt[1] as string },
      target: { kind: 'it' },
    };
  }
  const noteOnIt = /^add\s+(?:a\s+)?(?:note|description|details?)\s*:\s*(.+)$/.exec(text);
  if (noteOnIt) {
    const description = originalOf(original, noteOnIt[1] as string);
    return { kind: 'change', change: { kind: 'describe', description }, target: { kind: 'it' } };
  }
  // A verb alone ("done", "delete") is about the task just discussed, as "it" would be.
  const bare =
    /^(?:(complete|done|finish|finished|tick|check)|(delete|remove|trash)|(reopen))(?: it| that| this)?$/.exec(
      text,
    );
  if (bare) {
    const change: Change = bare[1] ? { kind: 'complete' } : bare[2] ? { kind: 'delete' } : { kind: 'reopen' };
    return { kind: 'change', change, target: { kind: 'it' } };
  }

  for (const { pattern, read } of CHANGES) {
    const match = pattern.exec(text);
    const found = match && read(match);
    if (!found) continue;
    // The target and any new title are taken from the original spelling, not the lowercased text.
    const change =
      found.change.kind === 'rename'
        ? { ...found.change, title: originalOf(original, found.change.title) }
        : found.change.kind === 'describe'
          ? { ...found.change, description: originalOf(original, found.change.description) }
          : found.change;
    return { kind: 'change', change, target: targetOf(found.target) };
  }

  const loose = /^(?:change|set|update|switch|make)\s+(.+?)\s+(?:to|for|on|as)\s+(.+)$/.exec(text);
  if (loose) {
    const [, target, value] = loose as unknown as [string, string, string];
    const priority = PRIORITY_WORDS[value.replace(/[\s-]+priority$/, '')];
    const change: Change = priority
      ? { kind: 'priority', priority }
      : isOnlyDate(value, ctx)
        ? { kind: 'reschedule', due: value }
        : { kind: 'rename', title: originalOf(original, value) };
    return { kind: 'change', change, target: targetOf(target) };
  }

  if (LIST_END.test(text)) return { kind: 'list', filter: readFilter(text, ctx, 'pending') };
  const add = readAdd(original);
  if (add !== undefined) return { kind: 'add', text: add };
  if (text.endsWith('?') || original.endsWith('?') || QUESTION.test(text))
    return { kind: 'list', filter: readFilter(text, ctx, 'pending') };
  // Nothing else is guessed at: a message that matches no intent changes nothing (issue 17, see DESIGN.md).
  return { kind: 'unknown' };
}

/** True when the words are a date and nothing else ("thursday at 4pm", "next week"). */
function isOnlyDate(text: string, ctx: ReadContext): boolean {
  const parsed = parseQuickAdd(text, { now: ctx.now, timezone: ctx.timeZone });
  return parsed.due_date !== null && normalize(parsed.title) === normalize(text);
}

function priorityChange(target: string | undefined, word: string | undefined) {
  const priority = PRIORITY_WORDS[word ?? ''];
  return priority && target ? { change: { kind: 'priority', priority } as Change, target } : null;
}

function tagList(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\s*(?:,|\band\b|&|\s)\s*/)
    .map((t) => t.replace(/^[#@]/, '').trim())
    .filter((t) => t && !['tag', 'tags', 'the', 'label', 'labels'].includes(t));
}

function targetOf(text: string): Target {
  const cleaned = text
    .replace(/^["'“]|["'”]$/g, '')
    .replace(/^(?:the|my)\s+(?:task\s+)?/, '')
    .replace(/^task\s+/, '')
    .replace(/\s+task$/, '')
    .trim();
  if (PRONOUN.test(cleaned) || PRONOUN.test(text)) return { kind: 'it' };
  const nth =
    /^(?:the\s+)?(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)(?:\s+(?:one|task))?$|^(?:number|no\.?|#)\s*(\d)$/.exec(
      cleaned,
    );
  if (nth) {
    const word = nth[1] ?? '';
    const index = nth[2] ? Number(nth[2]) - 1 : word === 'last' ? -1 : ORDINAL_WORDS.indexOf(word) % 5;
    return { kind: 'nth', index };
  }
  return { kind: 'name', name: cleaned };
}

/** The words as the user typed them (case kept), found again in the original message. */
function originalOf(original: string, lowered: string): string {
  const at = original.toLowerCase().replace(/[’‘]/g, "'").indexOf(lowered);
  const text = at >= 0 ? original.slice(at, at + lowered.length) : lowered;
  return text.replace(/^["'“]|["'”]$/g, '').trim();
}

function stripListWords(text: string): string {
  return text
    .replace(/\s+(?:to|on|in)\s+(?:my|the)\s+(?:list|tasks|todo list|to-do list|todos)$/i, '')
    .replace(/^(?:that|saying)\s+/i, '')
    .trim();
}

/** The filter a question or a bulk request names: "high priority stuff due this week tagged work". */
export function readFilter(text: string, ctx: ReadContext, status: 'pending' | 'all'): ListFilter {
  const labels: string[] = [];
  const filter: ListFilter = { status, label: '' };
  const today = localDate(ctx.now, ctx.timeZone);
  const finished =
    /\b(?:finish|finished|completed|done|did i (?:do|get done|complete|finish)|closed|ticked off|checked off|accomplished)\b/.test(
      text,
    );
  if (finished && !/\bnot\s+(?:done|finished|completed)\b/.test(text)) {
    filter.status = 'completed';
    labels.push('completed');
  }
  if (
    /\b(?:all|every|everything)\b.*\b(?:including|and)\s+(?:completed|done|finished)\b|\ball my tasks including\b/.test(
      text,
    )
  ) {
    filter.status = 'all';
  }
  if (/\boverdue\b|\blate\b|\bpast due\b|\bbehind\b|\bmissed\b/.test(text)) {
    filter.due = 'overdue';
    labels.push('overdue');
  } else if (/\b(?:today|tonight|this evening)\b/.test(text)) {
    if (filter.status === 'completed') filter.completedSince = startOfDay(today, ctx.timeZone);
    else filter.due = 'today';
    labels.push(filter.status === 'completed' ? 'today' : 'due today');
  } else if (/\btomorrow\b/.test(text)) {
    filter.due_after = today;
    filter.due_before = addDays(today, 2);
    labels.push('due tomorrow');
  } else if (/\bnext week\b/.test(text)) {
    filter.due_after = addDays(today, 6);
    filter.due_before = addDays(today, 14);
    labels.push('due next week');
  } else if (/\b(?:this|the|next 7 days|coming)\s*week\b|\bweek\b/.test(text)) {
    if (filter.status === 'completed')
      // "This week" is since Monday.
      filter.completedSince = startOfDay(
        addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7)),
        ctx.timeZone,
      );
    else filter.due = 'week';
    labels.push(filter.status === 'completed' ? 'this week' : 'due this week');
  } else if (/\byesterday\b/.test(text) && filter.status === 'completed') {
    filter.completedSince = startOfDay(addDays(today, -1), ctx.timeZone);
    labels.push('since yesterday');
  } else if (
    /\b(?:no|without(?: a)?|undated|missing(?: a)?)\s*(?:due\s*)?dates?\b|\bsomeday\b|\bundated\b/.test(text)
  ) {
    filter.due = 'none';
    labels.push('without a due date');
  }
  const priority =
    /\b(urgent|critical|top|high|important|medium|normal|low|p[1-4])(?:[\s-]+priority)?\b/.exec(text);
  if (priority && /priority|urgent|important|critical|\bp[1-4]\b/.test(text)) {
    const word = PRIORITY_WORDS[priority[1] as string] as Priority;
    filter.priority = word === 'high' ? ['high', 'urgent'] : [word];
    labels.push(word === 'high' ? 'with high priority' : `with ${word} priority`);
  }
  const tags = [
    ...text.matchAll(
      /(?:tagged(?:\s+with)?|labell?ed|with (?:the )?(?:tag|label)|tag|label)\s+#?([\p{L}\p{N}_-]+)/gu,
    ),
    ...text.matchAll(/(?<!\S)[#@]([\p{L}\p{N}_-]+)/gu),
    ...text.matchAll(/(?:in|from|under)\s+(?:the\s+)?([\p{L}\p{N}_-]+)\s+(?:tag|label|list)\b/gu),
    ...text.matchAll(
      /\b(?:show|list|see|view|my|all|the)\s+(?:my\s+|the\s+|all\s+)?([\p{L}\p{N}_-]+)\s+(?:tasks|stuff|things|items|todos|to-?dos)\b/gu,
    ),
  ]
    .map((m) => m[1] as string)
    .filter((word) => !NOT_TAGS.has(word));
  if (tags.length > 0) {
    filter.tags = [...new Set(tags)];
    labels.push(`tagged ${filter.tags.join(' or ')}`);
  }
  const search =
    /\b(?:about|called|named|containing|mentioning|matching|with the words?|that say|saying)\s+["'“]?(.+?)["'”]?$/.exec(
      text,
    );
  if (
    search &&
    !/^(?:today|tonight|tomorrow|yesterday|this week|next week|the week|overdue)$/.test(search[1] as string)
  ) {
    filter.search = search[1] as string;
    labels.push(`about "${filter.search}"`);
  }
  filter.label = labels.join(', ');
  return filter;
}
