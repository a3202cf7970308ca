import { describe, expect, it } from 'vitest';
import { listTopic, markLists, quoteTitles, takeListWord, unquoteTitles } from './names.ts';

const LISTS = ['Inbox', 'Groceries', 'Work', 'Home projects'];

describe('a title of the user’s said word for word', () => {
  it('is quoted as one name, the longest where two overlap, and only where first said', () => {
    const titles = ['Add Tom to the group chat', 'Clean the fridge', 'Clean the fridge and freezer', 'Buy'];
    expect(quoteTitles('mark add Tom to the group chat done', titles).text).toBe(
      'mark "add Tom to the group chat" done',
    );
    expect(quoteTitles('clean the fridge and freezer is done', titles).text).toBe(
      '"clean the fridge and freezer" is done',
    );
    expect(quoteTitles('rename Clean the fridge to Clean the fridge now', titles).text).toBe(
      'rename "Clean the fridge" to Clean the fridge now',
    );
    // One word is too often said for something else; a word that goes on ("Sara's") is another word.
    expect(quoteTitles('buy milk', titles).quoted).toEqual([]);
    expect(quoteTitles("email sara's lawyer", ['Email Sara']).quoted).toEqual([]);
  });

  it('is left as the user quoted it, and taken out of quotes again for words to add', () => {
    expect(quoteTitles('delete "clean the fridge" now', ['Clean the fridge']).quoted).toEqual([]);
    const { text, quoted } = quoteTitles('add clean the fridge and the oven', ['Clean the fridge']);
    expect(unquoteTitles(text, quoted)).toBe('add clean the fridge and the oven');
  });
});

describe('a list of the user’s', () => {
  it('is written as +name after to, on, in or from, with the word "list" or at the end of a request', () => {
    expect(markLists('add milk to the groceries list', LISTS)).toBe('add milk to +groceries');
    expect(markLists('add milk to my grocery list please', LISTS)).toBe('add milk to +groceries please');
    expect(markLists('add eggs to groceries for tomorrow', LISTS)).toBe(
      'add eggs to +groceries for tomorrow',
    );
    expect(markLists('what’s on home projects?', LISTS)).toBe('what’s on +homeprojects?');
    expect(markLists('show me my work list', LISTS)).toBe('show me +work');
    expect(markLists('list groceries', LISTS)).toBe('list +groceries');
    expect(markLists('add cheese to the grocerys list', LISTS)).toBe('add cheese to +groceries');
  });

  it('is not a place people go to, nor words in the middle of a title', () => {
    expect(markLists('add drive to work', LISTS)).toBe('add drive to work');
    expect(markLists('add talk to work friends about lunch', LISTS)).toBe(
      'add talk to work friends about lunch',
    );
    expect(markLists('add x to the shopping list', LISTS)).toBe('add x to the shopping list');
  });

  it('is read back from +name with the word that said where, and only when it is one of theirs', () => {
    expect(takeListWord('milk to +groceries tomorrow', LISTS)).toEqual({
      text: 'milk tomorrow',
      list: 'Groceries',
    });
    expect(takeListWord('milk +shops', LISTS)).toEqual({ text: 'milk +shops' });
  });

  it('named first puts the words after it there: things to add, or a request of their own', () => {
    expect(listTopic('Groceries: bread, cheese', LISTS)).toEqual({
      list: 'Groceries',
      rest: 'add: bread, cheese',
    });
    expect(listTopic('work list: what is due friday?', LISTS)).toEqual({
      list: 'Work',
      rest: 'what is due friday?',
    });
    expect(listTopic('note: call the bank', LISTS)).toBeUndefined();
  });
});
