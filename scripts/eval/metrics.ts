// Pairwise precision and recall of a clustering against known groups, from the contingency table.

export interface PairwiseScore {
  precision: number;
  recall: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/** Pairwise scores: a pair of items is predicted together when they share a predicted cluster. */
export function scorePairwise(truth: readonly (string | number)[], predicted: readonly (string | number)[]): PairwiseScore {
  const cells = new Map<string, number>();
  const truthSizes = new Map<string | number, number>();
  const predictedSizes = new Map<string | number, number>();
  truth.forEach((group, index) => {
    const cluster = predicted[index] ?? `missing-${index}`;
    cells.set(`${group}\u0000${cluster}`, (cells.get(`${group}\u0000${cluster}`) ?? 0) + 1);
    truthSizes.set(group, (truthSizes.get(group) ?? 0) + 1);
    predictedSizes.set(cluster, (predictedSizes.get(cluster) ?? 0) + 1);
  });
  let correctPairs = 0;
  for (const n of cells.values()) correctPairs += pairs(n);
  let truePairs = 0;
  for (const n of truthSizes.values()) truePairs += pairs(n);
  let predictedPairs = 0;
  for (const n of predictedSizes.values()) predictedPairs += pairs(n);
  return {
    precision: predictedPairs === 0 ? 1 : correctPairs / predictedPairs,
    recall: truePairs === 0 ? 1 : correctPairs / truePairs,
    truePairs,
    predictedPairs,
    correctPairs,
  };
}

/** A union-find over string keys, for ground truth built from "these two are the same text". */
export class UnionFind {
  private readonly parent = new Map<string, string>();
  find(key: string): string {
    let root = key;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root) ?? root;
    this.parent.set(key, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}
