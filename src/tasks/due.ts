/**
 * Due dates come in two forms: a calendar date (`2026-12-03`, "some time that day", read in the user's time
 * zone) and a date-time with an offset (`2026-12-03T17:00:00+02:00`, one instant). Both are kept as written and
 * given a sort key (`at`), see tasks.tables.ts.
 */
export interface Due {
  /** Exactly as written by the client. */
  text: string;
  allDay: boolean;
  /** The instant for a date-time; noon UTC of the date for a calendar date. */
  at: Date;
  /** For a date-time, the offset it was written with, in minutes east of UTC. */
  offset: number | null;
}

/** An IANA time zone name, or a fixed offset in minutes east of UTC. */
export type Zone = string | number;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;
const DAY_MS = 86_400_000;

export const DUE_FORMAT_HINT =
  'must be a date such as 2026-12-03 or a date-time with offset such as 2026-12-03T17:00:00+02:00, before the ' +
  'year 10000';

export function parseDue(text: string): Due | undefined {
  const date = DATE.exec(text);
  if (date) {
    const at = utc(Number(date[1]), Number(date[2]), Number(date[3]), 12);
    return at ? { text, allDay: true, at, offset: null } : undefined;
  }
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  const offset = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  // Offsets in use on Earth run from -12:00 to +14:00; anything beyond is a typo, not a time zone.
  if (hour > 23 || minute > 59 || second > 59 || Number(m[11] ?? 0) > 59 || Math.abs(offset) > 14 * 60) {
    return undefined;
  }
  const wall = utc(Number(m[1]), Number(m[2]), Number(m[3]), hour, minute, second);
  if (!wall) return undefined;
  const millis = Math.floor(Number(`0${m[7] ?? ''}`) * 1000);
  const at = new Date(wall.getTime() + millis - offset * 60_000);
  // Within the years PostgreSQL and ISO 8601 write with four digits, in UTC as in the zone it was written in.
  const year = at.getUTCFullYear();
  return year >= 1 && year <= 9999 ? { text, allDay: false, at, offset } : undefined;
}

export function isDue(text: string): boolean {
  return parseDue(text) !== undefined;
}

/** The sort key of an all-day task due on `date`: noon UTC, inside that day in (almost) every time zone. */
export function allDayKey(date: string): Date {
  return new Date(`${date}T12:00:00Z`);
}

/** The calendar date (`YYYY-MM-DD`) of an instant in a zone. */
export function localDate(instant: Date, zone: Zone): string {
  return toWallClock(instant, zone).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** The instant a calendar day starts in a zone (the first valid time when midnight is skipped by DST). */
export function startOfDay(date: string, zone: Zone): Date {
  return fromWallClock(new Date(`${date}T00:00:00Z`), zone);
}

/** Minutes east of UTC that a zone is at an instant. */
export function offsetAt(instant: Date, zone: Zone): number {
  if (typeof zone === 'number') return zone;
  const parts: Record<string, number> = {};
  for (const { type, value } of formatterFor(zone).formatToParts(instant)) parts[type] = Number(value);
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The wall-clock time of an instant in a zone, as a Date whose UTC fields read that wall clock. */
export function toWallClock(instant: Date, zone: Zone): Date {
  return new Date(instant.getTime() + offsetAt(instant, zone) * 60_000);
}

/** The instant a wall-clock time (UTC fields of `wall`) happens in a zone. */
export function fromWallClock(wall: Date, zone: Zone): Date {
  const first = offsetAt(wall, zone);
  const second = offsetAt(new Date(wall.getTime() - first * 60_000), zone);
  if (first === second) return new Date(wall.getTime() - first * 60_000);
  // Near a DST change: the offset that reads the wall time back is the right one. When neither does, the
  // time was skipped by the clocks moving forward, and the moment they jumped is what is meant.
  const fits = [first, second].find((offset) => {
    const instant = new Date(wall.getTime() - offset * 60_000);
    return offsetAt(instant, zone) === offset;
  });
  return new Date(wall.getTime() - (fits ?? Math.min(first, second)) * 60_000);
}

/** `YYYY-MM-DDTHH:mm:ss±hh:mm` (or `Z` when asked and the offset is 0), the wall clock at that offset. */
export function formatDateTime(instant: Date, offset: number, useZ: boolean): string {
  const wall = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 19);
  if (offset === 0 && useZ) return `${wall}Z`;
  const abs = Math.abs(offset);
  const sign = offset < 0 ? '-' : '+';
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** A UTC date from calendar fields, or undefined when they name no real date (2026-02-30). */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date | undefined {
  // PostgreSQL has no year 0: the year before 1 AD is 1 BC.
  if (year < 1) return undefined;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? date
    : undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
