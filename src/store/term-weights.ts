// How a story's counted words become its weighted words, for every backend: tf-idf, the most telling few, unit length.

/** Weighted words kept per story: the dot product of two stories reads at most this many postings lists. */
export const WEIGHTED_TERMS = 25;

/**
 * (1 + ln tf) · ln(1 + n / df), the `limit` heaviest words, scaled to unit length so that the dot product of two
 * stories is their cosine (0..1). `df` is the number of indexed stories holding the word, this one included.
 * Measured on Reuters-21578 (plain tf-idf neighbours, earlier stories only): all words 0.663 precision@5, 25 words 0.666.
 */
export function weighTerms(
  counts: readonly (readonly [string, number])[],
  df: (term: string) => number,
  n: number,
  limit = WEIGHTED_TERMS,
): [string, number][] {
  const weighted = counts
    .filter(([, count]) => count > 0)
    .map(([term, count]): [string, number] => [term, (1 + Math.log(count)) * Math.log(1 + n / Math.max(df(term), 1))])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit);
  const norm = Math.sqrt(weighted.reduce((sum, [, weight]) => sum + weight * weight, 0));
  return norm > 0 ? weighted.map(([term, weight]) => [term, weight / norm]) : [];
}
