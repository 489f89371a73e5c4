// Subject space of related posts: latent semantic analysis (a truncated SVD of the stories' idf-weighted words), fitted on the store's own recent stories, no labels.
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Word vectors of one fit: a story's subject vector is the sum of its words' vectors, at unit length. Words that
 * often occur together ("net", "shr", "qtr", "revs") point the same way, so two earnings reports are close even when
 * they share no company name, and a takeover story is closer to other takeovers than to the bidder's earnings.
 */
export interface SubjectSpace {
  dims: number;
  /** Each word's vector, its IDF in the fitting sample folded in. */
  terms: ReadonlyMap<string, Float32Array>;
}

export interface FitOptions {
  /** Dimensions kept (fewer when the sample is small: at most a quarter of its stories). */
  dims: number;
  /** Words in fewer stories of the sample than this are left out: they cannot co-occur with anything. */
  minStories: number;
  /** Power iterations of the randomized SVD (each reads the sample twice; 2 is plenty for the leading dimensions). */
  iterations: number;
  /** Seed of the random start: the same sample gives the same space. */
  seed: number;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = { dims: 64, minStories: 2, iterations: 2, seed: 1 };
/** Extra random directions of the randomized SVD beyond `dims` (Halko, Martinsson & Tropp 2011). */
const OVERSAMPLING = 12;

/** A sparse story-by-word matrix, one unit-length row per story (CSR). */
export interface SparseRows {
  rows: number;
  cols: number;
  start: Int32Array;
  col: Int32Array;
  value: Float64Array;
}

/** Dense row-major matrix as the randomized SVD passes it around (n × width). */
export interface Dense {
  rows: number;
  width: number;
  data: Float64Array;
}

/** Resolves on the next turn of the event loop (after pending I/O callbacks), not as a microtask. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A small seeded generator (mulberry32) and Box-Muller normals: a reproducible random start, not cryptography. */
function normals(count: number, seed: number): Float64Array {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4_294_967_296;
  };
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const a = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(a);
    if (i + 1 < count) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/** A · D (rows × width) for sparse A and dense D (cols × width). */
function multiply(a: SparseRows, d: Dense): Dense {
  const { width, data } = d;
  const { start, col, value } = a;
  const out = new Float64Array(a.rows * width);
  for (let r = 0; r < a.rows; r++) {
    const base = r * width;
    for (let p = start[r]!; p < start[r + 1]!; p++) {
      const v = value[p]!;
      const from = col[p]! * width;
      for (let j = 0; j < width; j++) out[base + j]! += v * data[from + j]!;
    }
  }
  return { rows: a.rows, width, data: out };
}

/** Aᵀ · D (cols × width) for sparse A and dense D (rows × width). */
function multiplyTransposed(a: SparseRows, d: Dense): Dense {
  const { width, data } = d;
  const { start, col, value } = a;
  const out = new Float64Array(a.cols * width);
  for (let r = 0; r < a.rows; r++) {
    const from = r * width;
    for (let p = start[r]!; p < start[r + 1]!; p++) {
      const v = value[p]!;
      const base = col[p]! * width;
      for (let j = 0; j < width; j++) out[base + j]! += v * data[from + j]!;
    }
  }
  return { rows: a.cols, width, data: out };
}

/** Dᵀ · D (width × width): symmetric, so only the upper triangle is summed. */
function gram(d: Dense): Matrix {
  const { rows, width, data } = d;
  const sums = new Float64Array(width * width);
  for (let r = 0; r < rows; r++) {
    const x = r * width;
    for (let i = 0; i < width; i++) {
      const v = data[x + i]!;
      if (v === 0) continue;
      const base = i * width;
      for (let j = i; j < width; j++) sums[base + j]! += v * data[x + j]!;
    }
  }
  const out = Matrix.zeros(width, width);
  for (let i = 0; i < width; i++) {
    for (let j = i; j < width; j++) {
      out.set(i, j, sums[i * width + j]!);
      out.set(j, i, sums[i * width + j]!);
    }
  }
  return out;
}

/** D · M for dense D (rows × width) and a small matrix M (width × k); `upper`: M is upper triangular (half the work). */
function multiplySmall(d: Dense, m: Matrix, upper = false): Dense {
  const { rows, width, data } = d;
  const k = m.columns;
  const small = Float64Array.from(m.to1DArray());
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const x = r * width;
    const base = r * k;
    for (let i = 0; i < width; i++) {
      const v = data[x + i]!;
      if (v === 0) continue;
      const from = i * k;
      for (let j = upper ? i : 0; j < k; j++) out[base + j]! += v * small[from + j]!;
    }
  }
  return { rows, width: k, data: out };
}

