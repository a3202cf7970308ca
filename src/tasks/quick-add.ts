import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Component } from 'chrono-node/en';
import type { Options as RRuleOptions, Weekday } from 'rrule';
import rrule from 'rrule';
import { loadOnFirstUse } from '../module-loading.ts';
import { formatDateTime, fromWallClock, offsetAt, toWallClock } from './due.ts';
import {
  PRIORITY_ALONE,
  PRIORITY_BY_NUMBER,
  PRIORITY_LEVEL,
  type Priority,
  priorityWord,
  spokenPhrases,
  TAG,
} from './vocabulary.ts';

// rrule ships CommonJS without an `exports` map, so Node's ESM loader only sees its default export.
const { RRule, rrulestr } = rrule;
// Fifty modules that only a quick add reads dates with.
const chrono = loadOnFirstUse<typeof import('chrono-node/en')>('chrono-node/en');
let dateParserReady: Promise<void> | undefined;

/**
 * Loads the date parser and runs it once, each in a turn of the event loop of its own, so that the first request
 * that reads a date does not pay both in one stretch (30-60 ms on a busy machine, where a warm parse takes 1-2).
 * Callers that can wait await it before parseQuickAdd, which works without it.
 */
export function prepareDateParser(): Promise<void> {
  dateParserReady ??= (async () => {
    await nextTurn();
    chrono();
    await nextTurn();
    chrono().parse('every monday at 9am', new Date(), { forwardDate: true });
    await nextTurn();
  })();
  return dateParserReady;
}

/**
 * Todoist-style quick add: "Pay rent every month on the 1st at 9am p2 #home // by transfer".
 *
 * Limits accepted on purpose (a title can lose a word that was meant literally; the task stays editable):
 * - English only. Words are taken wherever they stand: "Call about urgent matter" becomes priority urgent.
 * - Text inside quotes ('…', "…", “…”) is left alone, so "Read 'May the force' book" keeps its title.
 * - A month without a day or year ("march", "in May") and the words "sun", "sat", "now", "morning",
 *   "afternoon", "evening" and "night" are not dates on their own: they stay in the title, while "on sun",
 *   "this sat", "this evening", "next month" and "may 3" are dates.
 * - A time needs a cue (5pm, 14:30, at 9, noon, midnight); "chapter 12 tomorrow" is tomorrow, not noon.
 *   Parts of the day without a clock time ("tonight", "tomorrow morning") give a date without a time.
 * - Only the first date and the first recurrence count; later ones stay in the title. Times are kept to
 *   the minute. A preposition right before the date ("on", "in", "by", "due", "at", "before", "until",
 *   "from", "starting") goes with it.
 * - The recurrence rule carries no time (BYHOUR): the time of the first occurrence is in `due_date`,
 *   which is the rule's start.
 * - `timezone` must be a valid IANA name; Intl throws a RangeError otherwise.
 */

export interface QuickAddResult {
  title: string;
  description: string | null;
  priority: Priority | null;
  tags: string[];
  due_date: string | null;
  recurrence: string | null;
}

export interface QuickAddOptions {
  now: Date;
  timezone: string;
}

interface Span {
  start: number;
  end: number;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

interface FoundDate {
  wall: WallClock;
  dateSaid: boolean;
  timeSaid: boolean;
}

const UNTITLED = 'Untitled';
const MAX_DATE_ATTEMPTS = 5;

// Lookbehinds instead of \b, which knows nothing of non-ASCII letters.
const NOT_AFTER_WORD = '(?<![\\p{L}\\p{N}_-])';
const NOT_BEFORE_WORD = '(?![\\p{L}\\p{N}_-])';

const DESCRIPTION = /(?:^|\s)\/\//;
// A quote opens after whitespace and closes before a non-letter, so apostrophes (don't, Bob's) open nothing.
const QUOTED = /(?<!\S)(?:"[^"]+"|'[^']+'|“[^”]+”|‘[^’]+’)(?![\p{L}\p{N}])/gu;
const PROTECTED = '¦';
const PRIORITY = new RegExp(
  `${NOT_AFTER_WORD}(?<![!])(?:p([1-4])|!{1,2}([1-4])|!{1,2}(${Object.keys(PRIORITY_LEVEL).join('|')})|(${Object.keys(PRIORITY_ALONE).join('|')})|(${Object.keys(PRIORITY_LEVEL).join('|')})[ -]priority)${NOT_BEFORE_WORD}`,
  'giu',
);
/**
 * A priority said negated ("not urgent", "not very important", "no rush"): the task matters little, where the word
 * alone would have made it urgent (and left "not" in the title).
 */
const LOW_PRIORITY_SAID = new RegExp(
  `${NOT_AFTER_WORD}(?:(?:not(?:\\s+(?:very|that|so|really|too))?|less|isn'?t)\\s+(?:${Object.keys(PRIORITY_ALONE).join('|')}|(?:${Object.keys(PRIORITY_LEVEL).join('|')})[ -]priority)|no\\s+rush)${NOT_BEFORE_WORD}`,
  'giu',
);

const DAY_NAME =
  '(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)s?';
const DAY_LIST = `${DAY_NAME}(?:(?:\\s*,\\s*(?:and\\s+)?|\\s+and\\s+|\\s*&\\s*)${DAY_NAME})*`;
const MONTH_NAME =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const END = '(?![\\p{L}\\p{N}])';
const EVERY = new RegExp(`${NOT_AFTER_WORD}every\\s+`, 'giu');
const INTERVAL = '(?:(other)\\s+|(\\d{1,3})\\s+)?';
const WORKING_DAYS = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR];

