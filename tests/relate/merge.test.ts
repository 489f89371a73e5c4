// Weighted words (tf-idf, unit length) and the merge that places a newer story into an older story's related list.
import { describe, expect, it } from 'vitest';
import { mergeRelated } from '../../src/relate/refresh.ts';
import { countTerms } from '../../src/relate/text.ts';
import { weighTerms } from '../../src/store/term-weights.ts';
import type { RelatedParts, StoredRelated } from '../../src/store/types.ts';

const PARTS: RelatedParts = { tags: 0, text: 0.3, recency: 0.9, days: 0.5, shared: [] };
const OPTIONS = { keep: 3, diversityCap: 0.6 };

function listed(entries: [id: string, title: string, score: number][]): StoredRelated[] {
  return entries.map(([id, title, score], rank) => ({ id, title, score, rank, parts: PARTS, computedAt: '' }));
}

describe('countTerms and weighTerms', () => {
  it('counts title words twice, leaves out stop words and bare numbers, keeps first-seen order', () => {
    const counts = countTerms('Copper strike ends', 'The strike at the copper mine ended after 12 days, the union said.');
    expect([...counts]).toEqual([['copper', 3], ['strike', 3], ['ends', 2], ['mine', 1], ['ended', 1], ['days', 1], ['union', 1]]);
  });

  it('weighs rare words over common ones, keeps the heaviest, and has unit length', () => {
    const df: Record<string, number> = { copper: 50, strike: 400, escondida: 2, union: 900 };
    const weighted = weighTerms([['copper', 3], ['strike', 3], ['escondida', 1], ['union', 1]], (t) => df[t] ?? 1, 1000, 3);
    // copper: (1 + ln 3) · ln 21 = 6.4; escondida: 1 · ln 501 = 6.2; strike: 2.1 · ln 3.5 = 2.6; union (common, once) is cut
    expect(weighted.map(([term]) => term)).toEqual(['copper', 'escondida', 'strike']);
    expect(weighted.reduce((sum, [, w]) => sum + w * w, 0)).toBeCloseTo(1, 9);
    expect(weighTerms([], () => 1, 10)).toEqual([]);
  });
});

describe('mergeRelated', () => {
  const entry = { id: 'new', title: 'Petro orders inquiry into cocaine seizure', score: 0.5, parts: { ...PARTS, days: -0.3 } };

  it('inserts a newer story at its rank and trims the list to keep', () => {
    const list = listed([['a', 'Budget vote delayed', 0.7], ['b', 'Coffee exports rise', 0.4], ['c', 'Army chief replaced', 0.2]]);
    expect(mergeRelated(list, entry, OPTIONS)?.map((p) => p.id)).toEqual(['a', 'new', 'b']);
  });

  it('leaves the list alone when the story would rank below a full list', () => {
    const list = listed([['a', 'Budget vote delayed', 0.7], ['b', 'Coffee exports rise', 0.6], ['c', 'Army chief replaced', 0.55]]);
    expect(mergeRelated(list, entry, OPTIONS)).toBeUndefined();
  });

  it('a later report of an event already listed replaces it only when it scores higher', () => {
    const weaker = listed([['a', 'Petro orders inquiry into record cocaine seizure', 0.3], ['b', 'Coffee exports rise', 0.2]]);
    expect(mergeRelated(weaker, entry, OPTIONS)?.map((p) => p.id)).toEqual(['new', 'b']);
    const stronger = listed([['a', 'Petro orders inquiry into record cocaine seizure', 0.6]]);
    expect(mergeRelated(stronger, entry, OPTIONS)).toBeUndefined();
  });

  it('updates the score of a story already listed', () => {
    const list = listed([['a', 'Budget vote delayed', 0.7], ['new', 'Petro orders inquiry into cocaine seizure', 0.1]]);
    expect(mergeRelated(list, entry, OPTIONS)?.map((p) => [p.id, p.score])).toEqual([['a', 0.7], ['new', 0.5]]);
  });
});
