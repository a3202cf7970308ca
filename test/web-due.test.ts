import { describe, expect, it } from 'vitest';
import { dueDay, dueFrom, dueTime } from '../web/src/features/tasks/due.ts';

// The page's edit form reads a due date into a day and a time of day in the account's zone and writes them back.
describe('due dates in the edit form', () => {
  it('reads a date-time as its day and time in the account’s zone, and a calendar date as a day alone', () => {
    expect(dueDay('2026-12-08T15:00:00-05:00', 'America/New_York')).toBe('2026-12-08');
    expect(dueTime('2026-12-08T15:00:00-05:00', 'America/New_York')).toBe('15:00');
    expect(dueTime('2026-12-08T15:00:00-05:00', 'Europe/Paris')).toBe('21:00');
    expect(dueDay('2026-12-08T23:30:00-05:00', 'Europe/Paris')).toBe('2026-12-09');
    expect(dueTime('2026-12-08', 'Europe/Paris')).toBe('');
    expect(dueTime(null, 'Europe/Paris')).toBe('');
  });

  it('writes a day and a time with the zone’s offset on that day, summer or winter', () => {
    expect(dueFrom('2026-12-10', '15:00', 'America/New_York')).toBe('2026-12-10T15:00:00-05:00');
    expect(dueFrom('2026-07-10', '15:00', 'America/New_York')).toBe('2026-07-10T15:00:00-04:00');
    expect(dueFrom('2026-03-29', '09:30', 'Europe/Paris')).toBe('2026-03-29T09:30:00+02:00');
    expect(dueFrom('2026-03-28', '09:30', 'Europe/Paris')).toBe('2026-03-28T09:30:00+01:00');
    expect(dueFrom('2026-12-10', '08:15', 'Asia/Kolkata')).toBe('2026-12-10T08:15:00+05:30');
    expect(dueFrom('2026-12-10', '', 'Asia/Kolkata')).toBe('2026-12-10');
    expect(dueFrom('', '', 'Asia/Kolkata')).toBeNull();
  });

  it('gives back what it read, so an unchanged time survives a change of day', () => {
    const zone = 'America/New_York';
    const due = '2026-12-08T15:00:00-05:00';
    expect(dueFrom('2026-12-10', dueTime(due, zone), zone)).toBe('2026-12-10T15:00:00-05:00');
  });
});
