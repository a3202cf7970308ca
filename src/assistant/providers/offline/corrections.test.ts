import { beforeAll, describe, expect, it } from 'vitest';
import { prepareDateParser } from '../../../tasks/index.ts';
import { correctedDetails, correctionAlone } from './corrections.ts';
import { readMessage } from './reading.ts';

const ctx = {
  now: new Date('2026-12-03T15:00:00Z'),
  timeZone: 'America/New_York',
  lists: ['Groceries', 'Costco'],
};

beforeAll(() => prepareDateParser());

describe('a detail corrected in passing', () => {
  it('keeps the one said after "no", "wait", "actually" when both are of a kind', () => {
    expect(correctedDetails('add team lunch monday, no tuesday', ctx)).toBe('add team lunch tuesday');
    expect(
      correctedDetails(
        'remind me to drop off the bags on friday... wait actually saturday, they close fridays',
        ctx,
      ),
    ).toBe('remind me to drop off the bags saturday, they close fridays');
    expect(correctedDetails('add submit timesheet friday p1, actually make it p2', ctx)).toBe(
      'add submit timesheet friday p2',
    );
    expect(correctedDetails('add hand soap to +groceries, no wait, to +costco', ctx)).toBe(
      'add hand soap to +costco',
    );
  });

  it('leaves a take-back, another kind of detail, and "and make it" as said', () => {
    for (const said of [
      'add buy milk tomorrow, no wait, actually don’t',
      'add call bob tomorrow, no wait, make it urgent',
      'move book club to the 17th and make it 7pm',
      'she is off tuesday so make it tuesday',
    ])
      expect(correctedDetails(said, ctx), said).toBe(said);
  });

  it('reads three corrections at most, so a message of thousands stays quick', () => {
    const said = `add x ${'monday, no tuesday, '.repeat(190)}`;
    const corrected = correctedDetails(said, ctx);
    expect(said.length - corrected.length).toBe(3 * 'monday, no '.length);
  });

  it('reads "no, wednesday" alone as the new detail, and nothing more than a detail', () => {
    expect(correctionAlone('no, wednesday', ctx)).toBe('wednesday');
    expect(correctionAlone('no wait, saturday instead', ctx)).toBe('saturday');
    expect(correctionAlone('saturday instead', ctx)).toBe('saturday');
    // Why, said after it, is no detail: "they moved it", "- the venue changed".
    expect(correctionAlone('saturday instead, they moved it', ctx)).toBe('saturday');
    expect(correctionAlone('no, sunday - the venue changed', ctx)).toBe('sunday');
    for (const said of [
      'no, the electrician!',
      'make it urgent',
      'actually make that saturday and tag it cleaning',
      'saturday instead, and it is done',
    ])
      expect(correctionAlone(said, ctx), said).toBe(said);
  });

  it('reads the corrected message whole', () => {
    expect(readMessage('new task: schedule my flu shot -- tuesday. no wait, wednesday!', ctx)).toEqual({
      kind: 'steps',
      steps: [{ kind: 'add', text: 'schedule my flu shot wednesday' }],
    });
  });
});
