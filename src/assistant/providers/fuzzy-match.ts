/**
 * Finds the task a person means by a loose name: "milk" for "Buy milk", "call mom" for "Call mum". Returns the
 * best match when one stands out, or every close candidate when several do, so the caller can ask which one.
 */
export interface Named {
  id: number;
  title: string;
}

export type MatchResult<T extends Named> =
  | { kind: 'one'; task: T }
  | { kind: 'several'; tasks: T[] }
  | { kind: 'none' };

const STOP_WORDS = new Set([
  'the',
  'a',
  'an',
  'my',
  'task',
  'todo',
  'to',
  'for',
  'of',
  'on',
  'in',
  'at',
  'and',
  'one',
]);
const THRESHOLD = 0.6;
/** How far ahead the best score must be to be taken without asking. */
const MARGIN = 0.15;

export function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function words(text: string): string[] {
  const all = normalize(text).split(' ').filter(Boolean);
  const meaningful = all.filter((w) => !STOP_WORDS.has(w));
  return meaningful.length > 0 ? meaningful : all;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = current;
    }
  }
  return row[b.length] as number;
}

/** 1 for the same word, 0.9 for a beginning ("groc" of "groceries"), 0.8 for a typo, else 0. */
function wordSimilarity(query: string, word: string): number {
  if (query === word) return 1;
  if (query.length >= 3 && word.startsWith(query)) return 0.9;
  if (word.length >= 3 && query.startsWith(word)) return 0.85;
  const allowed = query.length >= 6 ? 2 : query.length >= 3 ? 1 : 0;
  return allowed > 0 && distance(query, word) <= allowed ? 0.8 : 0;
}

export function similarity(query: string, title: string): number {
  const q = normalize(query);
  const t = normalize(title);
  if (!q || !t) return 0;
  if (q === t) return 1;
  const queryWords = words(query);
  const titleWords = words(title);
  let found = 0;
  const used = new Set<number>();
  for (const word of queryWords) {
    let best = 0;
    let at = -1;
    titleWords.forEach((candidate, index) => {
      const score = used.has(index) ? 0 : wordSimilarity(word, candidate);
      if (score > best) [best, at] = [score, index];
    });
    if (at >= 0) used.add(at);
    found += best;
  }
  const recall = found / queryWords.length;
  if (recall < THRESHOLD) return 0;
  const precision = used.size / titleWords.length;
  const score = 0.75 * recall + 0.2 * precision + (` ${t} `.includes(` ${q} `) ? 0.05 : 0);
  return Math.min(score, 0.99);
}

export function findByName<T extends Named>(query: string, tasks: readonly T[]): MatchResult<T> {
  const scored = tasks
    .map((task) => ({ task, score: similarity(query, task.title) }))
    .filter((s) => s.score >= THRESHOLD)
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (!best) return { kind: 'none' };
  if (!second || best.score - second.score >= MARGIN) return { kind: 'one', task: best.task };
  return { kind: 'several', tasks: scored.filter((s) => best.score - s.score < MARGIN).map((s) => s.task) };
}
