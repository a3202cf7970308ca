import rrule from 'rrule';
import {
  addDays,
  type Due,
  formatDateTime,
  fromWallClock,
  localDate,
  offsetAt,
  parseDue,
  toWallClock,
  type Zone,
} from './due.ts';

// rrule ships CommonJS without an exports map, so Node's ESM sees only its default export.
const { RRule } = rrule;
type Options = ReturnType<typeof RRule.parseString>;

const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
const WEEKDAY = '(MO|TU|WE|TH|FR|SA|SU)';
const PART_FORMATS: Record<string, { pattern: RegExp; range?: [number, number] }> = {
  FREQ: { pattern: /^[A-Z]+$/ },
  INTERVAL: { pattern: /^\d+$/, range: [1, 1000] },
  COUNT: { pattern: /^\d+$/, range: [1, 10_000] },
  UNTIL: { pattern: /^\d{8}(T\d{6}Z?)?$/ },
  WKST: { pattern: new RegExp(`^${WEEKDAY}$`) },
  BYDAY: { pattern: new RegExp(`^[+-]?(\\d{1,2})?${WEEKDAY}$`), range: [1, 53] },
  BYMONTHDAY: { pattern: /^[+-]?\d{1,2}$/, range: [1, 31] },
  BYMONTH: { pattern: /^\d{1,2}$/, range: [1, 12] },
  BYYEARDAY: { pattern: /^[+-]?\d{1,3}$/, range: [1, 366] },
  BYWEEKNO: { pattern: /^[+-]?\d{1,2}$/, range: [1, 53] },
  BYSETPOS: { pattern: /^[+-]?\d{1,3}$/, range: [1, 366] },
};

/**
 * rrule walks period by period (a day for DAILY, a week, a month, a year) until it finds an occurrence or
 * reaches the year 9999, which takes seconds for a rule that (almost) never matches, such as
 * FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29. It reads `options.interval` twice per period, so answering 0 after a
 * budget of periods stops the walk. The budget is the rarest rule each frequency is meant for, no more:
 * - YEARLY 10: February 29th, which skips 2100 (2096 → 2104: eight years), and ISO week 53 (five or six).
 * - MONTHLY 110: February 29th written monthly (96 months across 2100).
 * - WEEKLY 110: every weekday falls in every month, so a WEEKLY rule with BYMONTH matches within a year; two
 *   years leave room for an INTERVAL.
 * - DAILY 440: Friday the 13th (FREQ=DAILY;BYDAY=FR;BYMONTHDAY=13) is at most 14 months away.
 * A rule rarer than that is refused when it is written, with a pointer to the coarser FREQ that says it; one that
 * was accepted and finds nothing within the budget later (a due date that shifts a weekday rule) ends its series,
 * as one twenty years away did before. Walking a period costs 2-12 µs, 25-40 µs for a year (rrule 2.8 on Node 24,
 * the worst BY... lists, on a loaded two-core machine), so the worst rule costs about 5 ms (DAILY with every
 * BYDAY: 440 periods), where the 7,300 days walked before cost 30-110 ms. The years from a due date long past to
 * today are not walked (see startNear).
 */
const SEARCH_PERIODS: Record<number, number> = {
  [RRule.YEARLY]: 10,
  [RRule.MONTHLY]: 110,
  [RRule.WEEKLY]: 110,
  [RRule.DAILY]: 440,
};
const SPAN: Record<number, string> = {
  [RRule.YEARLY]: '10 years',
  [RRule.MONTHLY]: '110 months',
  [RRule.WEEKLY]: '110 weeks',
  [RRule.DAILY]: '440 days',
};

/** `periods` more periods than the search budget may be walked (catching up from an old due date). */
function boundedRule(options: Partial<Options>, dtstart: Date, periods = 0) {
  const rule = new RRule({ ...options, dtstart }, true);
  const interval = rule.options.interval;
  const budget = 2 * ((SEARCH_PERIODS[rule.options.freq] ?? 0) + periods);
  let reads = 0;
  Object.defineProperty(rule.options, 'interval', { get: () => (++reads > budget ? 0 : interval) });
  return rule;
}

const DAY_MS = 86_400_000;

/**
 * A start for the rule nearer to `target` than `dtstart`, giving the same occurrences from `target` on, so that a
 * task due years ago costs no walk through those years. It moves by whole INTERVALs (keeping the rule's rhythm)
 * to the beginning of a period, one INTERVAL before the one holding `target`, and writes out the parts rrule
 * would otherwise take from the start itself (the weekday of a WEEKLY rule, the day of a MONTHLY one, the day and
 * month of a YEARLY one). Returns how many INTERVALs it skipped.
 */
