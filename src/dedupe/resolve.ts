// The story resolver: decides, from stored candidates sharing a key, which story a new item joins, and why.
import type { DedupeConfig } from '../config/schema.ts';
import type { DedupeCandidate, PreparedItem, StoryDecision, StoryResolver } from '../model/story.ts';
import { compareHeadlines } from './normalize.ts';
import { compareNumbers, estimateContainment, estimateJaccard, unpackSignature, type Fingerprint } from './fingerprint.ts';
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
}

export const DEFAULT_TUNING: ResolverTuning = {
  containmentThreshold: 0.8,
  containmentMinShingles: 25,
  shortTokens: 40,
  shortHeadlineFloor: 0.35,
  numbersMin: 2,
  numbersShare: 0.75,
};

/** Rules in precedence order; a decision names one of these (or `new-story`). */
const RULE_ORDER = ['same-canonical-url', 'same-guid-stem', 'kill-notice', 'wire-version', 'text-similarity', 'headline-similarity'] as const;
type Rule = (typeof RULE_ORDER)[number];

interface Match {
  rule: Rule;
  score: number;
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

/** Verifies a text match against templated stories: different figures or, for one-liners, different headlines. */
function verifyText(a: Fingerprint, b: Fingerprint, headlineScore: number, tuning: ResolverTuning): string | undefined {
  const numbers = compareNumbers(a, b);
  if (numbers.smaller >= tuning.numbersMin && numbers.share < tuning.numbersShare) return 'numbers-differ';
  if (Math.min(a.tokenCount, b.tokenCount) < tuning.shortTokens && headlineScore < tuning.shortHeadlineFloor) return 'headlines-differ';
  return undefined;
}

/** Tries every rule on one candidate; returns the first that holds, or why the closest one failed. */
function matchCandidate(item: NewItem, headline: string, mine: Fingerprint | undefined, candidate: DedupeCandidate, config: DedupeConfig, tuning: ResolverTuning): Match | Rejection | undefined {
  if (item.canonicalUrl && candidate.canonicalUrl === item.canonicalUrl) return { rule: 'same-canonical-url', score: 1, candidate };
  const theirs = unpackSignature(candidate.signature);
  const headlineScore = compareHeadlines(headline, parseWireVersion(candidate.title).headline);
  const textScore = mine && theirs ? estimateJaccard(mine, theirs) : 0;
  const samePublisher = isSamePublisher(item, candidate);
  if (samePublisher && candidate.sharedKeys.some((key) => key.startsWith('g:'))) {
    // A guid stem alone could be a numbering coincidence ("story-5", "story-6"): ask for a little agreement.
    if (item.withdrawn || headlineScore >= 0.3 || textScore >= 0.2) return { rule: 'same-guid-stem', score: Math.max(headlineScore, textScore), candidate };
  }
  if (item.withdrawn && samePublisher && headlineScore >= config.title_threshold) return { rule: 'kill-notice', score: headlineScore, candidate };
  const isShort = (fp: Fingerprint | undefined) => !fp || fp.tokenCount < tuning.shortTokens;
  const textsDisagree = !isShort(mine) && !isShort(theirs) && textScore < 0.2;
  if (item.version && samePublisher && headlineScore >= config.title_threshold && !textsDisagree) {
    return { rule: 'wire-version', score: headlineScore, candidate };
  }
  if (mine && theirs && mine.shingleCount > 0 && theirs.shingleCount > 0) {
    const containment = Math.min(mine.shingleCount, theirs.shingleCount) >= tuning.containmentMinShingles ? estimateContainment(mine, theirs) : 0;
    if (textScore >= config.text_threshold || containment >= tuning.containmentThreshold) {
      const reason = verifyText(mine, theirs, headlineScore, tuning);
      if (!reason) return { rule: 'text-similarity', score: Math.max(textScore, containment), candidate };
      return { reason, score: Math.max(textScore, containment), candidate };
    }
  }
  if ((isShort(mine) || isShort(theirs)) && headlineScore >= config.title_threshold) {
    return { rule: 'headline-similarity', score: headlineScore, candidate };
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
        const isEarlier = best !== undefined && candidate.firstSeen < best.candidate.firstSeen;
        if (rank < bestRank || (rank === bestRank && best && (result.score > best.score || (result.score === best.score && isEarlier)))) best = result;
      } else if (!closest || result.score > closest.score) {
        closest = result;
      }
    }
    if (best) return { storyId: best.candidate.storyId, rule: best.rule, score: round(best.score), matchedItemId: best.candidate.itemId };
    if (closest) return { rule: `new-story:${closest.reason}`, score: round(closest.score), matchedItemId: closest.candidate.itemId };
    return { rule: 'new-story' };
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;
