// The subject space: words that occur together point the same way, fits are reproducible, and refits follow the store's growth.
import { beforeAll, describe, expect, it } from 'vitest';
import { subjectRefitDue } from '../../src/relate/subject-model.ts';
import { fitSubjects, foldSubject, subjectCosine, type SubjectSpace } from '../../src/relate/subjects.ts';
import type { SubjectModel } from '../../src/store/types.ts';

const EARNINGS = ['net', 'shr', 'qtr', 'revs', 'profit', 'dividend', 'loss', 'oper'];
const TAKEOVERS = ['acquire', 'merger', 'stake', 'bid', 'tender', 'offer', 'shareholders', 'takeover'];
const GRAINS = ['wheat', 'corn', 'tonnes', 'harvest', 'export', 'crop', 'grain', 'usda'];

/** Words occurring once each. */
const once = (...words: string[]): [string, number][] => words.map((word) => [word, 1]);

/** Stories of three subjects: four of the subject's words (a different four each time) and two names of their own. */
function corpus(perSubject: number): [string, number][][] {
  const stories: [string, number][][] = [];
  for (let i = 0; i < perSubject; i++) {
    for (const [s, words] of [EARNINGS, TAKEOVERS, GRAINS].entries()) {
      const pick = [0, 1, 2, 3].map((k) => words[(i * 5 + s + k * 3) % words.length]!);
      stories.push(once(...new Set(pick), `name${s}x${i}`, `city${s}x${i}`));
    }
  }
  return stories;
}

describe('fitSubjects and foldSubject', () => {
  // As many dimensions as the corpus has subjects: each dimension is one subject's vocabulary.
  let space: SubjectSpace;
  beforeAll(async () => {
    space = (await fitSubjects(corpus(30), { dims: 3 }))!;
  });

  it('puts two stories of one subject close together although they share no word, and apart from other subjects', () => {
    const a = foldSubject(space, once('net', 'shr', 'qtr'))!;
    const b = foldSubject(space, once('revs', 'dividend', 'oper'))!;
    const c = foldSubject(space, once('acquire', 'tender', 'stake'))!;
    const d = foldSubject(space, once('wheat', 'usda', 'crop'))!;
    expect(subjectCosine(a, b)).toBeGreaterThan(0.8);
    expect(subjectCosine(a, c)).toBeLessThan(0.3);
    expect(subjectCosine(a, d)).toBeLessThan(0.3);
    expect(subjectCosine(c, d)).toBeLessThan(0.3);
  });

  it('gives unit-length vectors of the fitted dimensions, ignoring words it never saw', () => {
    const vector = foldSubject(space, once('net', 'neverseen'))!;
    expect(vector).toHaveLength(space.dims);
    expect(subjectCosine(vector, vector)).toBeCloseTo(1, 5);
    expect(foldSubject(space, once('neverseen', 'unknown'))).toBeUndefined();
    // words of a single story cannot co-occur with anything and are left out of the space
    expect(space.terms.has('name0x1')).toBe(false);
  });

  it('weighs a word by how often the story uses it: a story mostly about earnings lies nearer earnings', () => {
    const earnings = foldSubject(space, once('net', 'shr', 'revs'))!;
    const even = foldSubject(space, once('profit', 'merger'))!;
    const mostlyEarnings = foldSubject(space, [['profit', 4], ['merger', 1]])!;
    expect(subjectCosine(mostlyEarnings, earnings)).toBeGreaterThan(subjectCosine(even, earnings) + 0.1);
  });

  it('is reproducible: the same sample and seed give the same space', async () => {
    const again = (await fitSubjects(corpus(30), { dims: 3 }))!;
    expect([...again.terms.keys()]).toEqual([...space.terms.keys()]);
    expect(again.terms.get('merger')).toEqual(space.terms.get('merger'));
  });

  it('keeps at most a quarter of the sample as dimensions, and declines a sample too small to have subjects', async () => {
    expect((await fitSubjects(corpus(4), { dims: 64 }))?.dims).toBe(3);
    expect(await fitSubjects(corpus(2), { dims: 64 })).toBeUndefined();
    expect(await fitSubjects([], { dims: 64 })).toBeUndefined();
  });
});

describe('subjectRefitDue', () => {
  const options = { subjectDims: 64, subjectMinStories: 200, subjectSample: 5000 };
  const fitted = (stories: number) => ({ version: 1, dims: 64, stories, sample: stories, fittedAt: '', terms: new Map() }) as SubjectModel;

  it('fits first at the minimum, then at each doubling, then every sample-size of new stories', () => {
    expect(subjectRefitDue(199, undefined, options)).toBe(false);
    expect(subjectRefitDue(200, undefined, options)).toBe(true);
    expect(subjectRefitDue(399, fitted(200), options)).toBe(false);
    expect(subjectRefitDue(400, fitted(200), options)).toBe(true);
    expect(subjectRefitDue(14_999, fitted(10_000), options)).toBe(false);
    expect(subjectRefitDue(15_000, fitted(10_000), options)).toBe(true);
  });

  it('never fits with subject similarity turned off', () => {
    expect(subjectRefitDue(100_000, undefined, { ...options, subjectDims: 0 })).toBe(false);
  });
});
