// The story resolver: decides, from stored candidates sharing a key, which story a new item joins, and why.
import type { DedupeConfig } from '../config/schema.ts';
import type { DedupeCandidate, PreparedItem, StoryDecision, StoryResolver } from '../model/story.ts';
import { compareHeadlines } from './normalize.ts';
import { compareNumbers, estimateContainment, estimateJaccard, haveDifferentSubjects, unpackSignature, type Fingerprint } from './fingerprint.ts';
import { parseWireVersion } from './version.ts';

/** Verification settings beyond the config's thresholds; defaults measured with `npm run eval:dedup`. */
export interface ResolverTuning {
  /** Estimated containment of the shorter text in the longer above which a trimmed copy is the same story. */
  containmentThreshold: number;
  /** The shorter text needs this many shingles before containment alone may decide. */
  containmentMinShingles: number;
  /** Texts with fewer tokens than this (headline plus a line or two) are "short": headline rules apply. */
  shortTokens: number;
  /** Short texts matched by text also need this headline similarity (templated one-liners: dividends). */
  shortHeadlineFloor: number;
  /** Template check: with at least `numbersMin` numbers on each side, this share must be shared. */
  numbersMin: number;
  numbersShare: number;
  /** Below this many body tokens an item is headline-only: its title decides, not shingles of its title. */
  minBodyTokens: number;
}

export const DEFAULT_TUNING: ResolverTuning = {
  containmentThreshold: 0.8,
  containmentMinShingles: 25,
  shortTokens: 40,
  shortHeadlineFloor: 0.35,
  numbersMin: 2,
  numbersShare: 0.75,
  minBodyTokens: 5,
};

/** Rules in precedence order; a decision names one of these (or `new-story`). */
const RULE_ORDER = ['same-canonical-url', 'same-guid-stem', 'kill-notice', 'wire-version', 'text-similarity', 'headline-similarity'] as const;
type Rule = (typeof RULE_ORDER)[number];

interface Match {
  rule: Rule;
  score: number;
  /** Second measure for equal scores (text similarity for headline rules): the nearer version wins. */
  tiebreak: number;
  candidate: DedupeCandidate;
}

interface Rejection {
  reason: string;
  score: number;
  candidate: DedupeCandidate;
}

type NewItem = PreparedItem & { sourceId: string; attribution: string };

function isSamePublisher(item: NewItem, candidate: DedupeCandidate): boolean {
  return item.sourceId === candidate.sourceId || item.attribution === candidate.attribution;
}

/**
 * Whether two texts' figures agree: a version or copy keeps the figures of the shorter text (a trimmed copy
 * keeps a subset, an update adds some), while a templated story of another company has its own figures.
 * A correction may change one figure.
 */
function haveSameFigures(a: Fingerprint, b: Fingerprint, isCorrection: boolean, tuning: ResolverTuning): boolean {
  const numbers = compareNumbers(a, b);
  return numbers.smaller < tuning.numbersMin || numbers.share >= tuning.numbersShare || (isCorrection && numbers.missing <= 1);
}

