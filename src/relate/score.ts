// Pure related-post scoring: IDF-weighted shared tags + bm25 text similarity, scaled by recency, then copy and diversity checks.
import type { RelatedCandidate, RelatedCandidateSet, RelatedParts, RelatedPick } from '../store/types.ts';

export interface ScoreOptions {
  /** Recency halves over this many ms of distance between the two stories' dates. */
  halfLifeMs: number;
  /** Weights of the tag and text evidence in a story's relevance (they sum to 1 for a 0..1 score). */
  weights: { tags: number; text: number };
  /** The share of the score that recency decides: 0.3 means a very old story keeps 70% of its relevance. */
  recencyShare: number;
  /** IDF weight at which tag evidence reaches 63% (1 - 1/e): one rare name should nearly saturate it. */
  tagSaturation: number;
  /** Multipliers of a tag's IDF by its type (`person`, `place`, ...); `*` for other types. */
  typeWeights: Readonly<Record<string, number>>;
  /** Candidates less relevant than this (before recency) are never listed. */
  minRelevance: number;
  /** Text similarity at or above which a story dated within `copyWindowMs` is a copy that dedupe did not join. */
  copyText: number;
  copyWindowMs: number;
  /** Word overlap (Jaccard) between two picks above which the later one is the same event again and is skipped. */
  diversityCap: number;
}

export const DEFAULT_SCORE_OPTIONS: ScoreOptions = {
  halfLifeMs: 3 * 86_400_000,
  weights: { tags: 0.5, text: 0.5 },
  recencyShare: 0.3,
  tagSaturation: 6,
  typeWeights: { person: 1.5, org: 1.2, topic: 1, place: 0.8, '*': 0.6 },
  minRelevance: 0.1,
  copyText: 0.92,
  copyWindowMs: 3 * 86_400_000,
  diversityCap: 0.6,
};

export interface ScoredCandidate {
  id: string;
  score: number;
  relevance: number;
  parts: RelatedParts;
}

const DAY_MS = 86_400_000;
const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** The weight of one tag: its IDF times the weight of its type. */
export function weighTag(tag: string, idf: number, options: Pick<ScoreOptions, 'typeWeights'>): number {
  const type = tag.slice(0, tag.indexOf(':'));
  return idf * (options.typeWeights[type] ?? options.typeWeights['*'] ?? 1);
}

/** 0.5 ^ (gap / half-life): 1 for the same instant, 0.5 one half-life apart, either direction. */
export function decayRecency(gapMs: number, halfLifeMs: number): number {
  if (halfLifeMs <= 0) return 1;
  return Math.pow(0.5, Math.abs(gapMs) / halfLifeMs);
}

/** Scores one candidate against the story, keeping every part for `wiredesk explain`. */
export function scoreCandidate(subjectDate: string, candidate: RelatedCandidate, options: ScoreOptions): ScoredCandidate {
  const tagWeight = candidate.sharedTags.reduce((sum, shared) => sum + weighTag(shared.tag, shared.idf, options), 0);
  const tags = 1 - Math.exp(-tagWeight / options.tagSaturation);
  const text = Math.max(0, Math.min(1, candidate.text));
  const gap = Date.parse(candidate.date) - Date.parse(subjectDate);
  const recency = decayRecency(Number.isFinite(gap) ? gap : 0, options.halfLifeMs);
  const relevance = options.weights.tags * tags + options.weights.text * text;
  const score = relevance * (1 - options.recencyShare + options.recencyShare * recency);
  return {
    id: candidate.storyId,
    score: round(score),
    relevance,
    parts: {
      tags: round(tags),
      text: round(text),
      recency: round(recency),
      days: Number.isFinite(gap) ? Math.round((gap / DAY_MS) * 100) / 100 : 0,
      shared: candidate.sharedTags.map((shared) => shared.tag).sort(),
    },
  };
}

/** Jaccard overlap of two word lists. */
export function overlapTerms(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  let shared = 0;
  for (const term of new Set(b)) if (set.has(term)) shared++;
  return shared / (set.size + new Set(b).size - shared);
}

/** Every relevant candidate, best first (ties by id, so that results are stable). */
export function scoreCandidates(set: RelatedCandidateSet, options: ScoreOptions): ScoredCandidate[] {
  return set.candidates
    .map((candidate) => scoreCandidate(set.subject.date, candidate, options))
    .filter((scored) => scored.relevance >= options.minRelevance)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/**
 * The best `limit` candidates, skipping copies of the story itself that dedupe did not join (nearly the same
 * text, close in time) and later reports of an event already picked (a word-overlap cap between picks).
 */
export function pickRelated(set: RelatedCandidateSet, options: ScoreOptions, limit: number): RelatedPick[] {
  if (limit <= 0) return [];
  const byId = new Map(set.candidates.map((candidate) => [candidate.storyId, candidate]));
  const picks: { pick: RelatedPick; terms: readonly string[] }[] = [];
  for (const scored of scoreCandidates(set, options)) {
    if (picks.length >= limit) break;
    const candidate = byId.get(scored.id);
    if (!candidate) continue;
    const gap = Math.abs(Date.parse(candidate.date) - Date.parse(set.subject.date));
    if (scored.parts.text >= options.copyText && gap <= options.copyWindowMs) continue;
    if (overlapTerms(set.subject.terms, candidate.terms) >= 0.9) continue;
    if (picks.some((picked) => overlapTerms(picked.terms, candidate.terms) > options.diversityCap)) continue;
    picks.push({ pick: { id: scored.id, score: scored.score, parts: scored.parts }, terms: candidate.terms });
  }
  return picks.map((picked) => picked.pick);
}
