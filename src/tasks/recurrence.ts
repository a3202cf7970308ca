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
 * rrule walks period by period until it finds an occurrence or reaches the year 9999, which takes seconds
 * for a rule that (almost) never matches, such as FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30. It reads
 * `options.interval` once or twice per period, so answering 0 after a budget of periods stops the walk. The
 * budget covers about 20 years whatever the frequency.
 */
const PERIOD_BUDGET: Record<number, number> = {
  [RRule.YEARLY]: 20,
  [RRule.MONTHLY]: 240,
  [RRule.WEEKLY]: 1_050,
  [RRule.DAILY]: 7_300,
};

function boundedRule(options: Partial<Options>, dtstart: Date) {
  const rule = new RRule({ ...options, dtstart }, true);
  const interval = rule.options.interval;
  const budget = 2 * (PERIOD_BUDGET[rule.options.freq] ?? 0);
  let reads = 0;
  Object.defineProperty(rule.options, 'interval', { get: () => (++reads > budget ? 0 : interval) });
  return rule;
}

/**
 * Checks an RRULE and returns it in the one form it is stored in (upper case, without the `RRULE:` prefix),
 * or a sentence saying what is wrong. Only what makes sense for a task is accepted: a daily or coarser FREQ
 * and the date parts of RFC 5545; the time of day comes from the due date.
 */
export function normalizeRecurrence(text: string): { rule: string } | { error: string } {
  const rule = text
    .trim()
    .replace(/^RRULE:/i, '')
    .toUpperCase();
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
  let options: Partial<Options>;
  try {
    options = RRule.parseString(rule);
  } catch (error) {
    return { error: `is not a valid RRULE (${error instanceof Error ? error.message : 'unreadable'})` };
  }
  // A rule that never matches (February 30th) is a mistake worth reporting now rather than at completion.
  const probe = new Date('2026-01-01T00:00:00Z');
  if (!boundedRule({ ...options, count: null, until: null }, probe).after(probe, true)) {
    return { error: 'never produces a date; check its BY... parts' };
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
  const next = boundedRule(options, dtstart).after(notBefore, false);
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
    const used = boundedRule(options, dtstart).between(dtstart, next, true).length - 1;
    nextRecurrence = recurrence.replace(/COUNT=\d+/, `COUNT=${options.count - used}`);
  }
  return { due: nextDue, recurrence: nextRecurrence };
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
