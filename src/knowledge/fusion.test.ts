import { describe, expect, it } from 'vitest';
import { RRF_K, reciprocalRankFusion } from './fusion.ts';

const list = (...ids: number[]) => ids.map((chunkId, i) => ({ chunkId, score: 1 - i / 10 }));

describe('reciprocalRankFusion', () => {
  it('keeps the order of a single list, with the first item at 1', () => {
    const fused = reciprocalRankFusion([list(7, 3, 9)]);
    expect(fused.map((r) => r.chunkId)).toEqual([7, 3, 9]);
    expect(fused[0]?.score).toBe(1);
  });

  it('puts an item both lists rank well above one that only a single list ranks first', () => {
    // 5 is second in both lists: 2/(k+2) beats 1/(k+1) for 1 and for 2.
    const fused = reciprocalRankFusion([list(1, 5, 6), list(2, 5, 7)]);
    expect(fused.map((r) => r.chunkId)).toEqual([5, 1, 2, 6, 7]);
    expect(fused[0]?.score).toBeCloseTo(((2 / (RRF_K + 2)) * (RRF_K + 1)) / 2);
  });

  it('uses ranks only, so the scale of each list does not matter, and keeps scores in [0, 1]', () => {
    const tiny = [
      { chunkId: 1, score: 0.0001 },
      { chunkId: 2, score: 0.00005 },
    ];
    const huge = [
      { chunkId: 2, score: 900 },
      { chunkId: 1, score: 800 },
    ];
    const fused = reciprocalRankFusion([tiny, huge]);
    // A tie: both are once first and once second; the first list's order breaks it.
    expect(fused.map((r) => r.chunkId)).toEqual([1, 2]);
    expect(fused.every((r) => r.score >= 0 && r.score <= 1)).toBe(true);
  });

  it('ignores an empty list when scaling', () => {
    expect(reciprocalRankFusion([list(4), []])[0]?.score).toBe(1);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
  });
});