function startNear(
  options: Partial<Options>,
  dtstart: Date,
  target: Date,
): { options: Partial<Options>; dtstart: Date; skipped: number } {
  const k = options.interval ?? 1;
  const days = Math.floor((target.getTime() - dtstart.getTime()) / DAY_MS);
  const years = target.getUTCFullYear() - dtstart.getUTCFullYear();
  const months = years * 12 + target.getUTCMonth() - dtstart.getUTCMonth();
  const freq = options.freq;
  const behind =
    freq === RRule.DAILY
      ? days
      : freq === RRule.WEEKLY
        ? Math.floor(days / 7)
        : freq === RRule.MONTHLY
          ? months
          : years;
  const skipped = Math.floor(behind / k) - 1;
  if (skipped <= 0) return { options, dtstart, skipped: 0 };
  const filled: Partial<Options> = { ...options };
  const dayParts = [options.byweekno, options.byyearday, options.bymonthday, options.byweekday].some(
    (part) => part !== null && part !== undefined && (!Array.isArray(part) || part.length > 0),
  );
  if (!dayParts) {
    if (freq === RRule.WEEKLY) filled.byweekday = [(dtstart.getUTCDay() + 6) % 7];
    if (freq === RRule.MONTHLY) filled.bymonthday = [dtstart.getUTCDate()];
    if (freq === RRule.YEARLY) {
      filled.bymonth ??= [dtstart.getUTCMonth() + 1];
      filled.bymonthday = [dtstart.getUTCDate()];
    }
  }
  const start = new Date(dtstart);
  const step = skipped * k;
  if (freq === RRule.DAILY) start.setUTCDate(start.getUTCDate() + step);
  else if (freq === RRule.WEEKLY) start.setUTCDate(start.getUTCDate() + 7 * step);
  else if (freq === RRule.MONTHLY)
    start.setUTCFullYear(start.getUTCFullYear(), start.getUTCMonth() + step, 1);
  else start.setUTCFullYear(start.getUTCFullYear() + step, 0, 1);
  return { options: filled, dtstart: start, skipped };
}

