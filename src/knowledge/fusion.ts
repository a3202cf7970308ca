import type { Ranked } from './knowledge.repository.ts';

/** The constant of reciprocal rank fusion (Cormack et al.): a rank r counts 1 / (k + r). */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: each list votes 1 / (k + rank) for its items, ranks from 1. Only ranks matter, so
 * BM25 scores and cosine similarities need no common scale. Scores are divided by the most an item can get (first
 * in every list), so they lie in [0, 1]. Ties keep the order of the first list (the sort is stable), so with
 * one list the order is that list's order.
 */
export function reciprocalRankFusion(lists: Ranked[][], k = RRF_K): Ranked[] {
  const scores = new Map<number, number>();
  for (const list of lists) {
    list.forEach((item, index) => {
      scores.set(item.chunkId, (scores.get(item.chunkId) ?? 0) + 1 / (k + index + 1));
    });
  }
  const best = lists.filter((list) => list.length > 0).length / (k + 1);
  return [...scores]
    .map(([chunkId, score]) => ({ chunkId, score: best > 0 ? score / best : 0 }))
    .sort((a, b) => b.score - a.score);
}
