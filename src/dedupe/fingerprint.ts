// Content fingerprints: MinHash over word shingles with LSH band keys, headline keys, and the packed signature.
import { foldCase, isNumberToken, tokenizeHeadline, tokenizeText } from './normalize.ts';

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

/** Measured with `npm run eval:dedup -- --grid` (README, "Dedup design"): 2-word shingles beat 1 and 3; bands barely matter there. */
export const DEFAULT_FINGERPRINT: FingerprintOptions = { shingle: 2, bands: 20, rows: 3, permutations: 128, leadTokens: 250 };

const SIGNATURE_VERSION = 2;
const HEADER_BYTES = 12;
const MAX_NUMBERS = 32;
const MAX_NAMES = 48;
const MAX_LEAD_NAMES = 12;

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
  /** Tokens of the text without the title: 0 for a headline-only item. */
  bodyTokens: number;
  /** Sorted distinct hashes of the numbers in the fingerprinted text (for template verification). */
  numbers: Uint32Array;
  /** Sorted distinct hashes of the capitalised words of the text, and of those inside its lead sentence (its subject). */
  names: Uint32Array;
  leadNames: Uint32Array;
}

/**
 * Names in running text: every capitalised word (for "does the other text mention it"), and the capitalised
 * words inside the lead sentence that do not open it (its subject). Mostly-uppercase text (1987 wire headlines,
 * shouting feeds) gives none, since case says nothing there.
 */
export function extractNames(text: string): { names: string[]; lead: string[] } {
  const letters = text.replace(/[^A-Za-z]/g, '');
  const upper = letters.replace(/[^A-Z]/g, '').length;
  if (letters.length === 0 || upper / letters.length > 0.5) return { names: [], lead: [] };
  const names: string[] = [];
  const lead: string[] = [];
  let sentence = 0;
  let isSentenceStart = true;
  for (const match of text.matchAll(/[A-Za-z][A-Za-z'-]*|[.!?]["')\]]?(?=\s)/g)) {
    const word = match[0];
    if (/^[.!?]/.test(word)) {
      sentence++;
      isSentenceStart = true;
      continue;
    }
    if (/^[A-Z]/.test(word) && word.length > 1) {
      const token = foldCase(word).replace(/[^a-z0-9]/g, '');
      // Every capitalised word counts for presence (a rewrite moves names to the start of a sentence);
      // only those inside the lead sentence count as its subject.
      if (token) (names.push(token), sentence === 0 && !isSentenceStart && lead.push(token));
    }
    isSentenceStart = false;
  }
  return { names, lead };
}

const hashSet = (tokens: string[], max: number) => Uint32Array.from([...new Set(tokens.map(hashString))].slice(0, max).sort((a, b) => a - b));

/** Fingerprints the normalised tokens of a title and its text (already stripped of HTML and wire prefixes). */
export function computeFingerprint(title: string, text: string, options: FingerprintOptions = DEFAULT_FINGERPRINT): Fingerprint {
  const bodyTokens = tokenizeText(text);
  const tokens = [...tokenizeText(title), ...bodyTokens].slice(0, options.leadTokens);
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
  const names = extractNames(text);
  return {
    minhash, shingleCount: shingles.size, tokenCount: tokens.length, bodyTokens: Math.min(bodyTokens.length, 0xffff),
    numbers: hashSet(tokens.filter(isNumberToken), MAX_NUMBERS), names: hashSet(names.names, MAX_NAMES), leadNames: hashSet(names.lead, MAX_LEAD_NAMES),
  };
}

/** Signature bytes (little-endian): a 12-byte header, then MinHash values, number, name and lead-name hashes. */
export function packSignature(fp: Fingerprint): Uint8Array {
  const lists = [fp.minhash, fp.numbers, fp.names, fp.leadNames];
  const bytes = new Uint8Array(HEADER_BYTES + 4 * lists.reduce((n, list) => n + list.length, 0));
  const view = new DataView(bytes.buffer);
  view.setUint8(0, SIGNATURE_VERSION);
  view.setUint8(1, fp.numbers.length);
  view.setUint16(2, Math.min(fp.shingleCount, 0xffff), true);
  view.setUint16(4, Math.min(fp.tokenCount, 0xffff), true);
  view.setUint16(6, fp.minhash.length, true);
  view.setUint16(8, Math.min(fp.bodyTokens, 0xffff), true);
  view.setUint8(10, fp.names.length);
  view.setUint8(11, fp.leadNames.length);
  let offset = HEADER_BYTES;
  for (const list of lists) for (const value of list) (view.setUint32(offset, value, true), (offset += 4));
  return bytes;
}

/** Reads signature bytes back; undefined for bytes of another version or a truncated buffer. */
export function unpackSignature(bytes: Uint8Array | undefined): Fingerprint | undefined {
  if (!bytes || bytes.length < HEADER_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== SIGNATURE_VERSION) return undefined;
  const sizes = [view.getUint16(6, true), view.getUint8(1), view.getUint8(10), view.getUint8(11)];
  if (bytes.length !== HEADER_BYTES + 4 * sizes.reduce((n, size) => n + size, 0)) return undefined;
  let offset = HEADER_BYTES;
  const [minhash, numbers, names, leadNames] = sizes.map((size) => {
    const list = new Uint32Array(size);
    for (let i = 0; i < size; i++, offset += 4) list[i] = view.getUint32(offset, true);
    return list;
  }) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  return { minhash, shingleCount: view.getUint16(2, true), tokenCount: view.getUint16(4, true), bodyTokens: view.getUint16(8, true), numbers, names, leadNames };
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
export function compareNumbers(a: Fingerprint, b: Fingerprint): { share: number; smaller: number; missing: number } {
  const smaller = Math.min(a.numbers.length, b.numbers.length);
  if (smaller === 0) return { share: 1, smaller: 0, missing: 0 };
  const other = new Set(b.numbers);
  let shared = 0;
  for (const value of a.numbers) if (other.has(value)) shared++;
  return { share: shared / smaller, smaller, missing: smaller - shared };
}

/**
 * Whether each text's lead names someone the other text never mentions ("Nippon Shokubai is issuing..." vs
 * "Showa Aluminium is issuing..."): two templated stories about different companies. A copy or version keeps
 * the names of the lead it shares; an update may add names on one side only.
 */
export function haveDifferentSubjects(a: Fingerprint, b: Fingerprint): boolean {
  if (a.names.length === 0 || b.names.length === 0) return false;
  const namesA = new Set(a.names);
  const namesB = new Set(b.names);
  return a.leadNames.some((name) => !namesB.has(name)) && b.leadNames.some((name) => !namesA.has(name));
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
