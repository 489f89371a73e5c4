// Finds people (and companies by their legal suffix) in runs of capitalised words that the gazetteer did not claim.
import type { Token } from './text.ts';

export interface NameLexicon {
  first: Set<string>;
  last: Set<string>;
  common: Set<string>;
}

/** Why a run was taken for a person: the origin detail that `wiredesk explain` shows. */
export type PersonCue = 'title' | 'first-name' | 'surname' | 'speech';

export interface NameCandidate {
  kind: 'person' | 'org';
  name: string;
  /** Folded tokens of the name, for surname folding. */
  folds: string[];
  cue: PersonCue | 'suffix';
  start: number;
  /** The run did not qualify by itself; it becomes a person only if it folds into one found elsewhere in the story. */
  isTentative?: boolean;
  /**
   * A lone capitalised word that starts a sentence with no speech verb beside it ("Sales 4.1 mln vs 3.7 mln"): its
   * capital says nothing, so it is never taken for a person remembered from other stories.
   */
  isBareStart?: boolean;
}

/** Titles and roles stripped before a name ("President Gustavo Petro" → Gustavo Petro). Folded. */
export const TITLES = new Set([
  'president', 'vice', 'prime', 'minister', 'premier', 'chancellor', 'secretary', 'chairman', 'chairwoman', 'chair', 'governor',
  'senator', 'sen', 'rep', 'representative', 'congressman', 'congresswoman', 'mayor', 'king', 'queen', 'prince', 'princess',
  'sheikh', 'sheik', 'emir', 'sultan', 'ayatollah', 'pope', 'cardinal', 'archbishop', 'bishop', 'general', 'gen', 'colonel', 'col',
  'lt', 'lieutenant', 'admiral', 'adm', 'commander', 'marshal', 'chief', 'director', 'spokesman', 'spokeswoman', 'spokesperson',
  'ambassador', 'envoy', 'leader', 'judge', 'justice', 'mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'professor', 'sir', 'lord', 'lady',
  'dame', 'baron', 'baroness', 'president-elect', 'candidate', 'economist', 'analyst', 'executive', 'officer', 'ceo', 'cfo',
  'founder', 'lawmaker', 'deputy', 'undersecretary', 'under-secretary', 'commissioner', 'treasurer', 'attorney', 'rev', 'reverend',
  'comptroller', 'dictator', 'strongman', 'chieftain', 'mullah', 'speaker',
  // Spanish, Portuguese, French, Italian and German titles, for wire copy in those languages.
  'presidente', 'presidenta', 'président', 'présidente', 'präsident', 'präsidentin', 'ministro', 'ministra', 'ministre',
  'minister', 'ministerin', 'canciller', 'chanceler', 'kanzler', 'kanzlerin', 'gobernador', 'gobernadora', 'governador',
  'alcalde', 'alcaldesa', 'prefeito', 'senador', 'senadora', 'diputado', 'diputada', 'deputado', 'señor', 'señora',
  'sra', 'doña', 'monsieur', 'madame', 'mme', 'herr', 'frau', 'signor', 'signora', 'primer',
]);
const NAME_PARTICLES = new Set(['de', 'da', 'das', 'do', 'dos', 'del', 'della', 'di', 'du', 'van', 'von', 'der', 'den', 'ter', 'bin', 'ibn', 'al', 'el', 'la', 'le', 'y', 'abu', 'st']);
/** After a lone surname these make it an adjective ("the Reagan administration"): not a mention of the person. */
const ATTRIBUTIVE = new Set(['administration', 'government', 'era', 'years', 'doctrine', 'cabinet', 'camp', 'presidency', 'regime', 'aides', 'plan']);
const GENERATIONAL = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);
const SPEECH = new Set(['said', 'says', 'told', 'added', 'stated', 'announced', 'argued', 'warned', 'wrote', 'noted', 'explained', 'declared', 'insisted', 'urged']);
const CORPORATE = new Set(['inc', 'corp', 'corporation', 'co', 'ltd', 'limited', 'plc', 'ag', 'sa', 'nv', 'llc', 'gmbh', 'spa', 'bv', 'ab', 'asa', 'oyj', 'kk', 'bhd', 'incorporated']);
/** Words that make a capitalised run an institution or a thing rather than a person. Folded. */
const NOT_PERSON = new Set([
  'bank', 'group', 'company', 'association', 'ministry', 'department', 'party', 'council', 'commission', 'committee', 'agency',
  'exchange', 'board', 'airlines', 'airways', 'university', 'institute', 'union', 'federation', 'court', 'house', 'office', 'fund',
  'trust', 'holdings', 'industries', 'international', 'systems', 'services', 'securities', 'capital', 'partners', 'foundation',
  'organization', 'organisation', 'news', 'times', 'journal', 'post', 'street', 'avenue', 'road', 'river', 'sea', 'ocean', 'island',
  'islands', 'mountains', 'province', 'state', 'city', 'county', 'airport', 'port', 'station', 'church', 'hospital', 'school',
  'college', 'army', 'navy', 'force', 'forces', 'police', 'government', 'parliament', 'congress', 'senate', 'assembly', 'reserve',
  'treasury', 'administration', 'motors', 'oil', 'petroleum', 'energy', 'gas', 'power', 'electric', 'steel', 'mining', 'chemical',
  'chemicals', 'foods', 'pharmaceuticals', 'communications', 'technologies', 'technology', 'software', 'media', 'press', 'radio',
  'television', 'tv', 'club', 'league', 'cup', 'championship', 'games', 'festival', 'prize', 'award', 'act', 'bill', 'law', 'plan',
  'program', 'programme', 'project', 'index', 'report', 'market', 'markets', 'financial', 'investment', 'investments', 'insurance',
  'corp', 'inc', 'ltd', 'co', 'plc', 'brothers', 'sons', 'stores', 'hotel', 'hotels', 'center', 'centre', 'monday', 'tuesday',
  'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april', 'june', 'july', 'august',
  'september', 'october', 'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'northern', 'southern', 'eastern', 'western', 'north', 'south', 'east', 'west', 'central', 'national', 'federal', 'royal',
  'democratic', 'republican', 'communist', 'socialist', 'liberal', 'conservative', 'labour', 'labor', 'reuters', 'the',
]);

