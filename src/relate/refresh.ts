// The relate stage: after a batch is stored, index the touched stories, compute and persist their related posts, and refresh recent neighbours.
import type { StoryView } from '../model/story.ts';
import type { RelatedCandidateQuery, RelatedPick, RelatedScope, Store } from '../store/types.ts';
import { DEFAULT_SCORE_OPTIONS, pickRelated, type ScoreOptions } from './score.ts';
import { toRelatedDoc } from './text.ts';

export interface RelateOptions extends ScoreOptions, Omit<RelatedCandidateQuery, 'scope'> {
  /** Related posts persisted per story: the most any feed shows (feeds' `related` is at most 20). */
  keep: number;
  /** A neighbour dated within this many ms before the new story is recomputed so that it gains the new one. */
  refreshWindowMs: number;
  /** Of each new story's picks, the best this many are its neighbours (relatedness is near symmetric: they are the likeliest to list it). */
  refreshPerStory: number;
  /** At most this many neighbours are recomputed per call: ingest stays fast whatever the batch. */
  maxRefresh: number;
}

export const DEFAULT_RELATE_OPTIONS: RelateOptions = {
  ...DEFAULT_SCORE_OPTIONS,
  keep: 20,
  perTag: 30,
  textLimit: 30,
  textWindow: 2000,
  maxTermShare: 0.3,
  maxTerms: 12,
  maxPostings: 1000,
  refreshWindowMs: 2 * 86_400_000,
  refreshPerStory: 3,
  maxRefresh: 20,
};

/** What one refresh did, for logs and benchmarks. */
export interface RelateSummary {
  indexed: number;
  computed: number;
  refreshed: number;
  durationMs: number;
}

/** Fills the defaults of any option left out. */
export function resolveRelateOptions(options: Partial<RelateOptions> = {}): RelateOptions {
  return {
    ...DEFAULT_RELATE_OPTIONS,
    ...options,
    weights: { ...DEFAULT_RELATE_OPTIONS.weights, ...options.weights },
    typeWeights: { ...DEFAULT_RELATE_OPTIONS.typeWeights, ...options.typeWeights },
  };
}

/** The related posts of one story, best first, computed now (not persisted); `scope` limits the candidates. */
export async function computeRelated(
  store: Store,
  storyId: string,
  options: RelateOptions,
  limit = options.keep,
  scope?: RelatedScope,
): Promise<RelatedPick[]> {
  if (limit <= 0) return [];
  const set = await store.relatedCandidates(storyId, {
    perTag: options.perTag,
    textLimit: options.textLimit,
    textWindow: options.textWindow,
    maxTermShare: options.maxTermShare,
    maxTerms: options.maxTerms,
    maxPostings: options.maxPostings,
    scope,
  });
  return set ? pickRelated(set, options, limit) : [];
}

/** Loads the stories that still exist (a story can vanish between ingest and relate, e.g. through retention). */
async function loadStories(store: Store, storyIds: readonly string[]): Promise<StoryView[]> {
  const views = await Promise.all(storyIds.map((id) => store.getStory(id)));
  return views.filter((view): view is StoryView => view !== undefined);
}

/**
 * Runs after each stored batch, outside the ingest transaction: indexes the touched stories, persists their related
 * posts, then recomputes recent stories that the new ones are related to (this morning's story gains the afternoon's
 * follow-up), at most `maxRefresh` of them.
 */
export async function refreshRelated(store: Store, storyIds: readonly string[], options: Partial<RelateOptions> = {}): Promise<RelateSummary> {
  const started = performance.now();
  const resolved = resolveRelateOptions(options);
  const touched = [...new Set(storyIds)];
  const views = await loadStories(store, touched);
  if (views.length > 0) await store.indexStories(views.map(toRelatedDoc));

  const neighbours = new Map<string, number>();
  const touchedSet = new Set(touched);
  for (const view of views) {
    const picks = await computeRelated(store, view.id, resolved);
    await store.saveRelated(view.id, picks);
    const oldest = Date.parse(view.date) - resolved.refreshWindowMs;
    for (const pick of picks.slice(0, resolved.refreshPerStory)) {
      if (touchedSet.has(pick.id)) continue;
      // parts.days is the neighbour's date minus this story's date.
      if (Date.parse(view.date) + pick.parts.days * 86_400_000 < oldest) continue;
      neighbours.set(pick.id, Math.max(neighbours.get(pick.id) ?? 0, pick.score));
    }
  }

  const refresh = [...neighbours.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, resolved.maxRefresh)
    .map(([id]) => id);
  for (const id of refresh) {
    await store.saveRelated(id, await computeRelated(store, id, resolved));
  }
  return { indexed: views.length, computed: views.length, refreshed: refresh.length, durationMs: Math.round(performance.now() - started) };
}
