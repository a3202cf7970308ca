import { listNameKey } from '../../../lists/index.ts';
import {
  addDays,
  localDate,
  type Priority,
  parseQuickAdd,
  priorityWord,
  startOfDay,
} from '../../../tasks/index.ts';
import { takeListWord } from './names.ts';
import type { ReadContext } from './reading.ts';

/** Which tasks a question or a bulk request is about: "high priority stuff due this week tagged work". */
export interface ListFilter {
  status: 'pending' | 'completed' | 'all';
  priority?: Priority[];
  tags?: string[];
  due?: 'overdue' | 'today' | 'week' | 'none';
  due_after?: string;
  due_before?: string;
  /** Completed on or after this instant (the list tool cannot filter on completion time, so it is done here). */
  completedSince?: Date;
  /** Only repeating tasks (the list tool cannot filter on it, so it is done here too). */
  recurring?: boolean;
  /** Only the tasks of the user's list of this name. */
  list?: string;
  /** Said to be still to do ("still", "left"): a question naming tasks looks among those only. */
  open?: boolean;
  /** What the filter reads as, for replies: "due today", "tagged work". */
  label: string;
}

/** Words before "tasks" that say which tasks but are not tag names ("my open tasks"). */
const NOT_TAGS = new Set(
  'my the all open pending completed finished done overdue urgent important high low medium normal critical top new old current remaining other these those every recent upcoming late undated some any priority today todays tomorrow tomorrows week weekend p1 p2 p3 p4 outstanding unfinished incomplete active your our of me us you repeating recurring'.split(
    ' ',
  ),
);
const WEEKDAY =
  /\b(?:on\s+)?((?:mon|tues|wednes|thurs|fri|satur|sun)day|next\s+\w+day|the\s+\d{1,2}(?:st|nd|rd|th)|\w+\s+\d{1,2}(?:st|nd|rd|th)?)\b|\bon\s+(mon|tue|wed|thu|thur|thurs|fri|sat|sun)\b/;
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
/** "before the 10th", "by christmas", "between now and sunday": every task due until that day. */
const UNTIL = /\b(?:before|by|until|till|til|up to|between now and|from now (?:to|until|till))\s+(.+)$/;

const SHORT_DAYS: Readonly<Record<string, string>> = {
  mon: 'monday',
  tue: 'tuesday',
  tues: 'tuesday',
  wed: 'wednesday',
  weds: 'wednesday',
  thu: 'thursday',
  thur: 'thursday',
  thurs: 'thursday',
  fri: 'friday',
  sat: 'saturday',
  sun: 'sunday',
};