/** Gap between two tokens of one name: spaces, a hyphen, or the dot after an initial ("George W. Bush"). */
function isNameGap(gap: string, prev: Token): boolean {
  if (/^[ \t]*\n?[ \t]*$/.test(gap) || gap === '-') return true;
  return prev.text.length === 1 && prev.isCap && /^\.\s+$/.test(gap);
}

function joinName(tokens: Token[]): string {
  let out = '';
  tokens.forEach((t, i) => {
    if (i > 0) out += t.gapBefore === '-' ? '-' : ' ';
    out += t.text.length === 1 && /\p{Lu}/u.test(t.text) ? `${t.text}.` : t.text;
  });
  return out;
}

/**
 * Splits tokens into runs of capitalised words not claimed by the gazetteer, and classifies each run.
 * `claimed[i]` is true when token i belongs to a gazetteer mention.
 */
export function findNameCandidates(tokens: Token[], claimed: boolean[], lexicon: NameLexicon): NameCandidate[] {
  const out: NameCandidate[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (!t.isCap || claimed[i] || t.isUpper && t.text.length > 3 && !isMixedContext(tokens, i)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.length) {
      const next = tokens[j]!;
      if (claimed[j] || !isNameGap(next.gapBefore, tokens[j - 1]!) || tokens[j - 1]!.isPossessive) break;
      if (next.isCap) {
        j++;
        continue;
      }
      // A lowercase particle inside a name (Perez de Cuellar), when a capitalised word follows.
      const after = tokens[j + 1];
      if (NAME_PARTICLES.has(next.fold) && after?.isCap && !claimed[j + 1] && isNameGap(after.gapBefore, next)) {
        j += 2;
        continue;
      }
      break;
    }
    const candidate = classifyRun(tokens, i, j, lexicon);
    if (candidate) out.push(candidate);
    i = j;
  }
  return out;
}

/** A run in capitals inside mixed-case text (a dateline, an acronym) is not a name; in mixed text it may be. */
function isMixedContext(tokens: Token[], i: number): boolean {
  const prev = tokens[i - 1];
  return prev !== undefined && !prev.isUpper && prev.isCap;
}