interface RecurrencePattern {
  pattern: RegExp;
  options: (match: RegExpExecArray) => Partial<RRuleOptions> | null;
}

// Tried in order right after "every "; the first that matches and makes sense wins.
const AFTER_EVERY: RecurrencePattern[] = [
  {
    pattern: new RegExp(`${INTERVAL}months?\\s+on\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?${END}`, 'iuy'),
    options: (m) => {
      const days = monthDay(m[3]);
      return days && withInterval(m, { freq: RRule.MONTHLY, bymonthday: days });
    },
  },
  {
    pattern: new RegExp(`${INTERVAL}weeks?\\s+on\\s+(${DAY_LIST})${END}`, 'iuy'),
    options: (m) => withInterval(m, { freq: RRule.WEEKLY, byweekday: weekdays(m[3] ?? '') }),
  },
  {
    pattern: new RegExp(`${INTERVAL}(day|week|month|year)s?${END}`, 'iuy'),
    options: (m) => withInterval(m, { freq: FREQUENCY_BY_UNIT[(m[3] as string).toLowerCase()] }),
  },
  {
    pattern: new RegExp(`(?:(?:week|work)days?|(weekend)s?)${END}`, 'iuy'),
    options: (m) => ({ freq: RRule.WEEKLY, byweekday: m[1] ? [RRule.SA, RRule.SU] : WORKING_DAYS }),
  },
  {
    pattern: new RegExp(`(${DAY_LIST})${END}`, 'iuy'),
    options: (m) => ({ freq: RRule.WEEKLY, byweekday: weekdays(m[1] ?? '') }),
  },
  {
    pattern: new RegExp(`(${MONTH_NAME})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?${END}`, 'iuy'),
    options: (m) => {
      const month = MONTHS.indexOf((m[1] as string).slice(0, 3).toLowerCase()) + 1;
      const day = Number(m[2]);
      // A day the month never has (feb 30) would send rrule searching until the year 9999.
      const exists = new Date(Date.UTC(2024, month - 1, day)).getUTCDate() === day;
      return exists ? { freq: RRule.YEARLY, bymonth: [month], bymonthday: [day] } : null;
    },
  },
  {
    pattern: new RegExp(
      `(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)(?:\\s+of\\s+(?:the|each|every)\\s+month)?${END}`,
      'iuy',
    ),
    options: (m) => {
      const days = monthDay(m[1]);
      return days && { freq: RRule.MONTHLY, bymonthday: days };
    },
  },
];
const FREQUENCY_BY_UNIT: Record<string, RRuleOptions['freq']> = {
  day: RRule.DAILY,
  week: RRule.WEEKLY,
  month: RRule.MONTHLY,
  year: RRule.YEARLY,
};
const FREQUENCY_ALONE: Record<string, Partial<RRuleOptions>> = {
  daily: { freq: RRule.DAILY },
  weekly: { freq: RRule.WEEKLY },
  fortnightly: { freq: RRule.WEEKLY, interval: 2 },
  monthly: { freq: RRule.MONTHLY },
  yearly: { freq: RRule.YEARLY },
  annually: { freq: RRule.YEARLY },
};
// "weekly" alone repeats ("water plants weekly", "review budget monthly on the 1st", "make it a daily thing");
// before a noun it repeats too, and stays in the title it describes ("Daily standup", "send the weekly update").
const ALONE = new RegExp(`${NOT_AFTER_WORD}(${Object.keys(FREQUENCY_ALONE).join('|')})${END}`, 'giu');
const DESCRIBED_NOUN = new RegExp(
  `^\\s+(?!(?:on|at|from|starting|until|till|for|by|in|and|or|due|every|this|next|tomorrow|today|tonight|please|pls|thing|task|habit|routine|reminder|event)${END})\\p{L}`,
  'u',
);
const DAY_IN_LIST = new RegExp(DAY_NAME, 'giu');
const WEEKDAY_BY_PREFIX: Record<string, Weekday> = {
  mo: RRule.MO,
  tu: RRule.TU,
  we: RRule.WE,
  th: RRule.TH,
  fr: RRule.FR,
  sa: RRule.SA,
  su: RRule.SU,
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// Words chrono reads as dates that are far more often something else in a task title ("Night shift").
const AMBIGUOUS_DATE = /^(?:sun|sat|now|morning|afternoon|evening|night)$/i;
const TIME_CUE = /\d\s*[ap]\.?m\b|\d[:.h]\d|\bat\s+\d|\bnoon\b|\bmidnight\b|o'?clock/i;
const LENGTH_ALONE =
  /^(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}|a couple(?: of)?|a few)\s+(?:minutes?|hours?|days?|weeks?|months?|years?)$/i;
