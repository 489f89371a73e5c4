// The subject space: words that occur together point the same way, fits are reproducible, and refits follow the store's growth.
import { beforeAll, describe, expect, it } from 'vitest';
import { subjectRefitDue } from '../../src/relate/subject-model.ts';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { fitSubjects, foldSubject, subjectCosine, truncatedSvd, type SparseRows, type SubjectSpace } from '../../src/relate/subjects.ts';
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

describe('truncatedSvd', () => {
  it('finds the leading singular values and right singular vectors of a sparse matrix, as a dense SVD does', async () => {
    // 120 × 60, about 10% non-zero, from a fixed generator
    let state = 7;
    const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const dense = Matrix.zeros(120, 60);
    const start = [0];
    const col: number[] = [];
    const value: number[] = [];
    for (let r = 0; r < 120; r++) {
      for (let c = 0; c < 60; c++) {
        if (next() < 0.1) {
          const v = next() + 0.1;
          dense.set(r, c, v);
          col.push(c);
          value.push(v);
        }
      }
      start.push(col.length);
    }
    const sparse: SparseRows = { rows: 120, cols: 60, start: Int32Array.from(start), col: Int32Array.from(col), value: Float64Array.from(value) };
    const exact = new SingularValueDecomposition(dense, { autoTranspose: true });
    // it converges to the exact values with power iterations; the default 2 are within 2% even on this flat spectrum
    // (random entries; a text matrix's values fall faster, which is what makes 2 enough)
    const converged = await truncatedSvd(sparse, 6, { iterations: 8, seed: 1 });
    converged.values.forEach((v, j) => expect(Math.abs(v - exact.diagonal[j]!) / exact.diagonal[j]!).toBeLessThan(1e-3));
    const { values, vectors } = await truncatedSvd(sparse, 6, { iterations: 2, seed: 1 });
    expect(values).toHaveLength(6);
    expect(Math.abs(values[0]! - exact.diagonal[0]!) / exact.diagonal[0]!).toBeLessThan(1e-4);
    values.forEach((v, j) => expect(Math.abs(v - exact.diagonal[j]!) / exact.diagonal[j]!).toBeLessThan(0.02));
    // the leading direction is the same up to sign
    let dot = 0;
    for (let c = 0; c < 60; c++) dot += vectors.data[c * 6]! * exact.rightSingularVectors.get(c, 0);
    expect(Math.abs(dot)).toBeCloseTo(1, 3);
  });
});

describe('subjectRefitDue', () => {
  const options = { subjectDims: 64, subjectMinStories: 200, subjectSample: 5000 };
  const fitted = (stories: number, indexed = stories): SubjectModel =>
    ({ version: 1, dims: 64, stories, indexed, sample: Math.min(stories, 5000), fittedAt: '', terms: new Map() });
  const index = (stories: number, indexed = stories) => ({ stories, indexed });

  it('fits first at the minimum, then when as many stories arrived as it was fitted on, at most every sample-size', () => {
    expect(subjectRefitDue(index(199), undefined, options)).toBe(false);
    expect(subjectRefitDue(index(200), undefined, options)).toBe(true);
    expect(subjectRefitDue(index(399), fitted(200), options)).toBe(false);
    expect(subjectRefitDue(index(400), fitted(200), options)).toBe(true);
    expect(subjectRefitDue(index(14_999), fitted(10_000), options)).toBe(false);
    expect(subjectRefitDue(index(15_000), fitted(10_000), options)).toBe(true);
  });

  it('counts new stories, not the size: a store that retention holds at 9,000 stories is still refitted', () => {
    // fitted at 6,400 stories (index position 6,400); since then 5,000 stories arrived and 2,400 old ones were purged
    expect(subjectRefitDue(index(9_000, 11_399), fitted(6_400), options)).toBe(false);
    expect(subjectRefitDue(index(9_000, 11_400), fitted(6_400), options)).toBe(true);
  });

  it('never fits with subject similarity turned off', () => {
    expect(subjectRefitDue(index(100_000), undefined, { ...options, subjectDims: 0 })).toBe(false);
  });
});
