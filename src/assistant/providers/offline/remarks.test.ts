import { beforeAll, describe, expect, it } from 'vitest';
import { prepareDateParser } from '../../../tasks/index.ts';
import { readMessage } from './reading.ts';
import { isRemark } from './remarks.ts';

const ctx = { now: new Date('2026-12-03T15:00:00Z'), timeZone: 'America/New_York' };
beforeAll(() => prepareDateParser());

describe('a side remark beside a request', () => {
  it('reads as a statement when it has a subject and a verb of its own, or opens as an aside', () => {
    expect(isRemark("the neighbour's dog barked all night")).toBe(true);
    expect(isRemark('his train gets in at six')).toBe(true);
    expect(isRemark('no hurry at all')).toBe(true);
    // A task opens with its verb, past forms after it included.
    expect(isRemark('get the gutters cleaned')).toBe(false);
    expect(isRemark('bread and jam')).toBe(false);
    // What happened opens with a past form; whose it is with "mine".
    expect(isRemark('lost all my photos last year and never again')).toBe(true);
    expect(isRemark("mine's totally dead")).toBe(true);
  });

  it('is never added as a task after an add', () => {
    expect(readMessage("add book the vet for saturday, Rex's paw swelled up again", ctx)).toEqual({
      kind: 'steps',
      steps: [{ kind: 'add', text: 'book the vet for saturday' }],
    });
  });

  it('is never read as another name after a change, even after a trailing-off', () => {
    expect(readMessage('remove the gym pass task... it was cancelled anyway', ctx)).toEqual({
      kind: 'steps',
      steps: [{ kind: 'change', action: { kind: 'delete' }, target: { kind: 'name', name: 'gym pass' } }],
    });
  });

  it('as a note put "in the notes" is the description of the task being added', () => {
    expect(readMessage('add fix the shed door and put in the notes: hinge is rusty', ctx)).toEqual({
      kind: 'steps',
      steps: [{ kind: 'add', text: 'fix the shed door // hinge is rusty' }],
    });
  });
});
