import { describe, expect, it } from 'vitest';
import { findByName, findMentioned, findWholeTitle } from './matching.ts';

const tasks = (...titles: string[]) => titles.map((title, i) => ({ id: i + 1, title }));

describe('a task mentioned in passing', () => {
  it('is not a word a slip away from one said about something else', () => {
    expect(findMentioned('the cost keeps rising', tasks('Buy a winter coat', 'Call the bank'))).toEqual({
      kind: 'none',
    });
  });

  it('is the task whose words were said whole, before one that only begins with a word said', () => {
    expect(
      findMentioned('the spring seed order went in centrally', tasks('Order spring seeds', 'Seedlings')),
    ).toMatchObject({ kind: 'one', task: { title: 'Order spring seeds' } });
  });
});

describe('a task named with a slip', () => {
  it('is found when the word as typed is one key away, even where the stems are further apart', () => {
    // "dgos" and "dogs" are one swap apart; their stems "dgo" and "dog" are too short to forgive.
    expect(findByName('walk the dgos', tasks('Walk the dogs', 'Walk to work'))).toMatchObject({
      kind: 'one',
      task: { title: 'Walk the dogs' },
    });
  });
});

describe('a task whose whole title is said among other words', () => {
  const list = tasks('Post forms to the embassy', 'Garage clear-out', 'Buy stamps');

  it('is found, with the verb the title opens with left out or a long word slipped', () => {
    expect(findWholeTitle('the garage clear-out will have to wait', list)).toMatchObject({
      task: { title: 'Garage clear-out' },
    });
    expect(findWholeTitle('the forms for the embasy are really urgent', list)).toMatchObject({
      task: { title: 'Post forms to the embassy' },
    });
  });

  it('is not a task whose verb the words replace with one of their own', () => {
    expect(findWholeTitle('email the forms to the embassy', list)).toEqual({ kind: 'none' });
  });
});