const FOR_DURATION = /^for\s/i;
const LEADING_NUMBER = /^\d+(?=\s)/;
// One preposition, or "due", "starting" or "from" before one ("due on", "starting from"): "let the plumber in on
// the 7th" keeps its "in".
const DANGLING_PREPOSITION = new RegExp(
  `${NOT_AFTER_WORD}(?:(?:due|starting|from)\\s+)?(?:(?:on|by)\\s+or\\s+)?(?:on|in|by|due|at|before|until|till|from|starting)\\s+(?:the\\s+)?$`,
  'iu',
);
const DUE_BEFORE = new RegExp(`${NOT_AFTER_WORD}(?:due|starting)\\s+$`, 'iu');
const SEPARATOR_WORD = /^[,;:–—-]+$/;
/** A date said as news leaves its verb at the end of the title: "mum's birthday is (on the 14th)", "rent is due". */
const NEWS_VERB_LEFT = /\s+(?:is|are)(?:\s+due)?$/i;

export function parseQuickAdd(said: string, options: QuickAddOptions): QuickAddResult {
  const text = spokenPhrases(said);
  const { head, description } = splitDescription(text);
  const cuts: Span[] = [];
  let scan = head.replace(QUOTED, (quoted) => PROTECTED.repeat(quoted.length));
  // Taken words turn into spaces rather than disappearing, so every index still points into `head`.
  const take = (span: Span) => {
    cuts.push(span);
    scan = overwrite(scan, span.start, span.end, ' ');
  };

  const tags: string[] = [];
  const seenTags = new Set<string>();
  for (const match of scan.matchAll(TAG)) {
    const tag = match[1] as string;
    if (!seenTags.has(tag.toLowerCase())) {
      seenTags.add(tag.toLowerCase());
      tags.push(tag);
    }
    take({ start: match.index, end: match.index + match[0].length });
  }

  let priority: Priority | null = null;
  for (const match of scan.matchAll(LOW_PRIORITY_SAID)) {
    priority ??= 'low';
    take({ start: match.index, end: match.index + match[0].length });
  }
  for (const match of scan.matchAll(PRIORITY)) {
    const number = match[1] ?? match[2];
    const word = (match[3] ?? match[4] ?? match[5] ?? '').toLowerCase();
    priority ??= number ? (PRIORITY_BY_NUMBER[Number(number) - 1] ?? null) : (priorityWord(word) ?? null);
    take({ start: match.index, end: match.index + match[0].length });
  }
  const labelsOnly = cuts.slice();

  const rule = findRecurrence(scan);
  if (rule) take(rule.span);

  const written = weeksAfterADay(dayOfMonthSpelledOut(scan, options), options);
  const date = findDate(written, options);
  if (date) {
    // A date written in shorter than said leaves spaces where the rest of its words were: they go with it.
    let end = date.span.end;
    for (let i = end; i < written.length && written[i] === ' '; i++) if (scan[i] !== ' ') end = i + 1;
    take({ start: date.span.start, end });
  }

  let dueDate: string | null = null;
  let recurrence: string | null = null;
  if (rule) {
    const first = firstOccurrence(rule.options, date?.found ?? null, options);
    if (first) {
      recurrence = first.body;
      dueDate = formatDue(first.wall, date?.found.timeSaid ?? false, options.timezone);
    }
  } else if (date) {
    dueDate = formatDue(date.found.wall, date.found.timeSaid, options.timezone);
  }

  const title =
    tidy(without(head, cuts)).replace(date ? NEWS_VERB_LEFT : /$^/, '') ||
    tidy(without(head, labelsOnly)) ||
    tidy(head) ||
    tidy(text) ||
    UNTITLED;
  return { title, description, priority, tags, due_date: dueDate, recurrence };
}

