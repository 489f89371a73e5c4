// Entity extraction: gazetteer mentions with context checks, datelines, people and companies, folded to canonical names.
import type { TagAssignment } from '../model/story.ts';
import { findMentions, type Gazetteer, type Mention } from './gazetteer.ts';
import { findHeadlineNames, findNameCandidates, TITLES, type NameCandidate, type NameLexicon } from './people.ts';
import { foldText, isShouting, isTitleCase, tokenize, type Token } from './text.ts';

export interface EntityContext {
  gazetteer: Gazetteer;
  lexicon: NameLexicon;
  /** folded alias → canonical name (from tagging.aliases, type prefix removed). */
  aliases: Map<string, string>;
  /** Mentions within the first `leadTokens` words of the text (or in the title or dateline) are prominent. */
  leadTokens: number;
  /** A name mentioned only outside the title, dateline and lead needs this many mentions to become a tag. */
  minMentions: number;
  /** The one full name that recent stories gave for a folded surname, if any. */
  recallPerson?: (surname: string) => string | undefined;
}

/** Words of a sports report: with a score, a country's name is a team, not the story's subject. Folded. */
const SPORTS = new Set([
  'match', 'goal', 'goals', 'striker', 'midfielder', 'defender', 'goalkeeper', 'coach', 'league', 'tournament', 'qualifier',
  'qualifiers', 'scored', 'penalty', 'fifa', 'uefa', 'olympic', 'olympics', 'championship', 'squad', 'football', 'soccer',
  'rugby', 'cricket', 'innings', 'wicket', 'semi-final', 'semifinal', 'quarter-final', 'halftime', 'stadium', 'friendly', 'kickoff',
  'draw', 'drew', 'cup', 'fans', 'hat-trick', 'equaliser', 'equalizer', 'header',
]);
/** A currency after a country's name or demonym ("the U.S. dollar", "Swiss franc") names the money, not the place. */
const CURRENCIES = new Set([
  // Not "won", "real", "mark", "crown": "Jordan won the match" is about Jordan.
  'dollar', 'dollars', 'franc', 'francs', 'yen', 'pound', 'pounds', 'sterling', 'lira', 'peso', 'pesos',
  'krona', 'krone', 'rupee', 'rupees', 'rand', 'yuan', 'rouble', 'roubles', 'ruble', 'rubles',
  'euro', 'euros', 'cent', 'cents', 'guilder', 'guilders', 'schilling', 'schillings', 'escudo', 'peseta', 'pesetas',
  'drachma', 'dinar', 'riyal', 'ringgit', 'baht', 'rupiah', 'reais', 'cruzado', 'cruzados', 'austral', 'dlr', 'dlrs', 'cts',
]);
const SCORE = /\b\d{1,2}\s?[-–]\s?\d{1,2}\b/;
/** A wire dateline at the start of the text: "BOGOTA, Nov 24 (Reuters) -", "SALVADOR, Feb 26 -". */
const DATELINE = /^\s*\p{Lu}[\p{Lu}.'’\- ]{1,40}?(?:,[^\n]{0,60}?[-–—]+\s|\s*\(|\s[-–—]\s)/u;

interface Segment {
  tokens: Token[];
  isShouting: boolean;
  /** All capitals or Title Case: capital letters do not mark names here. */
  isHeadlineCase: boolean;
  /** Tokens [0, datelineEnd) form the dateline. */
  datelineEnd: number;
}

function segmentOf(text: string, isText: boolean): Segment {
  const tokens = tokenize(text);
  let datelineEnd = 0;
  const m = isText ? DATELINE.exec(text) : null;
  if (m) {
    const end = (m.index ?? 0) + m[0].length;
    while (datelineEnd < tokens.length && tokens[datelineEnd]!.start < end) datelineEnd++;
  }
  const shouting = isShouting(text);
  return { tokens, isShouting: shouting, isHeadlineCase: shouting || (!isText && isTitleCase(text)), datelineEnd };
}

/** Words after a place name that make it part of a company's name ("Japan Airlines", "Boston Corp"). */
const ORG_AFTER = new Set([
  'inc', 'corp', 'corporation', 'co', 'ltd', 'plc', 'ag', 'sa', 'nv', 'llc', 'bank', 'bancorp', 'group', 'mining', 'mines', 'power',
  'electric', 'telecommunications', 'telecom', 'telephone', 'securities', 'airlines', 'airways', 'express', 'post', 'times',
  'journal', 'motors', 'steel', 'petroleum', 'resources', 'industries', 'holdings', 'trust', 'savings', 'financial',
  'insurance', 'investments', 'partners', 'chemicals', 'railway', 'railways', 'broadcasting', 'herald', 'tribune',
]);

/**
 * A place inside an organisation's name: "Credit Suisse First Boston", "Franco Nevada Mining", "Japan Airlines".
 * Only in running text: in a dateline or a headline in capitals every word is capitalised.
 */
function isInsideOrgName(m: Mention, seg: Segment, claimed: boolean[]): boolean {
  if (m.entry.type !== 'place' || m.isDemonym && m.entry.kind !== 'country' || m.start < seg.datelineEnd || seg.isHeadlineCase) return false;
  const next = seg.tokens[m.end];
  if (next && next.isCap && /^[ \t]+$/.test(next.gapBefore) && ORG_AFTER.has(next.fold)) return true;
  const prev = seg.tokens[m.start - 1];
  const first = seg.tokens[m.start]!;
  if (!prev || !prev.isCap || prev.isUpper || prev.isSentenceStart || claimed[m.start - 1] || first.isSentenceStart) return false;
  return /^[ \t]+$/.test(first.gapBefore) && !TITLES.has(prev.fold) && !GEO_MODIFIERS.has(prev.fold);
}

/** Capitalised words before a place that do not make it a company's name ("Southern Colombia", "Former Soviet"). */
const GEO_MODIFIERS = new Set([
  'north', 'south', 'east', 'west', 'northern', 'southern', 'eastern', 'western', 'central', 'greater', 'former', 'upper',
  'lower', 'inner', 'outer', 'mainland', 'rural', 'coastal', 'metropolitan', 'occupied', 'communist', 'socialist',
  'democratic', 'republican', 'federal', 'imperial', 'colonial', 'modern', 'ancient', 'neighbouring', 'neighboring',
]);

/** "Jordan Peterson", "Mr Chad", "Paris Hilton": a place that is also a name, used as a name. */
function isPersonLike(m: Mention, seg: Segment, claimed: boolean[], lexicon: NameLexicon): boolean {
  if (m.end - m.start !== 1 || m.start < seg.datelineEnd || seg.isHeadlineCase || m.isDemonym || m.entry.type !== 'place') return false;
  const prev = seg.tokens[m.start - 1];
  const next = seg.tokens[m.end];
  // Any place followed by a known surname that is not also a word: "Paris Hilton".
  if (next && next.isCap && !claimed[m.end] && /^[ \t]+$/.test(next.gapBefore) && lexicon.last.has(next.fold) && !lexicon.common.has(next.fold)) return true;
  if (!m.entry.personName) return false;
  if (prev && prev.isCap && !claimed[m.start - 1] && !/[,.;:]/.test(seg.tokens[m.start]!.gapBefore)) {
    if (lexicon.first.has(prev.fold) || TITLES.has(prev.fold)) return true;
  }
  if (next && next.isCap && !claimed[m.end] && /^[ \t]+$/.test(next.gapBefore) && !TITLES.has(next.fold) && !seg.tokens[m.start]!.isPossessive) {
    return !lexicon.common.has(next.fold);
  }
  return false;
}

/** The country that a dateline names explicitly, by a state or province ("ROCHESTER, N.Y.") or a country. */
function findDatelineCountry(mentions: Mention[], datelineEnd: number): string | undefined {
  for (const m of mentions) {
    if (m.start >= datelineEnd || m.start === 0) continue;
    if (m.entry.kind === 'subdivision') return m.entry.country;
    if (m.entry.kind === 'country') return m.entry.name;
  }
  return undefined;
}

function hasCue(foldedDoc: string, cues: string[]): boolean {
  return cues.some((cue) => new RegExp(`(^|[^\\p{L}])${foldText(cue).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(foldedDoc));
}

function isSportsStory(segments: Segment[], rawText: string): boolean {
  if (!SCORE.test(rawText)) return false;
  const seen = new Set<string>();
  for (const seg of segments) for (const t of seg.tokens) if (SPORTS.has(t.fold)) seen.add(t.fold);
  return seen.size >= 3;
}

/** Evidence for one tag in one story: how often and where it was mentioned. */
interface Evidence {
  origin: string;
  count: number;
  /** Mentioned in the title, the dateline or the lead. */
  isProminent: boolean;
  /** Only weak mentions so far (sentence-initial "Turkey", a capitalised headline). */
  isWeak: boolean;
}

/** Extracts place, organisation and person tags from a story's title and plain text. */
export function extractEntities(title: string, text: string, ctx: EntityContext): TagAssignment[] {
  const segments = [segmentOf(title, false), segmentOf(text, true)];
  let foldedDoc: string | undefined; // folded lazily: only a usStateCues entry (Georgia) needs it
  const isSports = isSportsStory(segments, `${title}\n${text}`);
  const evidence = new Map<string, Evidence>();
  const candidates: NameCandidate[] = [];
  const note = (tag: string, origin: string, isProminent: boolean, isWeak: boolean) => {
    const e = evidence.get(tag);
    if (!e) {
      evidence.set(tag, { origin, count: 1, isProminent, isWeak });
      return;
    }
    e.count++;
    e.isProminent ||= isProminent;
    if (e.isWeak && !isWeak) e.origin = origin;
    e.isWeak &&= isWeak;
  };

  segments.forEach((seg, segIndex) => {
    const raw = findMentions(ctx.gazetteer, seg.tokens, seg.isShouting);
    const claimed = new Array<boolean>(seg.tokens.length).fill(false);
    for (const m of raw) for (let k = m.start; k < m.end; k++) claimed[k] = true;
    const unclaim = (m: Mention) => {
      for (let k = m.start; k < m.end; k++) claimed[k] = false;
    };
    const datelineCountry = findDatelineCountry(raw, seg.datelineEnd);
    for (const m of raw) {
      const isDateline = m.start < seg.datelineEnd;
      // "BIRMINGHAM, Ala." is not Birmingham, England: a dateline's state or country decides for its city.
      const isOtherCountry = isDateline && datelineCountry !== undefined && m.entry.kind === 'city' && m.entry.country !== datelineCountry;
      if ((m.entry.datelineOnly && !isDateline) || isOtherCountry || isPersonLike(m, seg, claimed, ctx.lexicon) || isInsideOrgName(m, seg, claimed)) {
        unclaim(m);
        continue;
      }
      const first = seg.tokens[m.start]!;
      const kind = isDateline ? 'dateline' : m.entry.kind === 'alias' ? 'alias' : m.isDemonym ? 'demonym' : 'gazetteer';
      const origin = `${kind}:${m.surface}`;
      const isWeak = Boolean(m.entry.commonWord) && !isDateline && (first.isSentenceStart || seg.isShouting);
      const isProminent = segIndex === 0 || isDateline || m.start < ctx.leadTokens;
      const { entry } = m;
      if (entry.type === 'place' && isSports && !isDateline && (entry.kind === 'country' || m.isDemonym)) continue;
      if (entry.type === 'place' && entry.kind === 'country' && CURRENCIES.has(seg.tokens[m.end]?.fold ?? '')) continue;
      if (entry.usStateCues && hasCue((foldedDoc ??= foldText(`${title}\n${text}`)), entry.usStateCues)) {
        note('place:United States', `${origin} (US state)`, isProminent, isWeak);
        continue;
      }
      if (entry.kind !== 'landmark') note(`${entry.type}:${entry.name}`, origin, isProminent, isWeak);
      if (entry.country) note(`place:${entry.country}`, origin, isProminent, isWeak);
    }
    if (seg.isHeadlineCase) {
      if (segIndex === 0) candidates.push(...findHeadlineNames(seg.tokens, claimed, ctx.lexicon, (fold) => ctx.recallPerson?.(fold) !== undefined));
    } else {
      for (const c of findNameCandidates(seg.tokens, claimed, ctx.lexicon)) candidates.push({ ...c, start: segIndex === 0 ? -1 : c.start });
    }
  });
  for (const person of foldNames(candidates, ctx)) note(person.tag, person.origin, person.isProminent, false);

  const out: TagAssignment[] = [];
  for (const [tag, e] of evidence) {
    // A weak mention counts only if the story also names the place plainly; a passing mention needs a second one.
    if (e.isWeak) continue;
    if (!e.isProminent && e.count < ctx.minMentions) continue;
    out.push({ tag, origin: e.origin });
  }
  return out;
}

/** Folds surnames into full names found in the same story ("Petro" → Gustavo Petro) and applies aliases. */
export function foldNames(candidates: NameCandidate[], ctx: Pick<EntityContext, 'aliases' | 'leadTokens' | 'recallPerson'>): (TagAssignment & { isProminent: boolean })[] {
  // A tentative run that starts or ends with a name accepted alone is that person's full name ("Mr. Xi" → Xi Jinping).
  const singles = new Set(candidates.filter((c) => c.kind === 'person' && !c.isTentative && c.folds.length === 1).map((c) => c.folds[0]!));
  for (const c of candidates) {
    if (c.isTentative && c.folds.length >= 2 && c.folds.length <= 3 && (singles.has(c.folds[0]!) || singles.has(c.folds[c.folds.length - 1]!))) {
      c.isTentative = false;
    }
  }
  const people = candidates.filter((c) => c.kind === 'person' && !c.isTentative);
  const full = people.filter((p) => p.folds.length >= 2);
  const out: (TagAssignment & { isProminent: boolean })[] = [];
  // Confident and longer names first, so that a full name keeps its own origin.
  const ordered = [...candidates].sort((a, b) => Number(a.isTentative ?? false) - Number(b.isTentative ?? false) || b.folds.length - a.folds.length);
  for (const c of ordered) {
    let name = c.name;
    let origin = `entity:${c.cue}`;
    if (c.kind === 'person') {
      const hosts = new Set(full.filter((f) => f.folds.length > c.folds.length && (isSuffix(c.folds, f.folds) || isFamilyNameFirst(c, f))).map((f) => foldText(f.name)));
      if (hosts.size === 1) {
        const host = full.find((f) => foldText(f.name) === [...hosts][0])!;
        if (host.name !== c.name) origin = `entity:surname-of:${host.name}`;
        name = host.name;
      } else if (hosts.size > 1) {
        continue;
      } else {
        // No full name in this story: a surname that recent stories named in full (VOLCKER → Paul Volcker).
        const known = c.folds.length === 1 && !c.isBareStart ? ctx.recallPerson?.(c.folds[0]!) : undefined;
        if (known) {
          origin = `entity:known-surname:${known}`;
          name = known;
        } else if (c.isTentative) continue;
      }
    }
    const alias = ctx.aliases.get(foldText(name));
    if (alias !== undefined) {
      origin = `alias:${name}`;
      name = alias;
    }
    // A full name is evidence enough; a lone surname (or company) mentioned in passing is not.
    out.push({ tag: `${c.kind}:${name}`, origin, isProminent: c.start < ctx.leadTokens });
  }
  return out;
}

/** "Xi" in a story that names Xi Jinping: family name first, as Chinese, Korean and Hungarian names are written. */
function isFamilyNameFirst(short: NameCandidate, long: NameCandidate): boolean {
  return short.folds.length === 1 && long.folds.length === 2 && long.folds[0] === short.folds[0] && short.cue === 'title';
}

function isSuffix(short: string[], long: string[]): boolean {
  const offset = long.length - short.length;
  return short.every((s, i) => long[offset + i] === s);
}
