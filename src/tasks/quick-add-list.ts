import { listNameKey as key } from '../lists/index.ts';

/**
 * Quick add's list: `+name` (Vikunja's project syntax) puts the task in the user's list of that name (their own,
 * or one shared with them; their own when both have the name), compared
 * without case and without the spaces, hyphens and underscores a name may be written with ("+weekly-shopping" is
 * "Weekly shopping"). `+` does not collide with `#tag`/`@tag` or `p1`–`p4`. A `+word` that names none of the
 * user's lists is left in the title, as Todoist leaves an unknown project: the text is not lost, and a typo is
 * seen rather than silently filing the task in the Inbox under a shorter title. Only the first `+name` that
 * names a list counts; the description (after `//`) is not read.
 */

const LIST_WORD = /(?<!\S)\+(?=[\p{L}\p{N}_-]*\p{L})([\p{L}\p{N}_][\p{L}\p{N}\p{M}_-]*)(?!\S)/gu;
const DESCRIPTION = /(?:^|\s)\/\//;

/** Whether the text may name a list at all: the lists are read only then. */
export const mayNameList = (text: string) => /(?<!\S)\+\S/.test(text);

export function takeList<L extends { id: number; name: string }>(
  text: string,
  lists: L[],
): { text: string; list_id: number | null } {
  // The first list of a name wins: the caller gives the user's own lists before those shared with them.
  const byKey = new Map<string, number>();
  for (const list of lists) if (!byKey.has(key(list.name))) byKey.set(key(list.name), list.id);
  const end = DESCRIPTION.exec(text)?.index ?? text.length;
  for (const match of text.slice(0, end).matchAll(LIST_WORD)) {
    const id = byKey.get(key(match[1] as string));
    if (id === undefined) continue;
    const rest = `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`;
    return { text: rest.replace(/\s{2,}/g, ' ').trim(), list_id: id };
  }
  return { text, list_id: null };
}