/** "what's due sun", "tomorrow and sat", "in jan": short days and months written out, after a word that leads to one. */
function writtenOut(text: string): string {
  return text
    .replace(
      /(?<=\b(?:due|on|by|before|until|till|and|or|&|\+|to|this|next|for)\s+)(mon|tues?|weds?|thu|thurs?|fri|sat|sun)\b\.?/g,
      (short) => SHORT_DAYS[short.replace('.', '')] ?? short,
    )
    .replace(
      /(?<=\b(?:in|during|for|by|before|until|till)\s+)(jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?/g,
      (short) => MONTHS.find((month) => month.startsWith(short.replace('.', '').slice(0, 3))) ?? short,
    );
}

/**
 * Reads the filter a question or a bulk request names. `status` is where it starts: pending for questions,
 * all for deletes ("delete the old ones" may mean completed ones too).
 */
export function readFilter(said: string, ctx: ReadContext, status: 'pending' | 'all'): ListFilter {
  // "what's on the groceries list?" (written "on +groceries" by markLists).
  const listed = takeListWord(said, ctx.lists);
  // Quotes around a tag name go; an apostrophe inside a word ("today's") stays.
  const text = writtenOut(listed.text.replace(/"|(?<![\p{L}\p{N}])'|'(?![\p{L}\p{N}])/gu, ''));
  const labels: string[] = [];
  const filter: ListFilter = { status, label: '', ...(listed.list ? { list: listed.list } : {}) };
  const today = localDate(ctx.now, ctx.timeZone);
  const finished =
    /\b(?:finish|finished|completed|done|did i (?:do|get done|complete|finish)|closed|ticked off|checked off|accomplished)\b/.test(
      text,
    );
  // "what do I need to get done today?", "what's left to finish?": what is still to do.
  const toDo =
    /\b(?:need|needs|have|has|got|want|ought|must|should)\s+to\s+(?:get\s+)?(?:done|finish|complete)\b|\b(?:must|gotta|need to|have to)\s+get\s+done\b|\bleft\s+to\s+(?:do|finish|complete)\b|\bnot\s+(?:yet\s+)?(?:done|finished|completed)\b/.test(
      text,
    );
  // ("Is X still on my list?" asks about X, done or not.)
  const yesOrNo = /^\s*(?:is|are|was|were|did|do|does|has|have)\b/.test(text);
  if (!yesOrNo && (/\b(?:still|left|remaining|outstanding|unfinished|pending)\b/.test(text) || toDo))
    filter.open = true;
  if (finished && !toDo) {
    filter.status = 'completed';
    labels.push('completed');
  }
  if (
    /\b(?:all|every|everything)\b.*\b(?:including|and|incl)\s+(?:the\s+)?(?:completed|done|finished)\b|\ball my tasks including\b/.test(
      text,
    )
  ) {
    filter.status = 'all';
  }
  const day = WEEKDAY.exec(text);
  const dayDate = day
    ? parseQuickAdd(day[2] ? `on ${day[2]}day` : day[0], { now: ctx.now, timezone: ctx.timeZone }).due_date
    : null;
  const until = UNTIL.exec(text);
  const untilDate = until
    ? parseQuickAdd(`by ${until[1]}`, { now: ctx.now, timezone: ctx.timeZone }).due_date?.slice(0, 10)
    : undefined;
  // "everything due after christmas": from the day after.
  const after = /\b(?:due\s+|dated\s+)?after\s+(.+)$/.exec(text);
  const afterDate = after
    ? parseQuickAdd(`by ${after[1]}`, { now: ctx.now, timezone: ctx.timeZone }).due_date?.slice(0, 10)
    : undefined;
  const month =
    /\b(?:in|during|for)\s+(january|february|march|april|may|june|july|august|september|october|november|december)\b/.exec(
      text,
    );
  const thisMonth = /\b(this|next|the|current)\s+month\b/.exec(text);
  // "due today or overdue", "overdue + today": everything due until the end of today.
  if (
    /\b(?:today|tonight)\s+(?:and|or|&|\+)\s+(?:anything\s+)?(?:overdue|late)\b|\b(?:overdue|late)\s+(?:and|or|&|\+)\s+(?:due\s+)?(?:today|tonight)\b/.test(
      text,
    ) &&
    filter.status !== 'completed'
  ) {
    filter.due_before = addDays(today, 1);
    labels.push('overdue or due today');
  } else if (/\boverdue\b|\blate\b|\bpast due\b|\bbehind\b|\bmissed\b/.test(text)) {
    filter.due = 'overdue';
    labels.push('overdue');
  } else if (/\btoday\s+(?:and|or|&|\+)\s+tomorrow\b/.test(text) && filter.status !== 'completed') {
    filter.due_after = addDays(today, -1);
    filter.due_before = addDays(today, 2);
    labels.push('due today or tomorrow');
  } else if (/\b(?:today|tonight|this evening|this morning|this afternoon)\b/.test(text)) {
    if (filter.status === 'completed') filter.completedSince = startOfDay(today, ctx.timeZone);
    else filter.due = 'today';
    labels.push(filter.status === 'completed' ? 'today' : 'due today');
  } else if (/\b(?:next|coming)\s+(\d{1,2}|two|three|four|five|few)\s+days\b/.test(text)) {
    const said = /\b(?:next|coming)\s+(\d{1,2}|two|three|four|five|few)\s+days\b/.exec(text)?.[1] as string;
    const days = Number(said) || { two: 2, three: 3, four: 4, five: 5, few: 3 }[said] || 3;
    filter.due_after = addDays(today, -1);
    filter.due_before = addDays(today, days + 1);
    labels.push(`due in the next ${days} days`);
  } else if (/\btomorrow\b/.test(text)) {
    // "tomorrow and saturday": both days, and those between.
    const also =
      /\btomorrow\s+(?:and|or|&|\+|to|through|-)\s+(?:on\s+)?((?:mon|tues|wednes|thurs|fri|satur|sun)day)\b/.exec(
        text,
      );
    const last = also
      ? parseQuickAdd(`on ${also[1]}`, { now: ctx.now, timezone: ctx.timeZone }).due_date?.slice(0, 10)
      : undefined;
    const through = last && last > addDays(today, 1) ? last : undefined;
    filter.due_after = today;
    filter.due_before = addDays(through ?? today, through ? 1 : 2);
    labels.push(through ? `due tomorrow to ${also?.[1]}` : 'due tomorrow');
  } else if (afterDate) {
    filter.due_after = afterDate;
    labels.push(`due after ${after?.[1] ?? afterDate}`);
  } else if (untilDate) {
    // "before the 10th" ends the day before; "by", "until" and "between now and" include that day.
    const before = /\bbefore\b/.test(until?.[0] ?? '');
    filter.due_before = before ? untilDate : addDays(untilDate, 1);
    labels.push(`due ${before ? 'before' : 'by'} ${until?.[1] ?? untilDate}`);
  } else if (month || thisMonth) {
    // "in january" is the coming one; "this month" and "next month" count from today's.
    const todays = Number(today.slice(5, 7)) - 1;
    const index = month
      ? MONTHS.indexOf(month[1] as string)
      : (todays + (thisMonth?.[1] === 'next' ? 1 : 0)) % 12;
    const year = Number(today.slice(0, 4)) + (index < todays ? 1 : 0);
    const first = `${year}-${String(index + 1).padStart(2, '0')}-01`;
    const next = index === 11 ? `${year + 1}-01-01` : `${year}-${String(index + 2).padStart(2, '0')}-01`;
    filter.due_after = addDays(first, -1);
    filter.due_before = next;
    labels.push(month ? `due in ${month[1]}` : `due ${thisMonth?.[0]}`);
  } else if (dayDate && /^\d{4}-\d{2}-\d{2}/.test(dayDate)) {
    const date = dayDate.slice(0, 10);
    // "before friday", "by friday": everything due until then; else that day.
    const until = new RegExp(`\\b(?:before|by|until|till)\\s+(?:on\\s+)?${day?.[1]}`).test(text);
    // "saturday and sunday", "friday or saturday": both days, and those between.
    const also = new RegExp(
      `\\b${day?.[1]}\\s+(?:and|or|&|\\+|to|through|-)\\s+(?:on\\s+)?((?:mon|tues|wednes|thurs|fri|satur|sun)day)\\b`,
    ).exec(text);
    const last = also
      ? parseQuickAdd(`on ${also[1]}`, { now: ctx.now, timezone: ctx.timeZone }).due_date?.slice(0, 10)
      : undefined;
    const through = last && last > date ? last : undefined;
    if (!until) filter.due_after = addDays(date, -1);
    filter.due_before = until && /\bbefore\b/.test(text) ? date : addDays(through ?? date, 1);
    labels.push(`due ${until ? 'by ' : ''}${day?.[1] ?? date}${through ? ` to ${also?.[1]}` : ''}`);
  } else if (/\bweekend\b/.test(text)) {
    // The coming Saturday and Sunday (today's, when it is one of them).
    const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
    const saturday = addDays(today, weekday === 0 ? -1 : 6 - weekday);
    // "before the weekend": everything due until then.
    const until = /\b(?:before|by)\s+(?:the\s+)?weekend\b/.test(text);
    if (!until) filter.due_after = addDays(saturday, -1);
    filter.due_before = until ? saturday : addDays(saturday, 2);
    labels.push(until ? 'due before the weekend' : 'due this weekend');
  } else if (/\bnext week\b/.test(text)) {
    // Next week is Monday to Sunday after this one.
    const monday = addDays(today, 7 - ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
    filter.due_after = addDays(monday, -1);
    filter.due_before = addDays(monday, 7);
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
    /\b(?:no|without(?: a)?|undated|missing(?: a)?)\s*(?:due\s*)?dates?\b|\bsomeday\b|\bundated\b|\b(?:don'?t|doesn'?t|do not|does not)\s+have\s+(?:a\s+|any\s+)?(?:due\s+)?dates?\b|\b(?:haven'?t|have not|didn'?t|did not|never)\s+(?:i\s+|we\s+)?(?:put|set|given|give|added|add)\s+(?:a\s+|any\s+)?(?:due\s+)?(?:date|deadline)\b/.test(
      text,
    )
  ) {
    filter.due = 'none';
    labels.push('without a due date');
  }
  if (/\b(?:repeat(?:s|ing)?|recurring|recurs?)\b/.test(text)) {
    filter.recurring = true;
    labels.push('that repeat');
  }
  // "urgent and high priority tasks": each level said.
  const levels = [
    ...new Set(
      [
        ...text.matchAll(
          /\b(urgent|critical|top|high|important|medium|normal|low|p[1-4]|asap)(?:[\s-]+priority)?\b/g,
        ),
      ].map((m) => priorityWord(m[1] as string) as Priority),
    ),
  ];
  if (levels.length && /priority|urgent|important|critical|asap|\bp[1-4]\b/.test(text)) {
    filter.priority = [
      ...new Set(levels.flatMap((word) => (word === 'high' ? ['high', 'urgent'] : [word]))),
    ] as Priority[];
    labels.push(
      levels.length === 1 && levels[0] === 'high'
        ? 'with high priority'
        : `with ${levels.join(' or ')} priority`,
    );
  }
  // A tag said as one ("tagged old", "#old") is one whatever the word; a word before "tasks" ("my open tasks")
  // is a tag only when it is no word for which tasks.
  // ("#a" is the tag a; "tagged a …" is no tag.)
  const marked = [...text.matchAll(/(?<!\S)[#@]([\p{L}\p{N}_-]+)/gu)].map((m) => m[1] as string);
  const tags = [
    ...[
      ...text.matchAll(
        /(?:tagged(?:\s+with)?|labell?ed|with (?:the )?(?:tag|label)|tag|label)\s+#?([\p{L}\p{N}_-]+)/gu,
      ),
    ].map((m) => m[1] as string),
    ...[
      ...text.matchAll(/(?:in|from|under)\s+(?:the\s+)?([\p{L}\p{N}_-]+)\s+(?:tag|label|list)\b/gu),
      ...text.matchAll(
        // ("the car stuff" may be a tag or words of titles: left to the words the tasks are about.)
        /\b(?:show|list|see|view|my|all|the|any)\s+(?:my\s+|the\s+|all\s+|of\s+my\s+)?([\p{L}\p{N}_-]+)\s+(?:tasks|items|todos|to-?dos)\b/gu,
      ),
    ]
      .map((m) => m[1] as string)
      // ("the car-related tasks": a topic, left to the words the tasks are about.)
      .filter((word) => !NOT_TAGS.has(word) && !/-related$/.test(word))
      // "all work tasks", with a list named Work: that list's tasks, not a tag.
      .filter((word) => {
        const list = filter.list
          ? undefined
          : ctx.lists?.find((name) => listNameKey(name) === listNameKey(word));
        if (list) filter.list = list;
        return !list;
      }),
  ].filter((word) => !['the', 'my', 'a', 'with', 'as'].includes(word));
  if (tags.length + marked.length > 0) {
    filter.tags = [...new Set([...tags, ...marked])];
    labels.push(`tagged ${filter.tags.join(' or ')}`);
  }
  if (filter.list) labels.push(`in ${filter.list}`);
  filter.label = labels.join(', ');
  return filter;
}
