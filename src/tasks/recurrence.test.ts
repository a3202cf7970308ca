import { describe, expect, it } from 'vitest';
import { parseDue } from './due.ts';
import { nextOccurrence, normalizeRecurrence } from './recurrence.ts';

function next(recurrence: string, due: string | null, now: string, timeZone = 'UTC') {
  const result = nextOccurrence({
    recurrence,
    due: due ? (parseDue(due) ?? null) : null,
    now: new Date(now),
    timeZone,
  });
  return result && { due: result.due.text, recurrence: result.recurrence };
}

describe('normalizeRecurrence', () => {
  it('accepts RRULEs in any case, with or without the RRULE: prefix, and stores them upper case', () => {
    expect(normalizeRecurrence('FREQ=WEEKLY;BYDAY=MO')).toEqual({ rule: 'FREQ=WEEKLY;BYDAY=MO' });
    expect(normalizeRecurrence(' rrule:freq=monthly;byday=-1fr ')).toEqual({
      rule: 'FREQ=MONTHLY;BYDAY=-1FR',
    });
    expect(normalizeRecurrence('FREQ=DAILY;INTERVAL=2;COUNT=10')).toEqual({
      rule: 'FREQ=DAILY;INTERVAL=2;COUNT=10',
    });
    expect(normalizeRecurrence('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29')).toHaveProperty('rule');
  });

  it('says what is wrong with a rule it refuses', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /not one of/],
      ['BYDAY=MO', /needs FREQ/],
      ['FREQ=HOURLY', /needs FREQ/],
      ['FREQ=SOMETIMES', /needs FREQ/],
      ['FREQ=DAILY;FOO=1', /"FOO=1"/],
      ['FREQ=DAILY;BYDAY=XX', /BYDAY value "XX"/],
      ['FREQ=DAILY;INTERVAL=0', /INTERVAL/],
      ['FREQ=DAILY;INTERVAL=abc', /INTERVAL/],
      ['FREQ=WEEKLY;BYDAY=MO;BYDAY=TU', /twice/],
      ['FREQ=DAILY;COUNT=3;UNTIL=20270101', /COUNT or UNTIL/],
      ['FREQ=DAILY;UNTIL=2027', /UNTIL/],
      ['FREQ=MONTHLY;BYMONTHDAY=32', /BYMONTHDAY/],
    ];
    for (const [rule, message] of cases) {
      const result = normalizeRecurrence(rule);
      expect(result, rule).toHaveProperty('error');
      expect((result as { error: string }).error, rule).toMatch(message);
    }
  });

  it('refuses a rule that never matches, quickly', () => {
    const start = performance.now();
    expect(normalizeRecurrence('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30')).toEqual({
      error: 'never produces a date; check its BY... parts',
    });
    expect(normalizeRecurrence('FREQ=MONTHLY;BYDAY=5FR;BYMONTHDAY=1')).toHaveProperty('error');
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});

