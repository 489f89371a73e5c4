// Content fingerprints: MinHash over word shingles with LSH band keys, headline keys, and the packed signature.
import { isNumberToken, tokenizeHeadline, tokenizeText } from './normalize.ts';

export interface FingerprintOptions {
  /** Words per shingle. */
  shingle: number;
  /** LSH bands and rows per band; bands × rows MinHash values make the band keys. */
  bands: number;
  rows: number;
  /** MinHash values kept in the signature for verification (≥ bands × rows). */
  permutations: number;
  /** Tokens of title + text fingerprinted (the lead: copies trim the tail). */
  leadTokens: number;
}

/** Chosen from `npm run eval:dedup` (see /tmp notes and README: dedup design). */
export const DEFAULT_FINGERPRINT: FingerprintOptions = { shingle: 2, bands: 20, rows: 3, permutations: 128, leadTokens: 250 };

const SIGNATURE_VERSION = 1;
const HEADER_BYTES = 8;
const MAX_NUMBERS = 32;

/** murmur3's 32-bit finaliser: a cheap, well-mixed bijection on 32-bit integers. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalised with mix32. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Per-permutation seeds, fixed so that signatures stay comparable across runs and versions. */
const SEEDS = Array.from({ length: 512 }, (_, i) => mix32(0x9e3779b9 + Math.imul(i + 1, 0x632be5ab)));

export interface Fingerprint {
  /** MinHash values over the shingle set (length = permutations). */
  minhash: Uint32Array;
  shingleCount: number;
  tokenCount: number;
  /** Sorted distinct hashes of the numbers in the fingerprinted text (for template verification). */
  numbers: Uint32Array;
}

/** Fingerprints the normalised tokens of a title and its text (already stripped of HTML and wire prefixes). */
export function computeFingerprint(title: string, text: string, options: FingerprintOptions = DEFAULT_FINGERPRINT): Fingerprint {
  const tokens = [...tokenizeText(title), ...tokenizeText(text)].slice(0, options.leadTokens);
  const shingles = new Set<number>();
  const k = Math.min(options.shingle, Math.max(1, tokens.length));
  for (let i = 0; i + k <= tokens.length; i++) shingles.add(hashString(tokens.slice(i, i + k).join(' ')));
  const minhash = new Uint32Array(options.permutations).fill(0xffffffff);
  for (const shingle of shingles) {
    for (let p = 0; p < options.permutations; p++) {
      const value = mix32(shingle ^ (SEEDS[p] ?? 0));
      if (value < (minhash[p] ?? 0)) minhash[p] = value;
    }
  }
  const numbers = [...new Set(tokens.filter(isNumberToken).map(hashString))].slice(0, MAX_NUMBERS).sort((a, b) => a - b);
  return { minhash, shingleCount: shingles.size, tokenCount: tokens.length, numbers: Uint32Array.from(numbers) };
}

/** Signature bytes: version, counts, MinHash values, number hashes; little-endian. */
export function packSignature(fp: Fingerprint): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES + 4 * (fp.minhash.length + fp.numbers.length));
  const view = new DataView(bytes.buffer);
  view.setUint8(0, SIGNATURE_VERSION);
  view.setUint8(1, fp.numbers.length);
  view.setUint16(2, Math.min(fp.shingleCount, 0xffff), true);
  view.setUint16(4, Math.min(fp.tokenCount, 0xffff), true);
  view.setUint16(6, fp.minhash.length, true);
  let offset = HEADER_BYTES;
  for (const value of fp.minhash) (view.setUint32(offset, value, true), (offset += 4));
  for (const value of fp.numbers) (view.setUint32(offset, value, true), (offset += 4));
  return bytes;
}

/** Reads signature bytes back; undefined for bytes of another version or a truncated buffer. */
export function unpackSignature(bytes: Uint8Array | undefined): Fingerprint | undefined {
  if (!bytes || bytes.length < HEADER_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== SIGNATURE_VERSION) return undefined;
  const numberCount = view.getUint8(1);
  const permutations = view.getUint16(6, true);
  if (bytes.length !== HEADER_BYTES + 4 * (permutations + numberCount)) return undefined;
  const minhash = new Uint32Array(permutations);
  const numbers = new Uint32Array(numberCount);
  let offset = HEADER_BYTES;
  for (let i = 0; i < permutations; i++, offset += 4) minhash[i] = view.getUint32(offset, true);
  for (let i = 0; i < numberCount; i++, offset += 4) numbers[i] = view.getUint32(offset, true);
  return { minhash, shingleCount: view.getUint16(2, true), tokenCount: view.getUint16(4, true), numbers };
}

/** Estimated Jaccard similarity of the two shingle sets: the share of equal MinHash values. */
export function estimateJaccard(a: Fingerprint, b: Fingerprint): number {
  const n = Math.min(a.minhash.length, b.minhash.length);
  if (n === 0 || a.shingleCount === 0 || b.shingleCount === 0) return 0;
  let equal = 0;
  for (let i = 0; i < n; i++) if (a.minhash[i] === b.minhash[i]) equal++;
  return equal / n;
}

/** Estimated containment of the smaller shingle set in the larger: |A∩B| / min(|A|,|B|), from Jaccard and sizes. */
export function estimateContainment(a: Fingerprint, b: Fingerprint): number {
  const jaccard = estimateJaccard(a, b);
  const smaller = Math.min(a.shingleCount, b.shingleCount);
  if (smaller === 0) return 0;
  const intersection = (jaccard * (a.shingleCount + b.shingleCount)) / (1 + jaccard);
  return Math.min(1, intersection / smaller);
}

/** Share of the smaller number set found in the other (1 when either has none). */
export function compareNumbers(a: Fingerprint, b: Fingerprint): { share: number; smaller: number } {
  const smaller = Math.min(a.numbers.length, b.numbers.length);
  if (smaller === 0) return { share: 1, smaller: 0 };
  const other = new Set(b.numbers);
  let shared = 0;
  for (const value of a.numbers) if (other.has(value)) shared++;
  return { share: shared / smaller, smaller };
}

const hex = (value: number) => value.toString(16).padStart(8, '0');

/** LSH band keys `b:<band>:<hex>`: items sharing one band are candidates (P = 1 - (1 - J^rows)^bands). */
export function computeBandKeys(fp: Fingerprint, options: FingerprintOptions = DEFAULT_FINGERPRINT): string[] {
  if (fp.shingleCount === 0) return [];
  const keys: string[] = [];
  for (let band = 0; band < options.bands; band++) {
    let h = 0x2545f491 ^ band;
    for (let row = 0; row < options.rows; row++) h = mix32(h ^ (fp.minhash[band * options.rows + row] ?? 0)) + row;
    keys.push(`b:${band}:${hex(mix32(h))}`);
  }
  return keys;
}

/**
 * Headline keys: `h:` the whole normalised headline (exact repeats, kill notices), and `t:` pairs of its
 * two rarest-looking (longest) content words, which survive sentence-casing and a changed word.
 */
export function computeHeadlineKeys(headline: string): string[] {
  const words = [...new Set(tokenizeHeadline(headline))];
  if (words.length === 0) return [];
  const keys = [`h:${hex(hashString(words.join(' ')))}`];
  const longest = [...words].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).slice(0, 4);
  for (let i = 0; i < longest.length; i++) {
    for (let j = i + 1; j < longest.length; j++) {
      const pair = [longest[i], longest[j]].sort().join(' ');
      keys.push(`t:${hex(hashString(pair))}`);
    }
  }
  return keys;
}
