// The relate stage: after a batch is stored, index the touched stories, compute and persist their related posts, and refresh recent neighbours.
import type { StoryView } from '../model/story.ts';
import type { RelatedCandidateQuery, RelatedParts, RelatedPick, RelatedScope, Store, StoredRelated } from '../store/types.ts';
import { DEFAULT_SCORE_OPTIONS, overlapTerms, pickRelated, type ScoreOptions } from './score.ts';
import { currentSubjects, refitSubjects, refoldStale, withSubjectVectors, type SubjectOptions } from './subject-model.ts';
import { extractTerms, toRelatedDoc } from './text.ts';

export interface RelateOptions extends ScoreOptions, SubjectOptions, Omit<RelatedCandidateQuery, 'scope'> {
  /** Related posts persisted per story: the most any feed shows (feeds' `related` is at most 20). */
  keep: number;
  /** A neighbour dated within this many ms before the new story gains it in its persisted list. */
  refreshWindowMs: number;
  /** Of each new story's picks, the best this many are neighbours whose lists it may join (relatedness is symmetric). */
  refreshPerStory: number;
  /** At most this many neighbours' lists are updated per call: ingest stays fast whatever the batch. */
  maxRefresh: number;
  /**
   * After a refit, each relate batch re-folds at most this many older stories (the most recently indexed first) into
   * the new fit, so that candidates carry current vectors instead of being folded at every comparison (0: never).
   */
  subjectRefold: number;
  /**
   * Re-folding reaches back this many stories from the newest when the fit was made (a month of a busy wire; older
   * stories are folded, and stored, when they turn up as candidates): its cost per fit is bounded, whatever the retention.
   */
  subjectRefoldDepth: number;
}

export const DEFAULT_RELATE_OPTIONS: RelateOptions = {
  ...DEFAULT_SCORE_OPTIONS,
  keep: 20,
  perTag: 30,
  perTerm: 50,
  textLimit: 30,
  queryTerms: 25,
  refreshWindowMs: 2 * 86_400_000,
  refreshPerStory: 5,
  maxRefresh: 100,
  subjectDims: 64,
  subjectMinStories: 200,
  subjectSample: 5000,
  subjectRefold: 1000,
  subjectRefoldDepth: 100_000,
};

