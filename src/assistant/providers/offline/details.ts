import { listNameKey } from '../../../lists/index.ts';
import {
  PRIORITY_BY_NUMBER,
  PRIORITY_WORDS,
  parseQuickAdd,
  priorityWord,
  spokenPhrases,
} from '../../../tasks/index.ts';
import { takeListWord } from './names.ts';
import type { Edit, ReadContext } from './reading.ts';
import { normalize } from './words.ts';

/** The details a clause states (priority, due date, time, tags) apart from the task it names. */

/**
 * Before the word "priority": not right after a priority, which keeps it ("all high priority tasks" say which
 * tasks, and "priority" stays in the name with "high").
 */
export const PRIORITY_SAID = String.raw`(?<!\b(?:urgent|high|medium|low|top|critical)\s+)`;

/** A priority word and what says it ("to high", "high priority", "priority: p2"), unless it says which tasks. */
const PRIORITY_WORD = new RegExp(
  String.raw`(?<!\b(?:that's|thats|that is|that are|which are|which is|with|marked))\s(?:to\s+|as\s+|at\s+|a\s+|an\s+)?(?:the\s+)?(urgent|asap|critical|top|high|important|medium|normal|low|mid|highest|lowest|p[1-4])(?:[\s-]+priority)?(?!(?:[\s-]+priority)?\s+(?:tasks?|ones?|items?|stuff|things|todos?)\b)(?=\s)|\s${PRIORITY_SAID}(?:priority|prio)\s*:?\s+(?:to\s+)?(urgent|critical|top|high|medium|normal|low|p[1-4])(?=\s)`,
);

/** "everything urgent", "all the low": a priority that says which tasks. */
const EVERYTHING_OF_A_PRIORITY = new RegExp(
  String.raw`\b(?:everything|all|every)\s+(?:the\s+)?${PRIORITY_WORDS}\b`,
);
/** "… to high": the priority a change sets. */
const PRIORITY_AFTER_TO = new RegExp(
  String.raw`\sto\s+(?:the\s+)?(${PRIORITY_WORDS})(?:[\s-]+priority)?(?=\s)`,
);

/** Words of a change that are no part of a task's name: "due", "date", "priority". */
const NAMING_WORDS = new RegExp(
  String.raw`\s(?:due|date|deadline|the due date|due date)(?=\s)|\s${PRIORITY_SAID}priority(?=\s)`,
  'g',
);

/** Words a name does not end with once the details are taken out ("… to", "… back", "… priority"). */
const TRAILING_WORDS = new RegExp(
  String.raw`(?:\s+(?:to|for|until|till|on|by|as|at|and|with|from|instead|back|forward|out|up|down|off|then|this (?:month|time|week|year))|\s+${PRIORITY_SAID}priority)+$`,
);