/** Tries every rule on one candidate; returns the first that holds, or why the closest one failed. */
function matchCandidate(item: NewItem, headline: string, mine: Fingerprint | undefined, candidate: DedupeCandidate, config: DedupeConfig, tuning: ResolverTuning): Match | Rejection | undefined {
  if (item.canonicalUrl && candidate.canonicalUrl === item.canonicalUrl) return { rule: 'same-canonical-url', score: 1, tiebreak: 1, candidate };
  const theirs = unpackSignature(candidate.signature);
  const theirVersion = parseWireVersion(candidate.title);
  const headlineScore = compareHeadlines(headline, theirVersion.headline);
  const textScore = mine && theirs ? estimateJaccard(mine, theirs) : 0;
  const samePublisher = isSamePublisher(item, candidate);
  if (samePublisher && candidate.sharedKeys.some((key) => key.startsWith('g:'))) {
    // A guid stem alone could be a numbering coincidence ("story-5", "story-6"): ask for a little agreement.
    if (item.withdrawn || headlineScore >= 0.3 || textScore >= 0.2) return { rule: 'same-guid-stem', score: Math.max(headlineScore, textScore), tiebreak: textScore, candidate };
  }
  if (item.withdrawn && samePublisher && headlineScore >= config.title_threshold) return { rule: 'kill-notice', score: headlineScore, tiebreak: textScore, candidate };
  const isShort = (fp: Fingerprint | undefined) => !fp || fp.tokenCount < tuning.shortTokens;
  const isCorrection = item.version?.kind === 'correction' || theirVersion.version?.kind === 'correction';
  const figuresAgree = !mine || !theirs || haveSameFigures(mine, theirs, isCorrection, tuning);
  const textsDisagree = !isShort(mine) && !isShort(theirs) && textScore < 0.2;
  if (item.version && samePublisher && headlineScore >= config.title_threshold && !textsDisagree && figuresAgree) {
    return { rule: 'wire-version', score: headlineScore, tiebreak: textScore, candidate };
  }
  const hasBodies = mine !== undefined && theirs !== undefined && mine.bodyTokens >= tuning.minBodyTokens && theirs.bodyTokens >= tuning.minBodyTokens;
  if (hasBodies && mine.shingleCount > 0 && theirs.shingleCount > 0) {
    const containment = Math.min(mine.shingleCount, theirs.shingleCount) >= tuning.containmentMinShingles ? estimateContainment(mine, theirs) : 0;
    if (textScore >= config.text_threshold || containment >= tuning.containmentThreshold) {
      const score = Math.max(textScore, containment);
      // Templated one-liners (dividends) share their text and figures: only the headline names the company.
      if (!figuresAgree) return { reason: 'numbers-differ', score, candidate };
      if (haveDifferentSubjects(mine, theirs)) return { reason: 'names-differ', score, candidate };
      if (Math.min(mine.tokenCount, theirs.tokenCount) < tuning.shortTokens && headlineScore < tuning.shortHeadlineFloor) return { reason: 'headlines-differ', score, candidate };
      return { rule: 'text-similarity', score, tiebreak: headlineScore, candidate };
    }
  }
  if ((isShort(mine) || isShort(theirs)) && headlineScore >= config.title_threshold && figuresAgree && !(hasBodies && haveDifferentSubjects(mine, theirs))) {
    return { rule: 'headline-similarity', score: headlineScore, tiebreak: textScore, candidate };
  }
  return undefined;
}

/**
 * Builds the resolver the store calls inside its batch transaction. Pure and synchronous: the decision
 * depends only on the item, the candidates and the thresholds, so `explain` can show the stored one.
 * Rules, strongest first: same canonical URL; same guid stem of one publisher; a kill notice's headline;
 * a wire version's headline; text similarity (MinHash Jaccard, or containment for trimmed copies) with a
 * template check; headline similarity when a side is headline-only.
 */
export function createStoryResolver(config: DedupeConfig, tuning: ResolverTuning = DEFAULT_TUNING): StoryResolver {
  return (item, candidates): StoryDecision => {
    const headline = parseWireVersion(item.title).headline;
    const mine = unpackSignature(item.signature);
    let best: Match | undefined;
    let closest: Rejection | undefined;
    for (const candidate of candidates) {
      const result = matchCandidate(item, headline, mine, candidate, config, tuning);
      if (!result) continue;
      if ('rule' in result) {
        const rank = RULE_ORDER.indexOf(result.rule);
        const bestRank = best ? RULE_ORDER.indexOf(best.rule) : Infinity;
        if (rank < bestRank || (rank === bestRank && best && isBetter(result, best))) best = result;
      } else if (!closest || result.score > closest.score) {
        closest = result;
      }
    }
    if (best) return { storyId: best.candidate.storyId, rule: best.rule, score: round(best.score), matchedItemId: best.candidate.itemId };
    if (closest) return { rule: `new-story:${closest.reason}`, score: round(closest.score), matchedItemId: closest.candidate.itemId };
    return { rule: 'new-story' };
  };
}

/** Same rule: higher score, then higher tiebreak, then the earlier item (the story's first telling). */
function isBetter(a: Match, b: Match): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.tiebreak !== b.tiebreak) return a.tiebreak > b.tiebreak;
  return a.candidate.firstSeen < b.candidate.firstSeen;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
