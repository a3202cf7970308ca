import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareDateParser } from '../../../tasks/quick-add.ts';
import { readMessage } from './reading.ts';
import { correctTypos } from './words.ts';

/**
 * The reader is pure and must never throw: a message it cannot read is "unknown", never a 500. Every request of
 * the development corpora (not the held-back one, which is only run by the evaluation) and hostile text go
 * through it.
 */
const ctx = { now: new Date('2026-12-03T15:00:00Z'), timeZone: 'America/New_York' };
const CORPORA = ['tuning', 'dev', 'dev2', 'dev3', 'dev4'];

function messagesOf(name: string): string[] {
  const path = new URL(`../../../../bench/assistant-corpus/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(path, 'utf8')) as Array<{ say: string[] }>).flatMap((c) => c.say);
}

const HOSTILE = [
  '',
  ' ',
  '?!?!',
  '"""',
  "'",
  'and and and and and and',
  `add ${'buy milk and '.repeat(300)}eggs`,
  'x'.repeat(4000),
  '‮evil‬ add this',
  'add 👨‍👩‍👧‍👦 family dinner tomorrow #家',
  "'; DROP TABLE tasks; --",
  'delete all except except except',
  'move it to the 99th',
  'complete , , , and ,',
  '\u0000\u0001 add',
  'remind me: : : :',
];

describe('reading a message', () => {
  it('never throws, for every request people wrote and for hostile text', async () => {
    await prepareDateParser();
    const messages = [...CORPORA.flatMap(messagesOf), ...HOSTILE];
    expect(messages.length).toBeGreaterThan(1000);
    for (const message of messages) {
      expect(() => readMessage(message, ctx), message).not.toThrow();
    }
  });

  it('keeps a bulk request to the words it names, and to every task only when asked in those words', () => {
    expect(readMessage('complete all of the stuff we talked about', ctx)).toMatchObject({
      steps: [{ target: { kind: 'all', about: 'talked' } }],
    });
    expect(readMessage('delete all of the rest', ctx)).toMatchObject({
      steps: [{ target: { kind: 'all', about: 'rest' } }],
    });
    expect(readMessage('delete everything', ctx)).toMatchObject({ steps: [{ target: { kind: 'all' } }] });
  });
});

describe('slips in the words that steer the assistant', () => {
  it('are corrected against its own vocabulary: verbs, dates, months, shorthand', () => {
    expect(correctTypos('fnd my taks du 2day')).toBe('find my tasks due today');
    expect(correctTypos('waht repeats evrey mornin in novembr')).toBe(
      'what repeats every morning in november',
    );
  });

  it('leave words of titles alone, even one slip from a month', () => {
    expect(correctTypos('buy match tickets and dairy')).toBe('buy match tickets and dairy');
  });

  it('read shorthand for a list as one', () => {
    expect(readMessage('ls #garden', ctx)).toMatchObject({
      kind: 'steps',
      steps: [{ kind: 'list', filter: { tags: ['garden'] } }],
    });
  });
});
