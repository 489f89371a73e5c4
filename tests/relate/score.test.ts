// Pure scoring: parts, IDF and type weights, recency decay, the relevance gate, copies and diversity between picks.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORE_OPTIONS, decayRecency, overlapTerms, pickRelated, scoreCandidate } from '../../src/relate/score.ts';
import { extractTerms, htmlToPlainText, leadOf } from '../../src/relate/text.ts';
import type { RelatedCandidate, RelatedCandidateSet } from '../../src/store/types.ts';

const DAY = 86_400_000;
const subject = { storyId: 's', date: '2026-11-25T12:00:00.000Z', title: 'Subject', terms: ['petro', 'talks', 'havana'], tags: [] };

function candidate(id: string, partial: Partial<RelatedCandidate>): RelatedCandidate {
  return { storyId: id, date: subject.date, title: id, terms: [id], sharedTags: [], text: 0, ...partial };
}

describe('scoreCandidate', () => {
  it('a rare person weighs more than a common country, and the parts say why', () => {
    const person = scoreCandidate(subject.date, candidate('p', { sharedTags: [{ tag: 'person:Gustavo Petro', idf: 7 }] }), DEFAULT_SCORE_OPTIONS);
    const country = scoreCandidate(subject.date, candidate('c', { sharedTags: [{ tag: 'place:United States', idf: 1.1 }] }), DEFAULT_SCORE_OPTIONS);
    expect(person.score).toBeGreaterThan(country.score * 4);
    expect(person.parts).toEqual({ tags: expect.any(Number), text: 0, recency: 1, days: 0, shared: ['person:Gustavo Petro'] });
  });

  it('text evidence saturates: a word cosine of 0.2 gives 63% of it, a near-copy cosine of 0.9 almost all', () => {
    const at = (cosine: number) => scoreCandidate(subject.date, candidate('t', { text: cosine }), DEFAULT_SCORE_OPTIONS).parts.text;
    expect(at(0.2)).toBeCloseTo(1 - Math.exp(-1), 3);
    expect(at(0.9)).toBeGreaterThan(0.98);
    expect(at(0)).toBe(0);
    expect(scoreCandidate(subject.date, candidate('t', { text: 0.2 }), { ...DEFAULT_SCORE_OPTIONS, textSaturation: 0 }).parts.text).toBe(0.2);
  });

  it.each([
    ['same instant', 0, 1],
    ['one half-life later', 3 * DAY, 0.5],
    ['one half-life earlier', -3 * DAY, 0.5],
    ['two half-lives', 6 * DAY, 0.25],
  ])('recency decays with the gap either way: %s', (_name, gap, expected) => {
    expect(decayRecency(gap, 3 * DAY)).toBeCloseTo(expected, 6);
  });

  it('recency scales relevance but never makes an unrelated story relevant', () => {
    const near = scoreCandidate(subject.date, candidate('n', { text: 0.5, date: subject.date }), DEFAULT_SCORE_OPTIONS);
    const old = scoreCandidate(subject.date, candidate('o', { text: 0.5, date: new Date(Date.parse(subject.date) - 30 * DAY).toISOString() }), DEFAULT_SCORE_OPTIONS);
    expect(near.score).toBeGreaterThan(old.score);
    expect(old.score).toBeGreaterThanOrEqual(near.score * (1 - DEFAULT_SCORE_OPTIONS.recencyShare) - 1e-3);
    expect(old.parts.days).toBe(-30);
  });
});

describe('pickRelated', () => {
  const set = (candidates: RelatedCandidate[]): RelatedCandidateSet => ({ subject, candidates, storyCount: 100 });

  it('drops candidates below the relevance gate and honours the limit, 0 included', () => {
    const candidates = [candidate('a', { text: 0.6 }), candidate('b', { text: 0.4 }), candidate('weak', { text: 0.002 })];
    expect(pickRelated(set(candidates), DEFAULT_SCORE_OPTIONS, 5).map((p) => p.id)).toEqual(['a', 'b']);
    expect(pickRelated(set(candidates), DEFAULT_SCORE_OPTIONS, 1).map((p) => p.id)).toEqual(['a']);
    expect(pickRelated(set(candidates), DEFAULT_SCORE_OPTIONS, 0)).toEqual([]);
  });

  it('skips a copy that dedupe did not join (nearly the same words, close in time), but not an old story with similar words', () => {
    const words = ['petro', 'talks', 'havana', 'eln', 'ceasefire'];
    const own = { ...subject, terms: words };
    const copy = candidate('copy', { text: 0.9, terms: [...words, 'cuba'] });
    const oldSimilar = candidate('old', { text: 0.9, terms: [...words, 'cuba'], date: '2026-10-01T00:00:00.000Z' });
    const sameWords = candidate('same', { text: 0.5, terms: [...words], date: '2026-10-01T00:00:00.000Z' });
    const other = candidate('other', { text: 0.1, terms: ['petro', 'budget'] });
    expect(pickRelated({ subject: own, candidates: [copy, oldSimilar, sameWords, other], storyCount: 100 }, DEFAULT_SCORE_OPTIONS, 5).map((p) => p.id)).toEqual(['old', 'other']);
  });

  it('keeps at most one report of an event: a pick too close in words to an earlier pick is skipped', () => {
    const event = ['quake', 'turkey', 'magnitude', 'dead', 'rescue'];
    const first = candidate('e1', { text: 0.8, terms: event });
    const again = candidate('e2', { text: 0.7, terms: [...event, 'toll'] });
    const other = candidate('x', { text: 0.3, terms: ['election', 'turkey'] });
    expect(pickRelated(set([first, again, other]), DEFAULT_SCORE_OPTIONS, 5).map((p) => p.id)).toEqual(['e1', 'x']);
    expect(overlapTerms(event, [...event, 'toll'])).toBeCloseTo(5 / 6);
  });
});

describe('text of the index', () => {
  it('folds accents and case like FTS5 unicode61, and leaves out stop words, numbers and single letters', () => {
    expect(extractTerms('Petro’s Bogotá talks', 'The 2026 talks in Bogotá: a deal?')).toEqual(['petro', 'bogota', 'talks', 'deal']);
  });

  it('takes plain text from stored HTML and cuts the lead at a word boundary', () => {
    expect(htmlToPlainText('<p>AT&amp;T &lt;b&gt; caf&#233;</p><script>x()</script>')).toBe('AT&T <b> café');
    const lead = leadOf('word '.repeat(100).trim(), 300);
    expect(lead.length).toBeLessThanOrEqual(300);
    expect(lead.endsWith('word')).toBe(true);
  });
});