/** "tagged diy and weekend", "with tags work and planning": written as #tags, which quick add reads. */
export function hashTags(text: string): string {
  return text.replace(
    /[,\s]+(?:and\s+)?(?:tags?(?:ged)?|label(?:l?ed)?|with\s+(?:the\s+)?(?:tags?|labels?))\s*:?\s+(?:it\s+|them\s+|both\s+)?(?:with\s+|as\s+)?(#?[\p{L}\p{N}_-]+(?:(?:\s*,\s*|\s+and\s+|\s*&\s*)#?[\p{L}\p{N}_-]+)*)/giu,
    (_all, list: string) =>
      ` ${tagList(list.toLowerCase())
        .map((tag) => `#${tag}`)
        .join(' ')}`,
  );
}

const DETAIL_FILLER = new Set(
  "it it's its is it is this that's that and so also kind of kinda sort pretty quite really very lol haha oh both all each of them should be now getting becoming actually needs to must has have got with the a an up back forward out".split(
    ' ',
  ),
);

/**
 * The priority, due date, time and tags a clause states, and what is left of it (the task's name). Undefined
 * when it states none.
 */
export function readDetails(said: string, ctx: ReadContext): { edit: Edit; rest: string } | undefined {
  // Words in quotes are a title as written ("add 'text Maria about saturday'"): no date or priority is read in
  // them. Each quote is set aside as a placeholder word and put back in what is left.
  const quotes: string[] = [];
  const text = said.replace(/(?<!\S)(?:"[^"]+"|'[^']+')(?![\p{L}\p{N}])/gu, (quoted) => {
    quotes.push(quoted);
    return `qq${quotes.length - 1}qq`;
  });
  const found = readUnquoted(text, ctx);
  if (!found || quotes.length === 0) return found;
  return {
    ...found,
    rest: found.rest.replace(/qq(\d+)qq/g, (_all, i: string) => quotes[Number(i)] as string),
  };
}

function readUnquoted(text: string, ctx: ReadContext): { edit: Edit; rest: string } | undefined {
  const edit: Edit = {};
  // "move it to the work list" (written "to +work" by markLists).
  const listed = takeListWord(text, ctx.lists);
  if (listed.list) edit.list = listed.list;
  // "push it to the 22nd": a day of the month after "to" is a date, as after "on".
  let rest = ` ${spokenPhrases(listed.text)
    .replace(/\bto the (\d{1,2}(?:st|nd|rd|th))\b/, 'on the $1')
    // "coming friday now", "is now the 11th": beside a date, "now" says it changed, not when.
    .replace(
      /\s+now\b(?=.*\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|today|tonight|\d))|(?<=\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|today|tonight|\d(?:st|nd|rd|th)|\d\s?(?:am|pm)))\s+now\b/g,
      '',
    )
    // "hair appt is the 19th now": the same after a word that states it.
    .replace(/(\b(?:is|are|be|now|it)|'s) the (\d{1,2}(?:st|nd|rd|th))\b/, '$1 on the $2')
    // "set X to repeat every day": the verb of the repeat is not part of the task's name.
    .replace(/\s(?:to\s+)?(?:repeat|recur)(?:s|ring|ing)?(?=\s+every\b)/g, ' ')} `;
  const cut = (pattern: RegExp, use: (m: RegExpExecArray) => void) => {
    const match = pattern.exec(rest);
    if (!match) return;
    use(match);
    rest = `${rest.slice(0, match.index)} ${rest.slice(match.index + match[0].length)}`;
  };
  // "no rush", "honestly not urgent at all", "it's not a priority": it matters little, as quick add reads it;
  // unless another priority is said, when it is a correction ("high not urgent").
  const otherPriority = /\s(?:urgent|asap|critical|top|high|medium|normal|low|p[1-4])\b/.test(
    rest.replace(
      /\s(?:not|no)\s+(?:very\s+|that\s+|so\s+|really\s+|super\s+)?(?:urgent|critical|important)\b/g,
      ' ',
    ),
  );
  if (!otherPriority)
    cut(
      /\s(?:honestly\s+|really\s+|tbh\s+)?(?:it's\s+|it is\s+|its\s+)?(?:not|no)\s+(?:very\s+|that\s+|so\s+|really\s+|super\s+)?(?:urgent|rush|hurry|important|a priority|critical)(?:\s+at\s+all)?(?:\s+(?:though|tho|honestly|tbh))?(?=\s)/,
      () => {
        edit.priority = 'low';
      },
    );
  // "no rush on that one": the task meant is the one just discussed, said again.
  if (edit.priority)
    cut(/\s(?:on|for|with)\s+(?:that|this|it)(?:\s+one)?(?:\s+(?:though|tho))?(?=\s)/, () => {});
  // Corrections name what is not meant: "high not urgent", "3pm not 4", "at 2 instead of 9".
  // "…, not urgent" alone says only what is not meant: details with nothing to change, never a task's name.
  let corrected = false;
  cut(
    /\s(?:not|instead of|rather than)\s+(?:so\s+)?(?:urgent|critical|high|medium|low|important|(?:at\s+)?\d{1,2}(?::\d{2})?\s*(?:am|pm)?)(?=\s)/,
    () => {
      corrected = true;
    },
  );
  // "moved from tuesday to thursday": the day it was is not the day it is.
  cut(
    /\sfrom\s+(?:(?:this|next|last)\s+)?(?:the\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|tomorrow|tonight|\d{1,2}(?:st|nd|rd|th)|\d{1,2}(?::\d{2})?\s*(?:am|pm)?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?)(?=\s+to\s)/,
    () => {},
  );
  // … and dates: "on the 16th, not the 10th", "monday instead of friday".
  cut(
    /\s(?:not|instead of|rather than)\s+(?:on\s+)?(?:the\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|today|tonight|\d{1,2}(?:st|nd|rd|th)|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?)(?=\s)/,
    () => {},
  );
  cut(/\s(?:less|not very|not that|not so|not really|isn't|isnt|not)\s+important(?=\s)/, () => {
    edit.priority = 'low';
  });
  cut(/\s(?:more important|a priority|top of the list)(?=\s)/, () => {
    edit.priority = 'high';
  });
  // "lower everything urgent to high": the priority after "to" is the change, the one after "everything" which
  // tasks, left for the filter.
  const filtered = EVERYTHING_OF_A_PRIORITY.test(rest);
  if (filtered)
    cut(PRIORITY_AFTER_TO, (m) => {
      edit.priority = priorityWord(m[1] as string);
    });
  // Every priority word goes ("important so high priority"); the first one said counts. One that says which
  // tasks ("all high priority tasks", "everything that's urgent") is left for the name.
  for (let said = 0; said < 3 && !(filtered && edit.priority); said++) {
    cut(PRIORITY_WORD, (m) => {
      const priority = priorityWord((m[1] ?? m[2]) as string);
      if (priority) edit.priority ??= priority;
    });
  }
  cut(/\s(?:[-—–,]+\s+)?(?:at\s+|for\s+)?(?:the\s+)?same\s+time(?=\s)/, () => {});
  // "was moved last year too", "a week ago": when something happened, never a task's new date.
  cut(
    /\s(?:last\s+(?:year|month|week|time|night|(?:mon|tues|wednes|thurs|fri|satur|sun)day)|yesterday|(?:a|an|one|two|three|few|\d+)\s+(?:days?|weeks?|months?|years?)\s+ago|a while ago)(?=\s)/,
    () => {},
  );
  // "push it back by two days", "a week later", "delay it 2 days": moved from the task's own date ("in a week"
  // is a date from today, "for two days" how long).
  cut(
    /(?<!\b(?:in|within|for))\s(?:(?:back|forward|out|on)\s+(?:by\s+)?|by\s+)?(\d{1,2}|a couple(?:\s+of)?|a few|a|an|one|two|three|four|five|six|seven)\s+(day|week)s?(?:\s+(?:later|back|on))?(?!\s+(?:from|ago|before|after)\b)(?=\s)/,
    (m) => {
      const count =
        Number(m[1]) ||
        { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, 'a few': 3 }[
          (m[1] as string).replace(/^a couple.*/, 'two')
        ] ||
        1;
      edit.shiftDays = count * (m[2] === 'week' ? 7 : 1);
    },
  );
  // "push the dentist to the week after", "move it to the following week": a week on from the task's own date
  // ("the week after christmas" is a date of its own).
  cut(
    /\s(?:to\s+|till\s+|until\s+)?the\s+(?:week\s+after|following\s+week)(?=\s(?:(?:please|pls|instead|then|thanks|now)\s)*$)/,
    () => {
      edit.shiftDays = 7;
    },
  );
  const tags: string[] = [];
  // "tagged personal not work", "tag: weekend (not errands)": one tag for another.
  cut(
    /\s(?:tags?|tagged|labell?ed)\s*:?\s+#?([\p{L}\p{N}_-]+)\s*,?\s*\(?\s*(?:not|instead of|rather than)\s+#?([\p{L}\p{N}_-]+)\s*\)?(?=\s)/u,
    (m) => {
      tags.push(m[1] as string);
      edit.removeTags = [m[2] as string];
    },
  );
  // ", tagged work" as a clause of its own, after an add: a tag (anywhere else "tagged" names tasks, for a filter).
  cut(/^\s(?:tagged|labell?ed)\s+#?([\p{L}\p{N}_-]+(?:\s+and\s+#?[\p{L}\p{N}_-]+)?)\s*$/u, (m) => {
    tags.push(...tagList(m[1]));
  });
  // "tags work backend" at the end: every word after the plural is a tag.
  cut(
    /\s(?:and\s+)?tags\s*:?\s+((?:#?[\p{L}\p{N}_-]+(?:\s*[,+&]\s*|\s+and\s+|\s+))*#?[\p{L}\p{N}_-]+)\s*$/u,
    (m) => {
      tags.push(...tagList(m[1]));
    },
  );
  cut(
    // "tag it work" is a change; "tagged work" names tasks, and stays for the filter.
    /\s(?:and\s+)?tags?\s*:?\s+(?:it\s+|them\s+|both\s+|all(?:\s+of\s+them)?\s+)?(?:with\s+|as\s+)?#?([\p{L}\p{N}_-]+(?:(?:\s+and\s+|\s*[+&]\s*)#?[\p{L}\p{N}_-]+)?)(?=\s)/u,
    (m) => {
      tags.push(...tagList(m[1]));
    },
  );
  // A #tag before a word for tasks names them ("all the #christmas tasks"), for the filter; anywhere else it is set.
  const settable =
    /(?<!\S)[#@]([\p{L}\p{N}_-]+)(?![\p{L}\p{N}_-])(?!\s+(?:tasks?|ones?|items?|todos?|to-dos?|things|stuff)\b)/gu;
  for (const match of rest.matchAll(settable)) tags.push(match[1] as string);
  rest = rest.replace(settable, ' ');
  if (tags.length) edit.addTags = [...new Set(tags)];
  const time =
    /\s(?:(?:to|for|at|by)\s+)?((?:at\s+)?(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|noon|midday|midnight)|at\s+\d{1,2}(?=\s+(?:not|instead|rather)\b|\s*$))(?=[\s,;.!?])/.exec(
      rest,
    );
  // "change it to 11", "make that 7", "make it 11 instead": an hour alone at the end, after "to", "at", "it" or
  // "that", is the task's new time.
  const hourAlone =
    /\s(?:to|at|it|that|be)\s+(\d{1,2}(?::\d{2})?)(?:\s+(?:instead|then|please|pls|now|actually))?\s*$/.exec(
      rest,
    );
  if (hourAlone && Number((hourAlone[1] as string).split(':')[0]) <= 12) {
    edit.time = hourAlone[1] as string;
    rest = rest.slice(0, hourAlone.index);
  }
  const parsed = parseQuickAdd(rest.trim(), { now: ctx.now, timezone: ctx.timeZone });
  // "daily standup": the repeat word stays in the title it describes, so the words are a name, not details.
  const describes =
    normalize(parsed.title) === normalize(rest) &&
    /\b(?:daily|weekly|fortnightly|monthly|yearly|annually)\s+\p{L}/u.test(rest);
  if (parsed.due_date && !describes) {
    // Quick add keeps the whole text as the title when the date was all of it ("due monday").
    const titled = normalize(parsed.title) === normalize(rest) ? '' : parsed.title;
    // ("the boiler service is on monday": quick add leaves the "is" out of a title, where it says this is news.)
    const news = titled
      ? /^\s((?:is|are)(?:\s+due)?)\s/.exec(normalize(rest).split(normalize(titled))[1] ?? '')
      : null;
    const title = news ? `${titled} ${news[1]}` : titled;
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
    // "push it to thursday", said on a Thursday, is next week's: moving a task to today is said "today".
    const weekday = /^(?:on\s+)?((?:mon|tues|wednes|thurs|fri|satur|sun)day)$/.exec(edit.due ?? '');
    const today = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: ctx.timeZone }).format(
      ctx.now,
    );
    if (weekday && weekday[1] === today.toLowerCase()) edit.due = `next ${weekday[1]}`;
    rest = ` ${title} `;
  }
  rest = rest
    // (A priority that says which tasks keeps its word: "all high priority tasks".)
    .replace(NAMING_WORDS, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(TRAILING_WORDS, '')
    .replace(/^(?:(?:to|for|until|till|on|by|as|at|the|a|an)\s+)+/, '')
    .trim();
  if (/^(?:to|for|until|till|on|by|as|at|the|a|an|and|with|from)$/.test(rest)) rest = '';
  if (/^(?:it|that|this|that one|this one)$/.test(rest)) rest = 'it';
  // "it's kind of important so", "oh and it's … lol": nothing but the details and words around them.
  else if (rest !== '' && rest.split(' ').every((word) => DETAIL_FILLER.has(word))) rest = '';
  if (Object.keys(edit).length === 0 && !(corrected && rest === '')) return undefined;
  return { edit, rest };
}

/** Words around tags said in a sentence, never tags themselves ("tag it landlord instead"). */
const NOT_TAGS = new Set('tag tags the label labels it with as instead too also please pls'.split(' '));

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

export function tagList(text: string | undefined): string[] {
  return (text ?? '')
    .replace(/["'“”‘’]/g, '')
    .split(/\s*(?:,|\band\b|&|\+|\s)\s*/)
    .map((t) => t.replace(/^[#@]/, '').trim())
    .filter((t) => t && !NOT_TAGS.has(t));
}

// ——— Putting the clauses together ———

export function merged(before: Edit, after: Edit): Edit {
  const addTags = [...(before.addTags ?? []), ...(after.addTags ?? [])];
  return { ...before, ...after, ...(addTags.length ? { addTags } : {}) };
}

/** An add's words with an edit's: before a note ("//"), which runs to the end. */
export function withEdit(text: string, edit: Edit): string {
  const [words, note] = text.split(/\s\/\/\s/, 2);
  const joined = `${words} ${editWords(edit)}`.trim();
  const description = edit.description ?? note;
  return description !== undefined ? `${joined} // ${description}` : joined;
}

/** An edit's priority, date and tags in the words quick add reads: "#work p2 friday at 3pm". */
function editWords(edit: Edit): string {
  return [
    ...(edit.addTags ?? []).map((tag) => `#${tag}`),
    edit.priority ? `p${PRIORITY_BY_NUMBER.indexOf(edit.priority) + 1}` : '',
    edit.due ?? '',
    edit.time ? `at ${edit.time}` : '',
    edit.list ? `+${listNameKey(edit.list)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
