import { listNameKey } from '../../../lists/index.ts';
import { insideQuotes, REQUEST_WORD } from './clauses.ts';
import { correctTypos, editDistance, escapeRegExp, keyStems, normalize, tidyMessage } from './words.ts';

/**
 * The names a user has given, found in what they write: a task's title said word for word is that task's name
 * whatever its words are ("mark Add Tom to the group chat done", "put Delete old photos on sunday"), and a list's
 * name says where a task goes or which tasks are meant ("add milk to groceries").
 */

/** Titles of one word are too often a word said for something else ("Groceries", "Laundry"). */
const MIN_WORDS = 2;

/**
 * The message with every title of the user's tasks said in it word for word put in double quotes, as a title the
 * user quoted is read: as one name, none of whose words is a request ("Add", "Delete", "Done list review"). The
 * longest title said wins where two overlap. `quoted` holds the words as they stood in the message.
 */
export function quoteTitles(
  text: string,
  titles: readonly string[] = [],
): { text: string; quoted: string[] } {
  const said = [...new Set(titles.map((title) => correctTypos(tidyMessage(title)).trim()))]
    .filter((title) => normalize(title).split(' ').length >= MIN_WORDS)
    .sort((a, b) => b.length - a.length);
  let out = text;
  const quoted: string[] = [];
  for (const title of said) {
    const pattern = new RegExp(
      `(?<![\\p{L}\\p{N}'"])${escapeRegExp(title).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}]|'[\\p{L}])`,
      'giu',
    );
    // Only where it is first said: said again, as in "rename X to X and freezer", it is part of the new words.
    let first = true;
    out = out.replace(pattern, (words: string, at: number, whole: string) => {
      if (!first || insideQuotes(whole, at)) return words;
      first = false;
      quoted.push(words);
      return `"${words}"`;
    });
  }
  return { text: out, quoted };
}

/** The quotes quoteTitles put around a title taken away again: for words to add, a title is only words. */
export function unquoteTitles(text: string, quoted: readonly string[]): string {
  return quoted.reduce((out, words) => out.replace(`"${words}"`, words), text);
}

/** The title of the user's tasks that the words are, all of them, as the user wrote it. */
export function titleOf(words: string, titles: readonly string[] = []): string | undefined {
  const wanted = normalize(words);
  return wanted === '' ? undefined : titles.find((title) => normalize(title) === wanted);
}

/** The title, when the words are one title of the user's tasks in quotes and nothing else. */
export function quotedTitle(words: string, titles: readonly string[] = []): string | undefined {
  const quoted = /^\s*"([^"]+)"[.!?\s]*$/.exec(words);
  return quoted ? titleOf(quoted[1] as string, titles) : undefined;
}

/** Verbs whose "to" is a place, not a list: "add drive to work" is a drive, even with a list called Work. */
const TO_A_PLACE =
  /\b(?:go|going|drive|walk|ride|cycle|bike|fly|travel|commute|head|run|take|bring|send|email|mail|post|text|give|carry|deliver|return|invite|ship|forward|submit|wear|talk|speak|explain|show|introduce|lend)\b(?:\s+[^\s,;.!?]+){0,4}\s*$/i;

/** A place already said after the verb ("send the invoice to Acme"). */
const WHERE_SAID = /\s(?:to|into)\s+[^\s,;.!?]+(?:\s+[^\s,;.!?]+)?\s*$/i;

const LIST_PREPOSITION = String.raw`to|onto|on|in|into|under|from|off(?:\s+of)?`;

