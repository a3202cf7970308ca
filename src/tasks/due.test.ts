import { describe, expect, it } from 'vitest';
import { addDays, formatDateTime, fromWallClock, localDate, offsetAt, parseDue, startOfDay } from './due.ts';

describe('parseDue', () => {
  it('reads a calendar date as all day, keyed at noon UTC', () => {
    expect(parseDue('2026-12-03')).toEqual({
      text: '2026-12-03',
      allDay: true,
      at: new Date('2026-12-03T12:00:00Z'),
      offset: null,
    });
    expect(parseDue('2028-02-29')?.allDay).toBe(true);
  });

  it('reads a date-time with its offset as that instant', () => {
    expect(parseDue('2026-12-03T17:00:00+02:00')).toMatchObject({
      allDay: false,
      at: new Date('2026-12-03T15:00:00Z'),
      offset: 120,
    });
    expect(parseDue('2026-12-03T17:00Z')?.at).toEqual(new Date('2026-12-03T17:00:00Z'));
    expect(parseDue('2026-12-03T17:00:00.125-05:30')).toMatchObject({
      at: new Date('2026-12-03T22:30:00.125Z'),
      offset: -330,
    });
  });

  it('refuses impossible dates and date-times without an offset', () => {
    for (const text of [
      '0000-06-01',
      '0001-01-01T00:30:00+01:00',
      '2026-02-30',
      '2027-02-29',
      '2026-13-01',
      '2026-12-03T24:00:00Z',
      '2026-12-03T10:60:00Z',
      '2026-12-03T10:00:00',
      '2026-12-03T10:00:00+02:60',
      '2026-12-03T10:00:00+25:00',
      '2026-12-03T10:00:00-14:30',
      '2026-12-03 10:00:00Z',
      '03/12/2026',
      '',
    ]) {
      expect(parseDue(text), text).toBeUndefined();
    }
  });
});

describe('time zones', () => {
  it('tells the calendar date of an instant in a zone', () => {
    const instant = new Date('2026-12-03T23:30:00Z');
    expect(localDate(instant, 'UTC')).toBe('2026-12-03');
    expect(localDate(instant, 'Asia/Tokyo')).toBe('2026-12-04');
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2026-12-03');
    expect(localDate(instant, 60)).toBe('2026-12-04');
  });

  it('finds when a day starts in a zone, also on the days the clocks change', () => {
    expect(startOfDay('2026-12-03', 'Europe/Paris')).toEqual(new Date('2026-12-02T23:00:00Z'));
    expect(startOfDay('2027-03-28', 'Europe/Paris')).toEqual(new Date('2027-03-27T23:00:00Z'));
    expect(startOfDay('2027-03-29', 'Europe/Paris')).toEqual(new Date('2027-03-28T22:00:00Z'));
    // Midnight does not exist in Santiago on the day DST starts; the day starts at 01:00.
    expect(startOfDay('2026-09-06', 'America/Santiago')).toEqual(new Date('2026-09-06T04:00:00Z'));
  });

  it('turns wall-clock times into instants, with the offset in force then', () => {
    const wall = new Date('2027-03-29T09:00:00Z');
    expect(fromWallClock(wall, 'Europe/Paris')).toEqual(new Date('2027-03-29T07:00:00Z'));
    expect(offsetAt(new Date('2027-03-29T07:00:00Z'), 'Europe/Paris')).toBe(120);
    expect(fromWallClock(wall, -300)).toEqual(new Date('2027-03-29T14:00:00Z'));
  });

  it('formats a date-time with its offset, or Z when asked', () => {
    const instant = new Date('2026-12-03T15:00:00Z');
    expect(formatDateTime(instant, 120, false)).toBe('2026-12-03T17:00:00+02:00');
    expect(formatDateTime(instant, -330, false)).toBe('2026-12-03T09:30:00-05:30');
    expect(formatDateTime(instant, 0, true)).toBe('2026-12-03T15:00:00Z');
    expect(formatDateTime(instant, 0, false)).toBe('2026-12-03T15:00:00+00:00');
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });
});