/**
 * An orthonormal basis of D's columns by Cholesky QR, twice (CholeskyQR2: as accurate as Householder QR for the
 * blocks of a randomized SVD, and two tall-thin products instead of n × width² scalar updates). Between power
 * iterations one pass is enough: only the last basis must be orthonormal to working precision.
 */
function orthonormalize(d: Dense, passes = 2): Dense {
  let q = d;
  for (let pass = 0; pass < passes; pass++) {
    const g = gram(q);
    // A tiny ridge keeps the factorisation defined when the sample has fewer independent directions than asked.
    const scale = Math.max(1e-300, g.trace() / g.rows);
    for (let i = 0; i < g.rows; i++) g.set(i, i, g.get(i, i) + 1e-10 * scale);
    const r = new CholeskyDecomposition(g).lowerTriangularMatrix.transpose();
    q = multiplySmall(q, inverseUpper(r), true);
  }
  return q;
}

/** The inverse of an upper-triangular matrix by back substitution. */
function inverseUpper(r: Matrix): Matrix {
  const n = r.rows;
  const inv = Matrix.zeros(n, n);
  for (let i = n - 1; i >= 0; i--) {
    inv.set(i, i, 1 / r.get(i, i));
    for (let j = i + 1; j < n; j++) {
      let sum = 0;
      for (let k = i + 1; k <= j; k++) sum += r.get(i, k) * inv.get(k, j);
      inv.set(i, j, -sum / r.get(i, i));
    }
  }
  return inv;
}

/** A story's words with how often each occurs (title words twice): `countTerms` of src/relate/text.ts. */
export type TermCounts = readonly (readonly [string, number])[];

/** Weight of a word occurring `count` times, before its IDF: sublinear, as in the word postings (term-weights.ts). */
const termFrequency = (count: number) => (count > 0 ? 1 + Math.log(count) : 0);

/** The unit-length tf-idf rows of the sample, over the words in at least `minStories` of its stories. */
function sampleMatrix(stories: readonly TermCounts[], minStories: number): { matrix: SparseRows; vocabulary: string[]; idf: Float64Array } {
  const df = new Map<string, number>();
  for (const counts of stories) for (const term of new Set(counts.map(([term]) => term))) df.set(term, (df.get(term) ?? 0) + 1);
  const vocabulary = [...df.entries()].filter(([, count]) => count >= minStories).map(([term]) => term).sort();
  const column = new Map(vocabulary.map((term, i) => [term, i]));
  const idf = Float64Array.from(vocabulary, (term) => Math.log(1 + stories.length / df.get(term)!));
  const start = new Int32Array(stories.length + 1);
  const cols: number[] = [];
  const values: number[] = [];
  stories.forEach((counts, r) => {
    const weights = new Map<number, number>();
    for (const [term, count] of counts) {
      const c = column.get(term);
      if (c !== undefined) weights.set(c, (weights.get(c) ?? 0) + count);
    }
    const row = [...weights.entries()].map(([c, count]) => [c, termFrequency(count) * idf[c]!] as const).filter(([, w]) => w > 0).sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(row.reduce((sum, [, w]) => sum + w * w, 0));
    for (const [c, w] of row) {
      cols.push(c);
      values.push(w / norm);
    }
    start[r + 1] = cols.length;
  });
  return {
    matrix: { rows: stories.length, cols: vocabulary.length, start, col: Int32Array.from(cols), value: Float64Array.from(values) },
    vocabulary,
    idf,
  };
}

/**
 * Fits the subject space of a sample of stories (each given by its counted words): the leading right singular
 * vectors of the tf-idf weighted story-by-word matrix, by randomized SVD with power iterations. Returns undefined when
 * the sample is too small to have a subject structure (fewer than 8 stories or 2 shared words).
 */