function splitDescription(text: string): { head: string; description: string | null } {
  const match = DESCRIPTION.exec(text);
  if (!match) return { head: text, description: null };
  const description = text.slice(match.index + match[0].length).trim();
  return { head: text.slice(0, match.index), description: description || null };
}

function findRecurrence(scan: string): { span: Span; options: Partial<RRuleOptions> } | null {
  const alones = [...scan.matchAll(ALONE)];
  const alone = alones.find((match) => !DESCRIBED_NOUN.test(scan.slice(match.index + match[0].length)));
  // "Daily standup": the repeat, with the word left in the title it describes (an empty span takes nothing).
  const describing = alones[0];
  if (!alone && describing && scan.search(EVERY) < 0)
    return {
      span: { start: describing.index, end: describing.index },
      options: FREQUENCY_ALONE[(describing[1] as string).toLowerCase()] as Partial<RRuleOptions>,
    };
  for (const every of scan.matchAll(EVERY)) {
    if (alone && alone.index < every.index) break;
    const at = every.index + every[0].length;
    for (const { pattern, options } of AFTER_EVERY) {
      pattern.lastIndex = at;
      const match = pattern.exec(scan);
      const rule = match && options(match);
      if (match && rule) return { span: { start: every.index, end: at + match[0].length }, options: rule };
    }
  }
  if (!alone) return null;
  return {
    span: { start: alone.index, end: alone.index + alone[0].length },
    options: FREQUENCY_ALONE[(alone[1] as string).toLowerCase()] as Partial<RRuleOptions>,
  };
}

function withInterval(match: RegExpExecArray, rule: Partial<RRuleOptions>): Partial<RRuleOptions> | null {
  const interval = match[1] ? 2 : match[2] ? Number(match[2]) : 1;
  if (interval < 1) return null;
  return interval > 1 ? { ...rule, interval } : rule;
}

function monthDay(day: string | undefined): number[] | null {
  const value = Number(day);
  return value >= 1 && value <= 31 ? [value] : null;
}

function weekdays(list: string): Weekday[] {
  const days = new Set<Weekday>();
  for (const [name] of list.matchAll(DAY_IN_LIST)) {
    const day = WEEKDAY_BY_PREFIX[name.slice(0, 2).toLowerCase()];
    if (day) days.add(day);
  }
  return [...days].sort((a, b) => a.weekday - b.weekday);
}