/** What may follow a list said without the word "list": the end of the request, or its date or priority. */
const SAID_LAST =
  /^\s*(?:$|[,;:.!?]|-\s|(?:and|then|but|also|please|pls|too|as well|for me|thanks|thank you|for|by|on|due|at|today|tonight|tomorrow|next|this|every|urgent|asap|high|low|p[1-4]|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b|#)/i;

/** "Groceries", "grocery" and "groceries list" alike: the ways a list's name is said, as a pattern. */
function saidAs(name: string): string {
  const words = name
    .trim()
    .split(/[\s_-]+/)
    .map(escapeRegExp);
  const last = words.pop() as string;
  const forms = [
    last,
    /ies$/i.test(last) ? last.replace(/ies$/i, 'y') : /s$/i.test(last) ? last.slice(0, -1) : `${last}s`,
  ];
  if (/y$/i.test(last)) forms.push(last.replace(/y$/i, 'ies'));
  return [...words, `(?:${forms.join('|')})`].join('[\\s_-]*');
}

/**
 * The lists of the user said after "to", "on", "in", "from" … written as quick add's `+name`, which the rest of
 * the reader takes as the list: "add milk to the groceries list" and "add milk to groceries" are "add milk
 * +groceries", "what's on my work list?" is "what's +work". Without the word "list" only a list of theirs said at
 * the end of a request is one, and not after a verb whose "to" is a place ("add drive to work").
 */
export function markLists(text: string, lists: readonly string[] = []): string {
  let out = text;
  for (const name of [...lists].sort((a, b) => b.length - a.length)) {
    const pattern = new RegExp(
      `(^|\\s)(${LIST_PREPOSITION})\\s+(?:(?:my|the|your|our)\\s+)?${saidAs(name)}(\\s+list\\b)?(?![\\p{L}\\p{N}])`,
      'giu',
    );
    out = out.replace(
      pattern,
      (said: string, before: string, to: string, list: string | undefined, at: number, whole: string) => {
        if (insideQuotes(whole, at)) return said;
        const last = SAID_LAST.test(whole.slice(at + said.length));
        // ("send the invoice to Acme to work": where it is sent was said; the second "to" is the list.)
        const earlier = whole.slice(0, at);
        const place = /^(?:to|onto|into)$/i.test(to) && TO_A_PLACE.test(earlier) && !WHERE_SAID.test(earlier);
        if (!list && (!last || place)) return said;
        return `${before}${to} +${listNameKey(name)}`;
      },
    );
    // "show me my work list", "list groceries", "work list pls": the list named with the word "list", or after a
    // verb of showing.
    out = out.replace(
      new RegExp(
        `(^|\\s)(?:(?:my|the|your|our)\\s+${saidAs(name)}\\s+list\\b|(?<=^(?:show|list|see|view|open)(?:\\s+me)?\\s+(?:(?:my|the)\\s+)?)${saidAs(name)}(?:\\s+list)?(?=\\s*(?:please|pls|plz)?[.!?]*$)|(?<=^)${saidAs(name)}\\s+list(?=\\s*(?:please|pls)?[.!?]*$))`,
        'giu',
      ),
      (said: string, before: string, at: number, whole: string) =>
        insideQuotes(whole, at) ? said : `${before}+${listNameKey(name)}`,
    );
  }
  // "to the grocerys list", "show my erands list": with the word "list", a name a slip away from one of theirs
  // is that list.
  return out
    .replace(
      new RegExp(
        String.raw`(^|\s)(${LIST_PREPOSITION})\s+(?:(?:my|the|your|our)\s+)?([\p{L}\p{N}'-]+(?:\s+[\p{L}\p{N}'-]+){0,2})\s+list\b`,
        'giu',
      ),
      (said: string, before: string, to: string, words: string, at: number, whole: string) => {
        const list = insideQuotes(whole, at) ? undefined : listSlippedFrom(words, lists);
        return list ? `${before}${to} +${listNameKey(list)}` : said;
      },
    )
    .replace(
      /^((?:show|list|see|view|open|read)(?:\s+me)?\s+)(?:my|the|your|our)\s+([\p{L}\p{N}'-]+(?:\s+[\p{L}\p{N}'-]+)?)\s+list(?=\s*(?:please|pls)?[.!?]*$)/iu,
      (said: string, verb: string, words: string) => {
        const list = listSlippedFrom(words, lists);
        return list ? `${verb}+${listNameKey(list)}` : said;
      },
    );
}

/** The list whose name the words are with one slip (two in a long name), or none. */
function listSlippedFrom(words: string, lists: readonly string[]): string | undefined {
  const said = listNameKey(words);
  if (said.length < 4) return undefined;
  const allowed = said.length >= 8 ? 2 : 1;
  // "grocry" is one slip from "grocery", the one item of "groceries".
  const near = lists.filter((list) =>
    [listNameKey(list), listNameKey(list).replace(/ies$/, 'y').replace(/s$/, '')].some(
      (name) => editDistance(said, name) <= allowed,
    ),
  );
  return near.length === 1 ? near[0] : undefined;
}

/**
 * "Groceries: bread, cheese, jam", "work list: review the budget": a list of theirs named first, then what goes in
 * it (words to add, when they are no request of their own) or what to do there.
 */
export function listTopic(
  text: string,
  lists: readonly string[] = [],
): { list: string; rest: string } | undefined {
  const topic = /^\s*(?:(?:my|the)\s+)?([^:"]+?)(?:\s+list)?\s*:\s*(\S.*)$/i.exec(text);
  const list = topic ? listNamed(topic[1] as string, lists) : undefined;
  if (!topic || !list) return undefined;
  const rest = (topic[2] as string).trim();
  // "Work: update the org chart; book the offsite": several things, to add even when the first opens with a verb.
  const several = rest.split(/\s*[;,]\s*/).filter(Boolean).length > 1;
  const asked =
    !several && new RegExp(`^(?:${REQUEST_WORD}|remind|which|when|is|are|any)\\b`, 'i').test(rest);
  return { list, rest: asked ? rest : `add: ${rest}` };
}

/** The words without any `+name` and the word before it that said where: "milk from +groceries" is "milk". */
export function withoutListWords(text: string): string {
  return text
    .replace(
      new RegExp(
        String.raw`(?:\s+(?:${LIST_PREPOSITION}))?(?:^|\s+)\+[\p{L}\p{N}_][\p{L}\p{N}\p{M}_-]*`,
        'giu',
      ),
      '',
    )
    .trim();
}

/** The name of the user's list that a `+name` says, and the text without it. */
export function takeListWord(text: string, lists: readonly string[] = []): { text: string; list?: string } {
  const word = new RegExp(
    String.raw`(?:(?:^|\s)(?:${LIST_PREPOSITION}))?(?:^|\s)\+([\p{L}\p{N}_][\p{L}\p{N}\p{M}_-]*)(?![^\s,;.!?])`,
    'giu',
  );
  for (const match of text.matchAll(word)) {
    const list = lists.find((name) => listNameKey(name) === listNameKey(match[1] as string));
    if (list === undefined) continue;
    const rest = `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`;
    return { text: rest.replace(/\s{2,}/g, ' ').trim(), list };
  }
  return { text };
}

/**
 * The user's list that words name: its name as written without case, spaces or dashes ("weekly-shopping" for
 * "Weekly shopping", as quick add's `+name` and the tools match it), or the same words in another number
 * ("grocery" for "Groceries").
 */
export function listNamed(words: string, lists: readonly string[] = []): string | undefined {
  const said = words.replace(/^(?:my|the|our)\s+/i, '').trim();
  if (!said) return undefined;
  const key = listNameKey(said);
  const stems = keyStems(said).join(' ');
  return (
    lists.find((list) => listNameKey(list) === key) ??
    lists.find((list) => stems !== '' && keyStems(list).join(' ') === stems)
  );
}
