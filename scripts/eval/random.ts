// A small seeded random generator (mulberry32) so evaluation corpora are reproducible.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(values: readonly T[]): T;
  chance(probability: number): boolean;
  shuffle<T>(values: T[]): T[];
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (values) => {
      if (values.length === 0) throw new Error('pick from an empty list');
      return values[int(0, values.length - 1)] as (typeof values)[number];
    },
    chance: (probability) => next() < probability,
    shuffle: (values) => {
      for (let i = values.length - 1; i > 0; i--) {
        const j = int(0, i);
        [values[i], values[j]] = [values[j] as (typeof values)[number], values[i] as (typeof values)[number]];
      }
      return values;
    },
  };
}
