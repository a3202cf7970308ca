/**
 * The words for a task's priority, shared by quick add (the API and the page) and the assistant, so that a word
 * means the same wherever it is typed.
 */
export type Priority = 'low' | 'medium' | 'high' | 'urgent';

/** Words that name a priority on their own, wherever they stand: "call the bank asap". */
export const PRIORITY_ALONE: Readonly<Record<string, Priority>> = {
  urgent: 'urgent',
  asap: 'urgent',
  critical: 'urgent',
  important: 'high',
};

/** Words that name a priority before the word "priority": "top priority", "low-priority". */
export const PRIORITY_LEVEL: Readonly<Record<string, Priority>> = {
  top: 'urgent',
  urgent: 'urgent',
  critical: 'urgent',
  highest: 'urgent',
  high: 'high',
  important: 'high',
  medium: 'medium',
  normal: 'medium',
  mid: 'medium',
  low: 'low',
  lowest: 'low',
};

/** p1 is the most urgent, as in Todoist. */
export const PRIORITY_BY_NUMBER: readonly Priority[] = ['urgent', 'high', 'medium', 'low'];

/** The priority a word names in either form ("asap", "high", "p2"), or undefined. */
export function priorityWord(word: string): Priority | undefined {
  const lower = word.toLowerCase();
  const numbered = /^p([1-4])$/.exec(lower);
  if (numbered) return PRIORITY_BY_NUMBER[Number(numbered[1]) - 1];
  return PRIORITY_ALONE[lower] ?? PRIORITY_LEVEL[lower];
}

/** A #tag or @tag: a letter, digit or underscore, then letters, digits, marks, underscores and dashes. */
export const TAG = /(?<!\S)[#@]([\p{L}\p{N}_][\p{L}\p{N}\p{M}_-]*)/gu;
