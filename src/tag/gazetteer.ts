// The gazetteer: places and organisations with their surface forms, compiled once into a token-keyed matcher.
import { foldText, tokenize, type Token } from './text.ts';

export type EntityType = 'place' | 'org' | 'person';

export interface GazetteerEntry {
  type: EntityType;
  kind: 'country' | 'city' | 'region' | 'subdivision' | 'landmark' | 'org' | 'alias';
  /** Canonical name, with its diacritics (Bogotá). */
  name: string;
  /** ISO 3166-1 alpha-2 code of a country. */
  code?: string;
  /** Canonical name of the country this place or organisation implies (Bogotá → Colombia). */
  country?: string;
  historical?: boolean;
  /** Surface forms: names, short forms, abbreviations. Short all-capital forms match only as written. */
  aliases: string[];
  /** Demonyms and adjectives ("Colombian"). */
  demonyms: string[];
  /** The name is also a first name or surname (Jordan, Chad, Florence): a person-like context cancels it. */
  personName?: boolean;
  /** The name is also a common word (Turkey, Malé): at a sentence start or in a capitalised headline it needs support. */
  commonWord?: boolean;
  /** Words that mean the US state of the same name (Georgia): then the mention implies the United States instead. */
  usStateCues?: string[];
  /** Aliases ignored in all-capital text ("WHO"). */
  capsAmbiguous?: string[];
  /** Matches only inside a dateline (state abbreviations: "ROCHESTER, N.Y., Feb 26 -"). */
  datelineOnly?: boolean;
}

export interface GazetteerData {
  sources: string[];
  entries: GazetteerEntry[];
}

interface Pattern {
  entry: GazetteerEntry;
  surface: string;
  folds: string[];
  /** Per token: the exact text required (short capitals), 'cap' (capitalised), or undefined (any case). */
  cases: (string | 'cap' | undefined)[];
  isDemonym: boolean;
  isCapsAmbiguous: boolean;
  /** Per token: the surface has a dot before it ("St. Louis"), so a dot there does not break the match. */
  dotted: boolean[];
}

export interface Gazetteer {
  byFirst: Map<string, Pattern[]>;
  /** folded canonical name → entry. */
  byName: Map<string, GazetteerEntry>;
  entries: GazetteerEntry[];
}

/** One gazetteer hit in a token list: tokens [start, end). */
export interface Mention {
  entry: GazetteerEntry;
  surface: string;
  start: number;
  end: number;
  isDemonym: boolean;
}

function compilePattern(entry: GazetteerEntry, surface: string, isDemonym: boolean): Pattern | undefined {
  const tokens = tokenize(surface);
  if (tokens.length === 0) return undefined;
  const cases = tokens.map((t) => {
    if (t.isUpper && t.text.length <= 3) return t.text;
    return t.isCap ? ('cap' as const) : undefined;
  });
  return {
    entry,
    surface,
    folds: tokens.map((t) => t.fold),
    cases,
    isDemonym,
    isCapsAmbiguous: entry.capsAmbiguous?.includes(surface) ?? false,
    dotted: tokens.map((t) => t.gapBefore.includes('.')),
  };
}

function addPatterns(byFirst: Map<string, Pattern[]>, entry: GazetteerEntry, atFront: boolean): void {
  const forms: [string, boolean][] = [...entry.aliases.map((a) => [a, false] as [string, boolean]), ...entry.demonyms.map((d) => [d, true] as [string, boolean])];
  for (const [surface, isDemonym] of forms) {
    const pattern = compilePattern(entry, surface, isDemonym);
    if (!pattern) continue;
    const key = pattern.folds[0]!;
    const list = byFirst.get(key) ?? [];
    const same = list.findIndex((p) => p.folds.join(' ') === pattern.folds.join(' ') && p.cases.join() === pattern.cases.join());
    if (same >= 0 && !atFront) continue;
    const next = same >= 0 ? list.filter((_, i) => i !== same) : [...list];
    if (atFront) next.unshift(pattern);
    else next.push(pattern);
    // Longest first; a stable sort keeps aliases ahead of bundled patterns of the same length.
    byFirst.set(key, next.sort((a, b) => b.folds.length - a.folds.length));
  }
}

/** The bundled data compiled once per data object: tagger instances share it. */
const compiled = new WeakMap<GazetteerData, Gazetteer>();

/** Compiles entries (and extra entries, e.g. from tagging.aliases, which win over bundled ones) into a first-token index. */
export function compileGazetteer(data: GazetteerData, extra: GazetteerEntry[] = []): Gazetteer {
  let base = compiled.get(data);
  if (!base) {
    const byFirst = new Map<string, Pattern[]>();
    const byName = new Map<string, GazetteerEntry>();
    for (const entry of data.entries) {
      if (!byName.has(foldText(entry.name))) byName.set(foldText(entry.name), entry);
      addPatterns(byFirst, entry, false);
    }
    base = { byFirst, byName, entries: data.entries };
    compiled.set(data, base);
  }
  if (extra.length === 0) return base;
  const byFirst = new Map(base.byFirst);
  const byName = new Map(base.byName);
  for (const entry of extra) {
    byName.set(foldText(entry.name), entry);
    addPatterns(byFirst, entry, true);
  }
  return { byFirst, byName, entries: [...extra, ...data.entries] };
}

/** Punctuation that separates two tokens of one name would break a match ("Colombia. Bank" is not one name). */
const BREAKING_GAP = /[.!?;:()\[\]"“”]|\n\s*\n/;

function matchesAt(pattern: Pattern, tokens: Token[], at: number, isShouting: boolean): boolean {
  if (isShouting && pattern.isCapsAmbiguous) return false;
  for (let k = 0; k < pattern.folds.length; k++) {
    const token = tokens[at + k];
    if (!token || token.fold !== pattern.folds[k]) return false;
    if (k > 0 && BREAKING_GAP.test(token.gapBefore) && !(pattern.dotted[k] && /^\.\s*$/.test(token.gapBefore))) return false;
    const rule = pattern.cases[k];
    if (rule === undefined || isShouting) continue;
    if (rule === 'cap' ? !token.isCap : token.text !== rule) return false;
  }
  return true;
}

/** Finds gazetteer mentions, longest match first, left to right, without overlaps. */
export function findMentions(gazetteer: Gazetteer, tokens: Token[], isShouting: boolean): Mention[] {
  const mentions: Mention[] = [];
  for (let i = 0; i < tokens.length; ) {
    const candidates = gazetteer.byFirst.get(tokens[i]!.fold);
    const hit = candidates?.find((p) => matchesAt(p, tokens, i, isShouting));
    if (!hit) {
      i++;
      continue;
    }
    mentions.push({ entry: hit.entry, surface: hit.surface, start: i, end: i + hit.folds.length, isDemonym: hit.isDemonym });
    i += hit.folds.length;
  }
  return mentions;
}