function findDate(scan: string, options: QuickAddOptions): { span: Span; found: FoundDate } | null {
  const reference = { instant: options.now, timezone: offsetAt(options.now, options.timezone) };
  let text = scan;
  for (let attempt = 0; attempt < MAX_DATE_ATTEMPTS; attempt++) {
    const result = chrono().parse(text, reference, { forwardDate: true })[0];
    if (!result) return null;
    const start = result.start;
    const end = result.index + result.text.length;
    const tags = result.tags();
    // A month without its day ("may", "march") is far more often a word of the title than a due date.
    const monthAlone =
      start.isCertain('month') &&
      !start.isCertain('day') &&
      !start.isCertain('year') &&
      !tags.has('result/relativeDate');
    // "about 1099s" is 1099 seconds to the parser, "meditate 20m" twenty minutes: a unit glued to its number
    // is a time from now only after "in" ("in 2h").
    const gluedUnit =
      tags.has('result/relativeDate') &&
      /\d[a-z]/i.test(result.text) &&
      !/^(?:in|within)\s/i.test(result.text);
    // "stretch for 10 minutes", "run for an hour": how long, not when.
    // "what a week", "two days of rain": a length of time alone, without "in" or "from now", is no date.
    const duration =
      tags.has('result/relativeDate') && (FOR_DURATION.test(result.text) || LENGTH_ALONE.test(result.text));
    if (monthAlone || gluedUnit || duration || AMBIGUOUS_DATE.test(result.text)) {
      text = overwrite(text, result.index, end, PROTECTED);
      continue;
    }
    const relativeTime = tags.has('result/relativeDateAndTime');
    const timeSaid = result.start.isCertain('hour');
    if (timeSaid && !relativeTime && !TIME_CUE.test(result.text)) {
      const number = LEADING_NUMBER.exec(result.text);
      if (number) {
        // chrono took a number that belongs to the title ("chapter 12 tomorrow") for an hour.
        text = overwrite(text, result.index, result.index + number[0].length, PROTECTED);
        continue;
      }
    }
    const dateSaid = (['day', 'weekday', 'month', 'year'] as Component[]).some((c) => start.isCertain(c));
    // An instant is exact when chrono knows it (a stated zone, "in 3 hours"); otherwise the words name a wall
    // clock in the user's zone, whose offset on that day may differ from today's.
    const wall =
      relativeTime || start.isCertain('timezoneOffset')
        ? wallClock(start.date(), options.timezone)
        : {
            year: start.get('year') as number,
            month: start.get('month') as number,
            day: start.get('day') as number,
            hour: afternoon(start.get('hour') as number, timeSaid && !start.isCertain('meridiem')),
            minute: start.get('minute') as number,
          };
    if (!dateSaid && timeSaid) nextAtThatTime(wall, options);
    // ("let the plumber in on monday": a date read with its own "on" takes no word before it but "due".)
    const before = (
      /^(?:on|in|at|by|before|until|till|from)\s/i.test(result.text) ? DUE_BEFORE : DANGLING_PREPOSITION
    ).exec(scan.slice(0, result.index));
    return {
      span: { start: before ? before.index : result.index, end },
      found: { wall, dateSaid, timeSaid },
    };
  }
  return null;
}

const DAY_OF_MONTH = new RegExp(
  `${NOT_AFTER_WORD}((?:on|by|due|before|until|till|for|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\\s+)the\\s+(\\d{1,2})(?:st|nd|rd|th)${NOT_BEFORE_WORD}(?!\\s+of\\b)`,
  'giu',
);
const MONTH_ABBREVIATIONS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/**
 * "on the 22nd" is the next 22nd (this month's, or next month's once it has passed), which the date parser
 * does not read without a month. The month is written in, in the same number of characters, so every index
 * still points into the text.
 */
function dayOfMonthSpelledOut(scan: string, options: QuickAddOptions): string {
  return scan.replace(DAY_OF_MONTH, (whole, before: string, day: string) => {
    const today = wallClock(options.now, options.timezone);
    const wanted = Number(day);
    if (wanted < 1 || wanted > 31) return whole;
    // The next month that has that day: "the 31st" said in November is 31 December.
    let month = today.month - 1 + (wanted < today.day ? 1 : 0);
    while (new Date(Date.UTC(today.year, month, wanted)).getUTCDate() !== wanted) month++;
    return `${before}${MONTH_ABBREVIATIONS[month % 12]} ${wanted}`.padEnd(whole.length, ' ');
  });
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKS_AFTER =
  /\b(a|one|two|three|[1-9])\s+weeks?\s+(?:from|after)\s+(?:this\s+)?(sunday|monday|tuesday|wednesday|thursday|friday|saturday|tomorrow)\b/giu;

/**
 * "a week from friday", "two weeks after tomorrow": that day's date and the weeks after it, which the date parser
 * does not read (it takes "friday" and leaves "a week from" in the title). Written in as a month and a day, in no
 * more characters, so every index still points into the text.
 */
function weeksAfterADay(scan: string, options: QuickAddOptions): string {
  return scan.replace(WEEKS_AFTER, (whole, count: string, day: string) => {
    const weeks = { a: 1, one: 1, two: 2, three: 3 }[count.toLowerCase()] ?? Number(count);
    const today = wallClock(options.now, options.timezone);
    const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
    const wanted = WEEKDAYS.indexOf(day.toLowerCase());
    const ahead = wanted < 0 ? 1 : (wanted - weekday + 7) % 7 || 7;
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + ahead + 7 * weeks));
    const written = `${MONTH_ABBREVIATIONS[date.getUTCMonth()]} ${date.getUTCDate()} ${date.getUTCFullYear()}`;
    return written.length <= whole.length ? written.padEnd(whole.length, ' ') : whole;
  });
}