/** Rules that RFC 5545 does not allow, and that rrule walks a long way to find rarely or never. */
function misplacedPart(freq: string, seen: Set<string>, rule: string): string | undefined {
  if (seen.has('BYWEEKNO') && freq !== 'YEARLY') return 'may use BYWEEKNO only with FREQ=YEARLY';
  if (seen.has('BYYEARDAY') && freq !== 'YEARLY') return 'may use BYYEARDAY only with FREQ=YEARLY';
  if (seen.has('BYMONTHDAY') && freq === 'WEEKLY') return 'may not use BYMONTHDAY with FREQ=WEEKLY';
  const numbered = /(?:^|;)BYDAY=[^;]*\d/.test(rule);
  if (numbered && (freq === 'DAILY' || freq === 'WEEKLY'))
    return 'may number BYDAY (1MO, -1FR) only with FREQ=MONTHLY or YEARLY';
  if (numbered && seen.has('BYWEEKNO')) return 'may not number BYDAY (1MO, -1FR) with BYWEEKNO';
  // BYSETPOS picks among the dates of one period: a day holds one, a week seven, a month 31 at most.
  const size = { DAILY: 1, WEEKLY: 7, MONTHLY: 31, YEARLY: 366 }[freq] ?? 366;
  const positions = /(?:^|;)BYSETPOS=([^;]*)/.exec(rule)?.[1]?.split(',') ?? [];
  if (freq === 'DAILY' && positions.length > 0)
    return 'may not use BYSETPOS with FREQ=DAILY (a day is one date)';
  if (positions.some((position) => Math.abs(Number(position)) > size))
    return `never produces a date; BYSETPOS picks among the ${size} days of a ${freq.toLowerCase().replace(/ly$/, '')} at most`;
  return undefined;
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether some day of a common or a leap year is in BYMONTH, BYMONTHDAY and BYYEARDAY at once (each counted from
 * the end too when negative): February 30th, April 31st or the 60th day of the year in December never are.
 * 731 days checked, a few microseconds.
 */
function someDayFits(options: Partial<Options>): boolean {
  const list = (value: unknown) =>
    value === null || value === undefined ? null : ([value].flat() as number[]);
  const months = list(options.bymonth);
  const monthDays = list(options.bymonthday);
  const yearDays = list(options.byyearday);
  if (!months && !monthDays && !yearDays) return true;
  for (const leap of [false, true]) {
    const yearLength = leap ? 366 : 365;
    let yearDay = 0;
    for (let month = 1; month <= 12; month++) {
      const length = (MONTH_LENGTHS[month - 1] ?? 0) + (leap && month === 2 ? 1 : 0);
      for (let day = 1; day <= length; day++) {
        yearDay++;
        if (months && !months.includes(month)) continue;
        if (monthDays && !monthDays.includes(day) && !monthDays.includes(day - length - 1)) continue;
        if (yearDays && !yearDays.includes(yearDay) && !yearDays.includes(yearDay - yearLength - 1)) continue;
        return true;
      }
    }
  }
  return false;
}

/** Rules checked lately, by their written form: the check depends on nothing else (the probe date is fixed). */
const checked = new Map<string, { rule: string } | { error: string }>();
const CHECKED_KEPT = 1_000;

/**
 * The form a rule is stored and checked in: upper case, without spaces around it or the `RRULE:` prefix. The
 * cache is keyed on it, so that padding or the case of a rule does not make a check of its own.
 */
export function writtenRule(text: string): string {
  return text
    .trim()
    .replace(/^RRULE:/i, '')
    .toUpperCase();
}

/**
 * Checks an RRULE and returns it in the one form it is stored in (upper case, without the `RRULE:` prefix),
 * or a sentence saying what is wrong. Only what makes sense for a task is accepted: a daily or coarser FREQ
 * and the date parts of RFC 5545; the time of day comes from the due date. The answers for the last thousand
 * texts are kept: an import of 10,000 tasks repeats a few rules, each walked up to 5 ms.
 */
export function normalizeRecurrence(text: string): { rule: string } | { error: string } {
  const rule = writtenRule(text);
  const known = checked.get(rule);
  if (known) return known;
  const result = checkRecurrence(rule);
  if (checked.size >= CHECKED_KEPT) checked.delete(checked.keys().next().value as string);
  checked.set(rule, result);
  return result;
}

function checkRecurrence(rule: string): { rule: string } | { error: string } {
  const seen = new Set<string>();
  for (const part of rule.split(';')) {
    const [key = '', value = '', extra] = part.split('=');
    const format = PART_FORMATS[key];
    if (!format || extra !== undefined) {
      return { error: `has "${part}", which is not one of ${Object.keys(PART_FORMATS).join(', ')}=...` };
    }
    if (seen.has(key)) return { error: `names ${key} twice` };
    seen.add(key);
    for (const item of key === 'FREQ' || key === 'UNTIL' ? [value] : value.split(',')) {
      const match = format.pattern.exec(item);
      const number = Math.abs(Number.parseInt(key === 'BYDAY' ? (match?.[1] ?? '1') : item, 10));
      if (!match || (format.range && (number < format.range[0] || number > format.range[1]))) {
        return { error: `has an invalid ${key} value "${item}"` };
      }
    }
  }
  const freq = /(?:^|;)FREQ=([A-Z]+)/.exec(rule)?.[1];
  if (!freq || !(FREQUENCIES as readonly string[]).includes(freq)) {
    return { error: `needs FREQ=${FREQUENCIES.join('|')}, e.g. FREQ=WEEKLY;BYDAY=MO` };
  }
  if (seen.has('COUNT') && seen.has('UNTIL')) return { error: 'may have COUNT or UNTIL, not both' };
  const misplaced = misplacedPart(freq, seen, rule);
  if (misplaced) return { error: misplaced };
  let options: Partial<Options>;
  try {
    options = RRule.parseString(rule);
  } catch (error) {
    return { error: `is not a valid RRULE (${error instanceof Error ? error.message : 'unreadable'})` };
  }
  // A rule that never matches (February 30th) is a mistake worth reporting now rather than at completion: first
  // what no calendar has, then, within the search budget, what the other parts (BYDAY, BYSETPOS) leave.
  if (!someDayFits(options)) return { error: 'never produces a date; check its BY... parts' };
  const probe = new Date('2026-01-01T00:00:00Z');
  if (!boundedRule({ ...options, count: null, until: null }, probe).after(probe, true)) {
    const rarer = freq === 'YEARLY' ? '' : '; for a rarer date, use a coarser FREQ (e.g. FREQ=YEARLY)';
    return {
      error: `never produces a date within ${SPAN[RRule[freq as 'DAILY']]}; check its BY... parts${rarer}`,
    };
  }
  return { rule };
}

/**
 * Where a recurring task goes when it is completed: the first occurrence of its rule after the current due
 * date that is not already past (so an overdue daily task comes back today, not on a day already gone). The
 * rule is read from the current due date, or from today when there is none (then the next occurrence after
 * today). Dates stay dates. Date-times keep their time of day in the zone they were written in: the user's
 * time zone when the offset matches it (so the time follows daylight saving), else the fixed offset written.
 * COUNT counts the occurrences left from the current due date, so it is lowered by those used up. Returns
 * null when the rule has no further occurrence (COUNT or UNTIL reached): the series is over.
 */
export function nextOccurrence(input: {
  recurrence: string;
  due: Due | null;
  now: Date;
  timeZone: string;
}): { due: Due; recurrence: string } | null {
  const { recurrence, due, now, timeZone } = input;
  const options = RRule.parseString(recurrence);
  const zone: Zone | null =
    due && !due.allDay && due.offset !== null
      ? offsetAt(due.at, timeZone) === due.offset
        ? timeZone
        : due.offset
      : null;
  let dtstart: Date;
  let notBefore: Date;
  if (zone === null) {
    const today = localDate(now, timeZone);
    dtstart = floatingDate(due?.text ?? today);
    notBefore = due ? max(dtstart, floatingDate(addDays(today, -1))) : dtstart;
  } else {
    // Occurrences are computed on wall-clock times, so that "every Monday at 9" stays at 9.
    dtstart = wholeSeconds(toWallClock((due as Due).at, zone));
    notBefore = max(dtstart, toWallClock(now, zone));
  }
  // From a due date far behind, the search starts near `notBefore` instead of walking the years between; with
  // COUNT, whose occurrences are counted from the due date, only when more than the search budget is behind (the
  // occurrences skipped then are not counted).
  const jump = startNear(options, dtstart, notBefore);
  const near = options.count && jump.skipped <= (SEARCH_PERIODS[options.freq ?? 0] ?? 0) ? null : jump;
  const from = near ?? { options, dtstart, skipped: 0 };
  const catchUp = near ? 0 : SEARCH_PERIODS[options.freq ?? 0];
  const next = boundedRule(from.options, from.dtstart, catchUp).after(notBefore, false);
  if (!next) return null;

  let text: string;
  if (zone === null) {
    text = next.toISOString().slice(0, 10);
  } else {
    const instant = fromWallClock(next, zone);
    text = formatDateTime(instant, offsetAt(instant, zone), (due as Due).text.endsWith('Z'));
  }
  const nextDue = parseDue(text);
  if (!nextDue) throw new Error(`next occurrence ${text} is not a due date`);

  let nextRecurrence = recurrence;
  if (options.count) {
    // The occurrences from the due date (or from where the search began, plus the due date) up to the next one.
    const walked = boundedRule(from.options, from.dtstart, catchUp).between(from.dtstart, next, true).length;
    const used = walked - 1 + (near && near.skipped > 0 ? 1 : 0);
    nextRecurrence = recurrence.replace(/COUNT=\d+/, `COUNT=${options.count - used}`);
  }
  return { due: nextDue, recurrence: nextRecurrence };
}

/** The most occurrences `followingOccurrences` gives for one task, whatever the bound: a week of a daily task is 7. */
export const MAX_OCCURRENCES = 31;

/**
 * The due dates a recurring task takes next, one after another, as if it were completed each time (the chain of
 * nextOccurrence, COUNT and UNTIL included), while `before(due)` holds: what a calendar view shows on the days
 * after the task's own. Each step is one nextOccurrence (2-12 µs a period walked; a daily task's week, 7 steps,
 * costs tens of microseconds).
 */
export function followingOccurrences(input: {
  recurrence: string;
  due: Due;
  now: Date;
  timeZone: string;
  before: (due: Due) => boolean;
}): string[] {
  const found: string[] = [];
  let current = { recurrence: input.recurrence, due: input.due };
  while (found.length < MAX_OCCURRENCES) {
    const next = nextOccurrence({ ...current, now: input.now, timeZone: input.timeZone });
    if (!next || !input.before(next.due)) break;
    found.push(next.due.text);
    current = next;
  }
  return found;
}

function floatingDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

function max(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
