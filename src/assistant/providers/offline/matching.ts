import { editDistance, type KeyWord, keyStems, keyWords, normalize, TASK_VERB } from './words.ts';

/**
 * Finds the task a person means. Two ways of meaning one:
 * - by a name, loosely: "milk" for "Buy milk", "the dentsit one" for "Book the dentist". Most of the words said
 *   must be in the task's title (or its tags);
 * - by a mention in passing: "just got off the phone with mom" mentions "Call mum". Most of the task's title
 *   must be in the words said, or one word of it that no other task has.
 * Either returns the task when one stands out, every close candidate when several do (the caller asks which),
 * or none.
 */
export interface Named {
  id: number;
  title: string;
  tags?: string[];
}

export type MatchResult<T extends Named> =
  | { kind: 'one'; task: T }
  | { kind: 'several'; tasks: T[] }
  | { kind: 'none' };

/** Most of what was said must be found in the task's name. */
const NAME_THRESHOLD = 0.6;
/** How far ahead the best score must be to be taken without asking. */
const MARGIN = 0.15;
/** Most of a task's name must be in a message that mentions it in passing. */
const MENTION_THRESHOLD = 0.6;
/**
 * A word said in passing counts as a task's word only when said as it is or as its beginning: a slip away is
 * forgiven in a name ("the dentsit one"), but in a sentence about something else "opens" is not "oven".
 */
const SAID_AS_IS = 0.85;
/** How close a word a slip away is ("egss" for "eggs"): a match, but not one said as it is. */
const SLIP = 0.8;
/** Verbs that open many titles ("Call mum", "Call the bank") and tell no task apart on their own. */
const COMMON_VERBS = new Set([
  'call',
  'buy',
  'get',
  'make',
  'do',
  'go',
  'take',
  'send',
  'pay',
  'book',
  'email',
]);

/** 1 for the same stem, 0.9 for a beginning ("groc" of "grocery"), 0.8 for a typo, else 0. */
function stemSimilarity(said: string, word: string): number {
  if (said === word) return 1;
  if (said.length >= 3 && word.startsWith(said)) return 0.9;
  if (word.length >= 4 && said.startsWith(word)) return 0.85;
  return isSlip(said, word) ? SLIP : 0;
}

/** One slip in a word of four letters or more, two from seven. */
function isSlip(said: string, word: string): boolean {
  const allowed = said.length >= 7 ? 2 : said.length >= 4 ? 1 : 0;
  return allowed > 0 && editDistance(said, word) <= allowed;
}

/**
 * Two words as close as their stems are, or a slip apart as typed ("egss" for "eggs"). One slip in a word of six
 * letters or more ("plumer" for "plumber") is as good as said: no other word of that length is one letter away
 * as often as "mark" is from "make".
 */
function similarity(said: KeyWord, word: KeyWord): number {
  const byStem = stemSimilarity(said.stem, word.stem);
  const slip = byStem === SLIP || (byStem === 0 && isSlip(said.word, word.word));
  if (!slip) return byStem;
  return said.word.length >= 6 && editDistance(said.word, word.word) === 1 ? SAID_AS_IS : SLIP;
}

interface Overlap {
  /** Share of the words said that the task has. */
  recall: number;
  /** The same share counting only words said as they are or as a beginning: a slip ("mark" for "make") is no evidence. */
  recallAsIs: number;
  /** Share of the task's title words that were said. */
  precision: number;
  /** The same share, each word counted by how closely it was said: a typo or a beginning counts less. */
  closeness: number;
  /** The task's words that were said as they are (or a beginning of them), not only a slip away. */
  found: string[];
}

/**
 * Strong evidence that words name a task, asked of a guess (a statement read as a request, "mail the christmas
 * cards on monday"): nearly every word said is the task's, as said, not a slip away ("mark that" is not "make"). "Mail the christmas cards" is a loose name for "Write
 * Christmas card list" (mailing is not writing), not strong evidence for it. (Asking also that most of the
 * task's own words be said lost more guesses people meant, "hotel booked" for "Book hotel in Glasgow", than it
 * stopped.)
 */
const STRONG_RECALL = 0.75;

function overlap(said: KeyWord[], task: Named): Overlap {
  const title = keyWords(task.title);
  const tags = (task.tags ?? []).flatMap((tag) => keyStems(tag));
  const used = new Set<number>();
  let found = 0;
  let asIs = 0;
  let close = 0;
  const words: string[] = [];
  for (const word of said) {
    let best = 0;
    let at = -1;
    title.forEach((candidate, index) => {
      const score = used.has(index) ? 0 : similarity(word, candidate);
      if (score > best) [best, at] = [score, index];
    });
    if (at >= 0) {
      used.add(at);
      close += best;
      if (best >= SAID_AS_IS) words.push((title[at] as KeyWord).stem);
    } else if (tags.some((tag) => stemSimilarity(word.stem, tag) >= 0.8)) best = 0.9;
    found += best;
    if (best >= SAID_AS_IS) asIs += best;
  }
  return {
    recall: said.length ? found / said.length : 0,
    recallAsIs: said.length ? asIs / said.length : 0,
    precision: title.length ? used.size / title.length : 0,
    closeness: title.length ? close / title.length : 0,
    found: words,
  };
}