/**
 * "at 2" without am or pm is 2 in the afternoon: one to six o'clock are far more often meant so (Todoist reads
 * them the same way). Seven and later stay as said: "at 8" is the morning.
 */
function afternoon(hour: number, unsure: boolean): number {
  return unsure && hour >= 1 && hour <= 6 ? hour + 12 : hour;
}

/**
 * A time said without a day is its next coming: the parser picks the day before "at 5" becomes 5 in the
 * afternoon, so at 10:00 it would be tomorrow's 17:00 rather than today's.
 */
function nextAtThatTime(wall: WallClock, options: QuickAddOptions): void {
  const now = wallClock(options.now, options.timezone);
  const passed = wall.hour * 60 + wall.minute <= now.hour * 60 + now.minute;
  const day = new Date(Date.UTC(now.year, now.month - 1, now.day + (passed ? 1 : 0)));
  wall.year = day.getUTCFullYear();
  wall.month = day.getUTCMonth() + 1;
  wall.day = day.getUTCDate();
}

/** Hides a stretch from the parsers without moving what follows it. */
function overwrite(text: string, start: number, end: number, fill: string): string {
  return text.slice(0, start) + fill.repeat(end - start) + text.slice(end);
}

function firstOccurrence(
  ruleOptions: Partial<RRuleOptions>,
  found: FoundDate | null,
  options: QuickAddOptions,
): { body: string; wall: WallClock } | null {
  const body = RRule.optionsToString(ruleOptions).replace(/^RRULE:/, '');
  // rrule computes in "floating" time: UTC dates whose fields are the user's wall clock.
  const now = wallClock(options.now, options.timezone);
  const time = found?.timeSaid ? found.wall : { hour: 0, minute: 0 };
  const startDay = found?.dateSaid ? found.wall : now;
  const dtstart = floating({ ...startDay, hour: time.hour, minute: time.minute });
  const notBefore = found?.timeSaid ? floating(now) : floating({ ...now, hour: 0, minute: 0 });
  // The first matching day, ignoring INTERVAL: the due date becomes the series' start, so "every 2 weeks on
  // monday" said on a Tuesday starts next Monday rather than skipping a week.
  const parsed = rrulestr(body, { dtstart }).origOptions;
  const first = new RRule({ ...parsed, interval: 1 }).after(
    new Date(Math.max(notBefore.getTime(), dtstart.getTime())),
    true,
  );
  if (!first) return null;
  return {
    body,
    wall: {
      year: first.getUTCFullYear(),
      month: first.getUTCMonth() + 1,
      day: first.getUTCDate(),
      hour: first.getUTCHours(),
      minute: first.getUTCMinutes(),
    },
  };
}

function floating(wall: WallClock): Date {
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute));
}

function formatDue(wall: WallClock, withTime: boolean, timeZone: string): string {
  if (!withTime) return isoDay(wall);
  // A time that does not exist (inside a DST gap) comes out as the real one the clocks jumped to.
  const instant = fromWallClock(floating(wall), timeZone);
  return formatDateTime(instant, offsetAt(instant, timeZone), false);
}

function isoDay(wall: WallClock): string {
  return `${String(wall.year).padStart(4, '0')}-${pad(wall.month)}-${pad(wall.day)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const wall = toWallClock(instant, timeZone);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
  };
}

function without(text: string, spans: Span[]): string {
  const removed = new Uint8Array(text.length);
  for (const span of spans) removed.fill(1, span.start, span.end);
  let kept = '';
  for (let i = 0; i < text.length; i++) kept += removed[i] ? ' ' : text[i];
  return kept;
}

function tidy(text: string): string {
  // "swap shift (Sat 12th)": brackets the date was taken out of go with it.
  const words = text
    .replace(/\(\s*\)|\[\s*\]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  while (words.length > 0 && SEPARATOR_WORD.test(words[0] as string)) words.shift();
  while (words.length > 0 && SEPARATOR_WORD.test(words[words.length - 1] as string)) words.pop();
  return words
    .join(' ')
    .replace(/\s+([,;:!?])(?=\s|$)/g, '$1')
    .replace(/([,;:])[,;:]+/g, '$1')
    .replace(/[,;:]$/, '');
}