function classifyRun(tokens: Token[], start: number, end: number, lexicon: NameLexicon): NameCandidate | undefined {
  let run = tokens.slice(start, end);
  const before = tokens[start - 1];
  // A title just before the run: lowercase ("said spokesman John Smith") or abbreviated with a dot ("Mr. Xi").
  const gap = tokens[start]!.gapBefore;
  let hasTitle = before !== undefined && TITLES.has(before.fold) && (isNameGap(gap, before) && !before.isCap || /^\.\s+$/.test(gap));
  // "Minister of Trade Hisham Nazer": a title phrase before "of"; drop the leading common words of the run.
  const ofAt = before?.fold === 'the' ? start - 2 : start - 1;
  if ((tokens[ofAt]?.fold === 'of' || tokens[ofAt]?.fold === 'for') && TITLES.has(tokens[ofAt - 1]?.fold ?? '')) {
    let k = 0;
    while (k < run.length - 1 && lexicon.common.has(run[k]!.fold) && !lexicon.first.has(run[k]!.fold)) k++;
    if (k > 0) {
      run = run.slice(k);
      hasTitle = true;
    }
  }
  let lastTitle = -1;
  run.forEach((tok, k) => {
    if (TITLES.has(tok.fold)) lastTitle = k;
  });
  if (lastTitle >= 0) {
    run = run.slice(lastTitle + 1);
    hasTitle = true;
  }
  if (run.length === 0) return undefined;
  // A company by its legal suffix: "Champion Products Inc" → Champion Products ("Bear Stearns and Co Inc" → Bear Stearns).
  if (CORPORATE.has(run[run.length - 1]!.fold)) {
    let name = run;
    while (name.length > 0 && CORPORATE.has(name[name.length - 1]!.fold)) name = name.slice(0, -1);
    if (name[0]?.fold === 'the') name = name.slice(1);
    if (name.length === 0 || name.length > 5 || name.every((n) => lexicon.common.has(n.fold))) return undefined;
    return { kind: 'org', name: joinName(name), folds: name.map((n) => n.fold), cue: 'suffix', start: start + (end - start - run.length) };
  }
  while (run.length > 0 && run[0]!.isSentenceStart && lexicon.common.has(run[0]!.fold) && !lexicon.first.has(run[0]!.fold)) run = run.slice(1);
  // Generational suffixes are not part of the canonical name ("John Smith Jr." → John Smith).
  while (run.length > 1 && GENERATIONAL.has(run[run.length - 1]!.fold)) run = run.slice(0, -1);
  // "Exchequer Nigel Lawson": a known first name inside a longer run starts the name.
  const firstAt = run.findIndex((r, k) => k > 0 && lexicon.first.has(r.fold) && !lexicon.first.has(run[0]!.fold));
  if (firstAt > 0 && run.length - firstAt >= 2) run = run.slice(firstAt);
  if (run.length === 0) return undefined;
  const folds = run.map((r) => r.fold);
  const runStart = start + (end - start - run.length);
  const lastFold = folds[folds.length - 1]!;
  if (run.length > 4 || folds.some((f) => NOT_PERSON.has(f))) return undefined;
  if (folds.every((f) => lexicon.common.has(f) && !lexicon.first.has(f) && !lexicon.last.has(f))) return undefined;
  const after = tokens[end];
  const hasSpeech = after !== undefined && SPEECH.has(after.fold) || before !== undefined && SPEECH.has(before.fold);
  const name = joinName(run);
  const base = { kind: 'person' as const, name, folds, start: runStart };
  if (run.length === 1 && after !== undefined && ATTRIBUTIVE.has(after.fold)) return undefined;
  if (hasTitle) return { ...base, cue: 'title' };
  const first = folds[0]!;
  const isFirstOk = !run[0]!.isSentenceStart || !lexicon.common.has(first);
  if (run.length >= 2 && lexicon.first.has(first) && isFirstOk) return { ...base, cue: 'first-name' };
  if (run.length >= 2 && lexicon.last.has(lastFold) && isFirstOk && !lexicon.common.has(first)) return { ...base, cue: 'surname' };
  // A lone surname that the lexicon knows (Reagan, Thatcher) and that is not also a common word.
  if (run.length === 1 && lexicon.last.has(first) && !lexicon.common.has(first)) return { ...base, cue: 'surname' };
  if (run.length >= 2 && run.length <= 3 && hasSpeech && isFirstOk) return { ...base, cue: 'speech' };
  const isBareStart = run.length === 1 && run[0]!.isSentenceStart && !hasSpeech;
  return { ...base, cue: hasSpeech ? 'speech' : 'surname', isTentative: true, ...(isBareStart ? { isBareStart } : {}) };
}

function toTitleCase(word: string): string {
  return word.charAt(0) + word.slice(1).toLowerCase();
}

/**
 * Names in a headline written in capitals ("PRESIDENT REAGAN SAYS ..."): only after a title word, or a surname the
 * lexicon knows that is not also a common word. Returned title-cased, as headline candidates (start -1).
 */
export function findHeadlineNames(tokens: Token[], claimed: boolean[], lexicon: NameLexicon, isKnownSurname: (fold: string) => boolean = () => false): NameCandidate[] {
  const out: NameCandidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (claimed[i] || !t.isCap || TITLES.has(t.fold) || NOT_PERSON.has(t.fold)) continue;
    const isTitled = i > 0 && TITLES.has(tokens[i - 1]!.fold) && !claimed[i - 1];
    // A remembered surname right before a place or organisation the gazetteer found is part of a longer name
    // ("CHASE MANHATTAN RAISES PRIME RATE" is the bank, not a person named Chase).
    const isRecalled = isKnownSurname(t.fold) && !claimed[i + 1];
    const isKnown = (lexicon.last.has(t.fold) && !lexicon.common.has(t.fold)) || isRecalled;
    if (!isTitled && !isKnown) continue;
    if (lexicon.common.has(t.fold) && !lexicon.first.has(t.fold) && !isRecalled) continue;
    const run = [t];
    const next = tokens[i + 1];
    if (isTitled && lexicon.first.has(t.fold) && next && !claimed[i + 1] && /^ +$/.test(next.gapBefore) && !lexicon.common.has(next.fold)) run.push(next);
    const name = run.map((r) => toTitleCase(r.text)).join(' ');
    out.push({ kind: 'person', name, folds: run.map((r) => r.fold), cue: isTitled ? 'title' : 'surname', start: -1 });
    i += run.length - 1;
  }
  return out;
}