function decide<T extends Named>(
  scored: Array<{ task: T; score: number }>,
  threshold: number,
): MatchResult<T> {
  const ranked = scored.filter((s) => s.score >= threshold).sort((a, b) => b.score - a.score);
  const [best, second] = ranked;
  if (!best) return { kind: 'none' };
  if (!second || best.score - second.score >= MARGIN) return { kind: 'one', task: best.task };
  return { kind: 'several', tasks: ranked.filter((s) => best.score - s.score < MARGIN).map((s) => s.task) };
}

/** True when the task has one of these tags, or one a slip away ("finace" for "finance"). */
export function hasTag(task: Named, tags: readonly string[]): boolean {
  const wanted = tags.flatMap((tag) => keyStems(tag));
  return (task.tags ?? []).some((tag) =>
    keyStems(tag).some((have) => wanted.some((w) => stemSimilarity(w, have) >= 0.8)),
  );
}

/** The task a loose name means; with `strong`, only one nearly every word said names (see STRONG_RECALL). */
export function findByName<T extends Named>(
  name: string,
  tasks: readonly T[],
  { strong = false } = {},
): MatchResult<T> {
  const said = keyWords(name);
  if (said.length === 0) return { kind: 'none' };
  const exact = tasks.filter((task) => normalize(task.title) === normalize(name));
  if (exact.length === 1) return { kind: 'one', task: exact[0] as T };
  return decide(
    tasks.map((task) => {
      const o = overlap(said, task);
      const weak = strong ? o.recallAsIs < STRONG_RECALL : o.recall < NAME_THRESHOLD;
      return { task, score: weak ? 0 : 0.75 * o.recall + 0.25 * o.precision };
    }),
    NAME_THRESHOLD,
  );
}

/**
 * The task that words said in passing mention: most of its name, or a word of it no other task has. With
 * `wholeName`, only most of its name will do: beside an "it" that already means the task just discussed, one
 * shared word is not enough to mean another.
 */
export function findMentioned<T extends Named>(
  text: string,
  tasks: readonly T[],
  { wholeName = false } = {},
): MatchResult<T> {
  const said = keyWords(text);
  if (said.length === 0) return { kind: 'none' };
  const scored = tasks.map((task) => ({ task, o: overlap(said, task) }));
  const owners = new Map<string, number>();
  for (const { o } of scored)
    for (const word of new Set(o.found)) owners.set(word, (owners.get(word) ?? 0) + 1);
  return decide(
    scored.map(({ task, o }) => {
      const distinctive =
        !wholeName && o.found.some((word) => owners.get(word) === 1 && !COMMON_VERBS.has(word));
      const named = o.closeness >= MENTION_THRESHOLD;
      // More of a task's words said breaks a tie: "christmas stock order" is "Order Christmas stock", not "Stocktake".
      const score =
        (named ? o.closeness : distinctive ? MENTION_THRESHOLD : 0) +
        (named || distinctive ? 0.05 * o.found.length : 0);
      return { task, score };
    }),
    MENTION_THRESHOLD,
  );
}

/**
 * The task whose whole title was said among other words: "clean out closet can wait till …", "the parent teacher
 * conference got moved …". Strong evidence for a guess, as a name nearly all of whose words are the task's is:
 * every word of the title said as it is (a slip only in a word of six letters or more, "imigration"), but the
 * verb a title opens with, which people leave out ("the documents for immigration" of "Send documents to
 * immigration"), unless the words open with a verb of their own ("mail the christmas cards" is not "Write
 * Christmas card list"). Two of its words at least must be said, and no other task may be said as wholly.
 */
export function findWholeTitle<T extends Named>(text: string, tasks: readonly T[]): MatchResult<T> {
  const said = keyWords(text);
  const ownVerb = TASK_VERB.test(normalize(text));
  const whole = tasks.flatMap((task) => {
    const title = keyWords(task.title);
    const missing = title.filter(
      (word) =>
        !said.some((s) => {
          const score = similarity(s, word);
          return score >= SAID_AS_IS || (score > 0 && word.word.length >= 6);
        }),
    );
    const saidWords = title.length - missing.length;
    const onlyVerb = !ownVerb && missing.length === 1 && missing[0] === title[0];
    return saidWords >= 2 && (missing.length === 0 || onlyVerb) ? [{ task, missing: missing.length }] : [];
  });
  const fewest = Math.min(...whole.map((w) => w.missing));
  const best = whole.filter((w) => w.missing === fewest);
  return best.length === 1 ? { kind: 'one', task: (best[0] as { task: T }).task } : { kind: 'none' };
}