describe('nextOccurrence', () => {
  it('moves a dated task to the next date of its rule', () => {
    expect(next('FREQ=WEEKLY;BYDAY=MO', '2026-12-07', '2026-12-03T10:00:00Z')).toEqual({
      due: '2026-12-14',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO',
    });
    expect(next('FREQ=DAILY', '2026-12-03', '2026-12-03T10:00:00Z')?.due).toBe('2026-12-04');
    expect(next('FREQ=MONTHLY;BYMONTHDAY=31', '2027-01-31', '2027-01-31T10:00:00Z')?.due).toBe('2027-03-31');
    expect(next('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', '2028-02-29', '2028-03-01T00:00:00Z')?.due).toBe(
      '2032-02-29',
    );
  });

  it('skips occurrences already past, but not today’s', () => {
    // Due last Monday, completed on Thursday: next Monday, not the one already gone.
    expect(next('FREQ=WEEKLY;BYDAY=MO', '2026-11-23', '2026-12-03T10:00:00Z')?.due).toBe('2026-12-07');
    // A daily task left undone for days comes back today.
    expect(next('FREQ=DAILY', '2026-11-28', '2026-12-03T10:00:00Z')?.due).toBe('2026-12-03');
  });

  it('reads "today" in the user’s time zone', () => {
    // 23:30 UTC on the 3rd is already the 4th in Tokyo.
    expect(next('FREQ=DAILY', '2026-12-01', '2026-12-03T23:30:00Z', 'UTC')?.due).toBe('2026-12-03');
    expect(next('FREQ=DAILY', '2026-12-01', '2026-12-03T23:30:00Z', 'Asia/Tokyo')?.due).toBe('2026-12-04');
  });

  it('starts from today for a task without a due date, and gives it one after today', () => {
    expect(next('FREQ=WEEKLY;BYDAY=FR', null, '2026-12-03T10:00:00Z')).toEqual({
      due: '2026-12-04',
      recurrence: 'FREQ=WEEKLY;BYDAY=FR',
    });
    expect(next('FREQ=DAILY', null, '2026-12-03T10:00:00Z')?.due).toBe('2026-12-04');
  });

  it('keeps the time of day in the user’s zone across a daylight saving change', () => {
    // Paris moves from +01:00 to +02:00 on 28 March 2027; 9:00 stays 9:00.
    expect(
      next('FREQ=WEEKLY', '2027-03-22T09:00:00+01:00', '2027-03-22T07:00:00Z', 'Europe/Paris')?.due,
    ).toBe('2027-03-29T09:00:00+02:00');
  });

  it('keeps a fixed offset that is not the user’s zone, and keeps Z', () => {
    expect(next('FREQ=WEEKLY', '2026-12-07T09:00:00+05:30', '2026-12-03T10:00:00Z', 'UTC')?.due).toBe(
      '2026-12-14T09:00:00+05:30',
    );
    expect(next('FREQ=DAILY', '2026-12-03T09:00:00Z', '2026-12-03T10:00:00Z', 'UTC')?.due).toBe(
      '2026-12-04T09:00:00Z',
    );
  });

  it('skips past times of a timed task to the next one after now', () => {
    expect(next('FREQ=DAILY', '2026-12-01T09:00:00Z', '2026-12-03T10:00:00Z')?.due).toBe(
      '2026-12-04T09:00:00Z',
    );
    expect(next('FREQ=DAILY', '2026-12-01T11:00:00Z', '2026-12-03T10:00:00Z')?.due).toBe(
      '2026-12-03T11:00:00Z',
    );
  });

  it('counts COUNT down by the occurrences used, and ends the series when none are left', () => {
    expect(next('FREQ=DAILY;COUNT=3', '2026-12-03', '2026-12-03T10:00:00Z')).toEqual({
      due: '2026-12-04',
      recurrence: 'FREQ=DAILY;COUNT=2',
    });
    expect(next('FREQ=DAILY;COUNT=5', '2026-12-01', '2026-12-03T10:00:00Z')).toEqual({
      due: '2026-12-03',
      recurrence: 'FREQ=DAILY;COUNT=3',
    });
    expect(next('FREQ=DAILY;COUNT=1', '2026-12-03', '2026-12-03T10:00:00Z')).toBeNull();
  });

  it('ends the series after UNTIL', () => {
    expect(next('FREQ=DAILY;UNTIL=20261204', '2026-12-03', '2026-12-03T10:00:00Z')?.due).toBe('2026-12-04');
    expect(next('FREQ=DAILY;UNTIL=20261204', '2026-12-04', '2026-12-04T10:00:00Z')).toBeNull();
  });

  it('gives up quickly on a rule whose next date is decades away', () => {
    const start = performance.now();
    expect(
      next('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO', '2045-01-01', '2045-01-01T00:00:00Z'),
    ).toBeNull();
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});