/** What one refresh did, for logs and benchmarks. */
export interface RelateSummary {
  indexed: number;
  computed: number;
  refreshed: number;
  /** The version of the subject space this batch used (absent before the first fit); `refitted` when it fitted it. */
  subjectVersion?: number;
  refitted?: boolean;
  /** Older stories re-folded into the current fit by this batch (see `subjectRefold`). */
  refolded?: number;
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

/** Subject vectors folded while relating, to be stored with the batch (each story is then folded once per fit). */
export interface FoldedVectors {
  version: number;
  vectors: Map<string, Float32Array>;
}

/**
 * The related posts of one story, best first, computed now (not persisted); `scope` limits the candidates. Vectors
 * folded on the way for stories the store had none of this fit for are added to `folded` (when of its version).
 */
export async function computeRelated(
  store: Store,
  storyId: string,
  options: RelateOptions,
  limit = options.keep,
  scope?: RelatedScope,
  folded?: FoldedVectors,
): Promise<RelatedPick[]> {
  if (limit <= 0) return [];
  const set = await store.relatedCandidates(storyId, {
    perTag: options.perTag,
    perTerm: options.perTerm,
    textLimit: options.textLimit,
    queryTerms: options.queryTerms,
    scope,
  });
  if (!set) return [];
  if (options.subjectDims <= 0) return pickRelated({ ...set, subject: { ...set.subject, subject: undefined } }, options, limit);
  const model = await currentSubjects(store);
  const sink = folded && model && folded.version === model.version ? folded.vectors : undefined;
  return pickRelated(withSubjectVectors(set, model, sink), options, limit);
}

/** Loads the stories that still exist (a story can vanish between ingest and relate, e.g. through retention). */
async function loadStories(store: Store, storyIds: readonly string[]): Promise<StoryView[]> {
  const views = await Promise.all(storyIds.map((id) => store.getStory(id)));
  return views.filter((view): view is StoryView => view !== undefined);
}

/** Resolves on the next turn of the event loop (after pending I/O callbacks), not as a microtask. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The parts of a pick seen from the other story: the same evidence, the gap in days the other way round. */
function reverseParts(parts: RelatedParts): RelatedParts {
  return { ...parts, days: parts.days === 0 ? 0 : -parts.days };
}

const titleWords = (title: string) => new Set(extractTerms(title, ''));

/**
 * Places `entry` (a newer story) into an older story's persisted list: relatedness is symmetric (shared tags, word
 * cosine, the gap between dates), so the score the new story gave the older one is the older one's score for it.
 * An entry on the same event as one already listed (headline words over the diversity cap) takes its place only when
 * it scores higher; the list stays sorted and at most `keep` long. Returns undefined when the list does not change.
 */
export function mergeRelated(
  list: readonly StoredRelated[],
  entry: RelatedPick & { title: string },
  options: Pick<RelateOptions, 'keep' | 'diversityCap'>,
): RelatedPick[] | undefined {
  const picks: RelatedPick[] = list.filter((r) => r.id !== entry.id).map(({ id, score, parts }) => ({ id, score, parts }));
  const words = titleWords(entry.title);
  const sameEvent = list.find((r) => r.id !== entry.id && overlapTerms(titleWords(r.title), words) > options.diversityCap);
  if (sameEvent) {
    if (sameEvent.score >= entry.score) return undefined;
    picks.splice(picks.findIndex((p) => p.id === sameEvent.id), 1);
  }
  const at = picks.findIndex((p) => p.score < entry.score);
  const position = at === -1 ? picks.length : at;
  if (position >= options.keep) return undefined;
  picks.splice(position, 0, { id: entry.id, score: entry.score, parts: entry.parts });
  const merged = picks.slice(0, options.keep);
  const unchanged = merged.length === list.length && merged.every((p, i) => p.id === list[i]?.id && p.score === list[i]?.score);
  return unchanged ? undefined : merged;
}

/**
 * Runs after each stored batch, outside the ingest transaction: indexes the touched stories, persists their related
 * posts, then places each new story into the lists of the recent stories it is related to (this morning's story gains
 * the afternoon's follow-up) — its best `refreshPerStory` picks, at most `maxRefresh` lists per call.
 */
export async function refreshRelated(store: Store, storyIds: readonly string[], options: Partial<RelateOptions> = {}): Promise<RelateSummary> {
  const started = performance.now();
  const resolved = resolveRelateOptions(options);
  const touched = [...new Set(storyIds)];
  const views = await loadStories(store, touched);
  const before = resolved.subjectDims > 0 ? await currentSubjects(store) : undefined;
  const docs = views.map((view) => toRelatedDoc(view, before));
  if (docs.length > 0) await store.indexStories(docs);
  // The subject space is refitted on the latest stories as new ones arrive (this batch's stories included).
  const { model, refitted } = resolved.subjectDims > 0
    ? await refitSubjects(store, resolved, new Map(docs.map((doc) => [doc.storyId, doc.termCounts])))
    : { model: undefined, refitted: false };
  const folded: FoldedVectors | undefined = model ? { version: model.version, vectors: new Map() } : undefined;

  const touchedSet = new Set(touched);
  // Every list of the batch is written in one transaction at the end: a commit costs more than computing a list.
  const lists = new Map<string, RelatedPick[]>();
  const entries = new Map<string, (RelatedPick & { title: string })[]>();
  for (const view of views) {
    // A large batch takes seconds of synchronous store work: let the server answer between stories.
    await yieldToEventLoop();
    const picks = await computeRelated(store, view.id, resolved, resolved.keep, undefined, folded);
    lists.set(view.id, picks);
    for (const pick of picks.slice(0, resolved.refreshPerStory)) {
      // parts.days is the neighbour's date minus this story's date: only older neighbours within the window.
      if (touchedSet.has(pick.id) || pick.parts.days > 0 || -pick.parts.days * 86_400_000 > resolved.refreshWindowMs) continue;
      const list = entries.get(pick.id) ?? [];
      list.push({ id: view.id, score: pick.score, parts: reverseParts(pick.parts), title: view.shown.title });
      entries.set(pick.id, list);
    }
  }

  // The neighbours the new stories scored highest come first when the batch reaches more than `maxRefresh` of them.
  const best = (id: string) => Math.max(...(entries.get(id) ?? []).map((e) => e.score));
  const neighbours = [...entries.keys()].sort((a, b) => best(b) - best(a) || (a < b ? -1 : 1)).slice(0, resolved.maxRefresh);
  const stored = await store.getRelated(neighbours);
  let refreshed = 0;
  for (const id of neighbours) {
    let list: StoredRelated[] = stored.get(id) ?? [];
    let changed: RelatedPick[] | undefined;
    for (const entry of (entries.get(id) ?? []).sort((a, b) => b.score - a.score)) {
      const merged = mergeRelated(list, entry, resolved);
      if (!merged) continue;
      changed = merged;
      const titles = new Map([...list.map((r) => [r.id, r.title] as const), [entry.id, entry.title] as const]);
      list = merged.map((p, rank) => ({ ...p, rank, title: titles.get(p.id) ?? '', computedAt: '' }));
    }
    if (changed) {
      lists.set(id, changed);
      refreshed++;
    }
  }
  // Older stories still carrying an older fit's vector (or none) are re-folded a bounded slice per batch, so that
  // after a refit their vectors are current by the time they turn up as candidates.
  const refolded = model && folded ? await refoldStale(store, model, resolved.subjectRefold, folded.vectors, resolved.subjectRefoldDepth) : 0;
  if (folded && folded.vectors.size > 0) await store.saveSubjectVectors(folded.version, folded.vectors);
  await store.saveRelatedLists(lists);
  return {
    indexed: views.length, computed: views.length, refreshed,
    ...(model ? { subjectVersion: model.version, refitted, refolded } : {}),
    durationMs: Math.round(performance.now() - started),
  };
}