export async function fitSubjects(stories: readonly TermCounts[], options: Partial<FitOptions> = {}): Promise<SubjectSpace | undefined> {
  const { dims: wanted, minStories, iterations, seed } = { ...DEFAULT_FIT_OPTIONS, ...options };
  const { matrix, vocabulary, idf } = sampleMatrix(stories, minStories);
  const dims = Math.min(wanted, Math.floor(stories.length / 4), vocabulary.length - 1);
  if (dims < 2) return undefined;
  const { vectors } = await truncatedSvd(matrix, dims, { iterations, seed });
  const terms = new Map<string, Float32Array>();
  vocabulary.forEach((term, c) => {
    const vector = new Float32Array(dims);
    for (let j = 0; j < dims; j++) vector[j] = vectors.data[c * dims + j]! * idf[c]!;
    terms.set(term, vector);
  });
  return { dims, terms };
}

/**
 * The leading `dims` singular values of a sparse matrix A and its right singular vectors (cols × dims), by randomized
 * SVD: Y = A·Ω sharpened by power iterations (A·Aᵀ)^q with re-orthonormalisation between steps; then B = Qᵀ·A is
 * small (width × cols), and its SVD comes from the eigenvectors of B·Bᵀ: V = Bᵀ·U·Σ⁻¹. A fit of 5,000 stories takes a
 * few hundred ms per step: the event loop turns between steps (the daemon keeps serving).
 */
export async function truncatedSvd(
  matrix: SparseRows,
  dims: number,
  options: Pick<FitOptions, 'iterations' | 'seed'> = DEFAULT_FIT_OPTIONS,
): Promise<{ values: number[]; vectors: Dense }> {
  const { iterations, seed } = options;
  const width = Math.min(dims + OVERSAMPLING, matrix.rows, matrix.cols);
  let y = orthonormalize(multiply(matrix, { rows: matrix.cols, width, data: normals(matrix.cols * width, seed) }), iterations === 0 ? 2 : 1);
  for (let i = 0; i < iterations; i++) {
    await yieldToEventLoop();
    const z = orthonormalize(multiplyTransposed(matrix, y), 1);
    await yieldToEventLoop();
    y = orthonormalize(multiply(matrix, z), i === iterations - 1 ? 2 : 1);
  }
  await yieldToEventLoop();
  const bt = multiplyTransposed(matrix, y);
  const eigen = new EigenvalueDecomposition(gram(bt), { assumeSymmetric: true });
  const order = eigen.realEigenvalues.map((value, i) => [value, i] as const).sort((a, b) => b[0] - a[0]).slice(0, dims);
  const u = new Matrix(width, order.length);
  // Directions with no weight (rounding noise relative to the largest value) get zero vectors, not 1/√noise.
  const floor = Math.max(order[0]?.[0] ?? 0, 0) * 1e-10;
  order.forEach(([value, i], j) => {
    const inverse = value > floor && value > 0 ? 1 / Math.sqrt(value) : 0;
    for (let r = 0; r < width; r++) u.set(r, j, eigen.eigenvectorMatrix.get(r, i) * inverse);
  });
  return { values: order.map(([value]) => Math.sqrt(Math.max(0, value))), vectors: multiplySmall(bt, u) };
}

/**
 * A story's subject vector: its known words' vectors weighted by (1 + ln count), summed, at unit length (the latent
 * coordinates of its tf-idf weighted words). Undefined when none of its words is in the space.
 */
export function foldSubject(space: SubjectSpace, counts: TermCounts): Float32Array | undefined {
  const { dims } = space;
  const sum = new Float64Array(dims);
  let known = 0;
  for (let t = 0; t < counts.length; t++) {
    const [term, count] = counts[t]!;
    const vector = space.terms.get(term);
    if (!vector || count <= 0) continue;
    const weight = termFrequency(count);
    known++;
    for (let j = 0; j < dims; j++) sum[j]! += weight * vector[j]!;
  }
  if (known === 0) return undefined;
  let norm = 0;
  for (let j = 0; j < dims; j++) norm += sum[j]! * sum[j]!;
  if (norm === 0) return undefined;
  const scale = 1 / Math.sqrt(norm);
  const out = new Float32Array(dims);
  for (let j = 0; j < dims; j++) out[j] = sum[j]! * scale;
  return out;
}

/** Cosine of two unit-length subject vectors (their dot product), -1..1; 0 when their lengths differ. */
export function subjectCosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  for (let j = 0; j < a.length; j++) dot += a[j]! * b[j]!;
  return dot;
}
