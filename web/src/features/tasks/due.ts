/**
 * Due dates as a person reads them, in their account's time zone: "Today 17:00", "Tomorrow", "Fri", "3 Dec".
 * A calendar date (2026-12-03) is due all that day; a date-time is due at its instant.
 */

const DAY_MS = 86_400_000;

function dayKey(instant: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** Today's date in the account's zone: YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  return dayKey(now, timeZone);
}

/** The calendar date `days` after a YYYY-MM-DD date. */
export function addDays(key: string, days: number): string {
  return new Date((dayNumber(key) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** A calendar date (due all that day), as opposed to a date-time. */
const isDay = (due: string) => /^\d{4}-\d{2}-\d{2}$/.test(due);

const dayNumber = (key: string) =>
  Date.UTC(+key.slice(0, 4), +key.slice(5, 7) - 1, +key.slice(8, 10)) / DAY_MS;

export interface DueDescription {
  label: string;
  /** Written out for screen readers and the tooltip: "Thursday 3 December 2026, 17:00". */
  full: string;
  overdue: boolean;
}

export function describeDue(due: string, timeZone: string, now = new Date()): DueDescription {
  const dateOnly = isDay(due);
  const instant = dateOnly ? new Date(`${due}T12:00:00Z`) : new Date(due);
  const zone = dateOnly ? 'UTC' : timeZone;
  const key = dateOnly ? due : dayKey(instant, timeZone);
  const days = dayNumber(key) - dayNumber(dayKey(now, timeZone));
  const sameYear = key.slice(0, 4) === dayKey(now, timeZone).slice(0, 4);

  let day: string;
  if (days === 0) day = 'Today';
  else if (days === 1) day = 'Tomorrow';
  else if (days === -1) day = 'Yesterday';
  else if (days > 1 && days < 7)
    day = new Intl.DateTimeFormat(undefined, { timeZone: zone, weekday: 'short' }).format(instant);
  else
    day = new Intl.DateTimeFormat(undefined, {
      timeZone: zone,
      day: 'numeric',
      month: 'short',
      year: sameYear ? undefined : 'numeric',
    }).format(instant);
  const time = dateOnly
    ? ''
    : new Intl.DateTimeFormat(undefined, { timeZone, hour: 'numeric', minute: '2-digit' }).format(instant);
  const full = new Intl.DateTimeFormat(undefined, {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...(dateOnly ? {} : { hour: 'numeric', minute: '2-digit' }),
  }).format(instant);
  return {
    label: time ? `${day} ${time}` : day,
    full,
    overdue: dateOnly ? days < 0 : instant.getTime() < now.getTime(),
  };
}

/** The day part of a due date in the account's zone, for a date input: YYYY-MM-DD. */
export function dueDay(due: string | null, timeZone: string): string {
  if (!due) return '';
  return isDay(due) ? due : dayKey(new Date(due), timeZone);
}

/** The time part of a due date-time in the account's zone, for a time input (HH:MM); '' for a calendar date. */
export function dueTime(due: string | null, timeZone: string): string {
  if (!due || isDay(due)) return '';
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(due))
    .slice(0, 5);
}

/**
 * What a day and a time of day in the account's zone are as a due date: the day alone (due all that day), or the
 * wall time written with the zone's offset on that day (2026-12-08T15:00:00-05:00), so it reads as it was typed.
 */
export function dueFrom(day: string, time: string, timeZone: string): string | null {
  if (!day) return null;
  if (!time) return day;
  const wall = Date.UTC(
    +day.slice(0, 4),
    +day.slice(5, 7) - 1,
    +day.slice(8, 10),
    +time.slice(0, 2),
    +time.slice(3, 5),
  );
  // The offset at the instant the wall time names: guessed from the wall time read as UTC, then checked once,
  // which settles it on either side of a daylight-saving change.
  const guess = offsetMinutes(new Date(wall), timeZone);
  const offset = offsetMinutes(new Date(wall - guess * 60_000), timeZone);
  const sign = offset < 0 ? '-' : '+';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day}T${time}:00${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** How far the zone's clocks are ahead of UTC at an instant, in minutes, from the zone's own "GMT-05:00". */
function offsetMinutes(instant: Date, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((part) => part.type === 'timeZoneName')?.value;
  const [, sign, hours, minutes] = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '') ?? [];
  return sign ? (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) : 0;
}

const WEEKDAYS: Record<string, string> = {
  MO: 'Mon',
  TU: 'Tue',
  WE: 'Wed',
  TH: 'Thu',
  FR: 'Fri',
  SA: 'Sat',
  SU: 'Sun',
};
const UNITS: Record<string, string> = { DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' };

/** FREQ=WEEKLY;BYDAY=MO,FR → "every week on Mon, Fri"; an unusual rule is shown as written. */
export function describeRecurrence(rule: string): string {
  const parts = Object.fromEntries(rule.split(';').map((part) => part.split('=') as [string, string]));
  const unit = UNITS[parts.FREQ ?? ''];
  if (!unit) return rule;
  const interval = Number(parts.INTERVAL ?? 1);
  let text = interval > 1 ? `every ${interval} ${unit}s` : `every ${unit}`;
  if (parts.BYDAY)
    text += ` on ${parts.BYDAY.split(',')
      .map((day) => WEEKDAYS[day.slice(-2)] ?? day)
      .join(', ')}`;
  if (parts.BYMONTHDAY) text += ` on day ${parts.BYMONTHDAY}`;
  return text;
}
