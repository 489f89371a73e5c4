// Text helpers for tagging: diacritic folding, tokenizing with case and sentence flags, tag slugs.

/** Letters that NFKD does not decompose, written as they are typed on an English keyboard (Łódź → lodz). */
const LETTERS: Record<string, string> = { ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h' };

/** For matching: lowercase, accents removed (NFKD, combining marks dropped), curly apostrophes made straight. */
export function foldText(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[’‘]/g, "'")
    .toLowerCase()
    .replace(/[łøæœßđðþıħ]/g, (c) => LETTERS[c] ?? c);
}

/** A tag's slug: the one definition in src/model/tag.ts (tag links must resolve to the server's routes). */
export { slugifyTagName as slugifyTag } from '../model/tag.ts';

export interface Token {
  /** As written, possessive `'s` removed. */
  text: string;
  /** foldText(text). */
  fold: string;
  start: number;
  end: number;
  /** First character is an uppercase letter. */
  isCap: boolean;
  /** Every letter is uppercase (and there are at least two). */
  isUpper: boolean;
  /** First token of a sentence or line: its capital letter says nothing. */
  isSentenceStart: boolean;
  /** The token is followed by a possessive `'s`. */
  isPossessive: boolean;
  /** Characters between the previous token and this one. */
  gapBefore: string;
}

const TOKEN = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{M}]+)*/gu;
/** Punctuation that ends a sentence, a blank line, a bullet, or a dateline dash (`BOGOTA, Nov 24 - Text`). */
const SENTENCE_GAP = /[.!?:;"“”(]\s*$|\n\s*\n|[\s)][-–—•]+\s*$/;
/** U.S., U.K., U.N., U.S.S.R. → US, UK, UN, USSR, so that abbreviations are single tokens. */
const DOTTED = /\b((?:\p{Lu}\.){2,})/gu;

/** Removes dots from dotted abbreviations, keeping the length of the text unchanged (dots become zero-width later). */
export function undotAbbreviations(text: string): string {
  return text.replace(DOTTED, (m) => m.replace(/\./g, '') + ' '.repeat(m.split('.').length - 1));
}

/** Splits text into word tokens. Offsets refer to the undotted text. */
export function tokenize(text: string): Token[] {
  const source = undotAbbreviations(text);
  const tokens: Token[] = [];
  let last = 0;
  for (const m of source.matchAll(TOKEN)) {
    let word = m[0];
    const start = m.index;
    let isPossessive = false;
    const poss = /['’]s$/i.exec(word);
    if (poss && word.length > 2) {
      word = word.slice(0, -2);
      isPossessive = true;
    }
    const gap = source.slice(last, start);
    last = start + m[0].length;
    const first = word[0] ?? '';
    const letters = word.replace(/[^\p{L}]/gu, '');
    const prev = tokens[tokens.length - 1];
    const isSentenceStart = prev === undefined || SENTENCE_GAP.test(gap);
    tokens.push({
      text: word,
      fold: foldText(word),
      start,
      end: start + word.length,
      isCap: first !== first.toLowerCase(),
      isUpper: letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase(),
      isSentenceStart,
      isPossessive,
      gapBefore: gap,
    });
  }
  return tokens;
}

/** True when the text's letters are (almost) all capitals: wire headlines and datelines. */
export function isShouting(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length < 4) return false;
  const upper = letters.replace(/[^\p{Lu}]/gu, '').length;
  return upper / letters.length > 0.8;
}

const FUNCTION_WORDS = new Set(['and', 'of', 'the', 'in', 'to', 'for', 'on', 'at', 'with', 'as', 'by', 'from', 'after', 'over']);

/** True for a headline in Title Case ("Trump And Petro Discuss Venezuela"): capitals there say nothing about names. */
export function isTitleCase(text: string): boolean {
  const words = text.split(/\s+/).filter((w) => /^\p{L}/u.test(w));
  if (words.length < 4) return false;
  const capitalised = words.filter((w) => /^\p{Lu}/u.test(w));
  const hasCapitalFunctionWord = capitalised.some((w) => FUNCTION_WORDS.has(w.toLowerCase()));
  return hasCapitalFunctionWord && capitalised.length / words.length >= 0.8;
}
