// When the relate stage fits its subject space, and the vectors it compares: the store's fit, refitted as new stories arrive.
import type { RelatedCandidateSet, Store, SubjectModel } from '../store/types.ts';
import { fitSubjects, foldSubject, type TermCounts } from './subjects.ts';

export interface SubjectOptions {
  /** Dimensions of the subject space (0 turns subject similarity off). */
  subjectDims: number;
  /** The first fit waits until the index holds this many stories: fewer have no subject structure worth learning. */
  subjectMinStories: number;
  /**
   * A fit reads the latest this many stories; the space is refitted when as many new stories arrived as it was fitted
   * on (so at each doubling while the store grows), and at the latest whenever this many new stories arrived.
   */
  subjectSample: number;
}

/** The fit last loaded per store: its word vectors are read once per fit, not per batch. */
const loaded = new WeakMap<Store, SubjectModel>();
/** A fit in progress per store: batches relating at the same time wait for it instead of fitting again. */
const fitting = new WeakMap<Store, Promise<{ model: SubjectModel | undefined; refitted: boolean }>>();

/** The store's current fit (reloaded when another process refitted it), or undefined before the first fit. */
export async function currentSubjects(store: Store): Promise<SubjectModel | undefined> {
  const info = await store.subjectModelInfo();
  if (!info) return undefined;
  const cached = loaded.get(store);
  if (cached?.version === info.version) return cached;
  const model = await store.loadSubjectModel();
  if (model) loaded.set(store, model);
  return model;
}

/**
 * Whether the store should be refitted: first once it holds `subjectMinStories`, then when as many stories were indexed
 * since the fit as it was fitted on, at most `subjectSample`. New stories are counted by the index's position (which
 * only grows), not its size: with retention the size stands still while the wire moves on.
 */
export function subjectRefitDue(index: { stories: number; indexed: number }, model: SubjectModel | undefined, options: SubjectOptions): boolean {
  if (options.subjectDims <= 0) return false;
  if (!model) return index.stories >= options.subjectMinStories;
  return index.indexed - model.indexed >= Math.max(1, Math.min(model.sample, options.subjectSample));
}

/**
 * Fits a new subject space on the latest stories when one is due, and stores it with the vectors of the stories it
 * was fitted on and of `also` (a batch that may be older than the sample). Returns the current fit either way, and
 * whether this call fitted it.
 */
export async function refitSubjects(
  store: Store,
  options: SubjectOptions,
  also: ReadonlyMap<string, TermCounts> = new Map(),
  now = new Date(),
): Promise<{ model: SubjectModel | undefined; refitted: boolean }> {
  const running = fitting.get(store);
  if (running) return { model: (await running).model, refitted: false };
  const model = await currentSubjects(store);
  const index = await store.subjectSample(0);
  if (!subjectRefitDue(index, model, options)) return { model, refitted: false };
  const fit = fitAndSave(store, model, options, also, now);
  fitting.set(store, fit);
  try {
    return await fit;
  } finally {
    fitting.delete(store);
  }
}

async function fitAndSave(
  store: Store,
  model: SubjectModel | undefined,
  options: SubjectOptions,
  also: ReadonlyMap<string, TermCounts>,
  now: Date,
): Promise<{ model: SubjectModel | undefined; refitted: boolean }> {
  const { stories, indexed, sample } = await store.subjectSample(options.subjectSample);
  const space = await fitSubjects([...sample.values()], { dims: options.subjectDims });
  if (!space) return { model, refitted: false };
  const next: SubjectModel = {
    version: (model?.version ?? 0) + 1, dims: space.dims, stories, indexed, sample: sample.size, fittedAt: now.toISOString(), terms: space.terms,
  };
  try {
    await store.saveSubjectModel(next, foldAll(next, new Map([...sample, ...also])));
  } catch (error) {
    // Another process (a CLI fetch beside the daemon) stored a newer fit first: use that one, with this batch in it.
    const current = await currentSubjects(store);
    if (!current || current.version < next.version) throw error;
    await store.saveSubjectVectors(current.version, foldAll(current, also));
    return { model: current, refitted: false };
  }
  loaded.set(store, next);
  return { model: next, refitted: true };
}

/** How far re-folding has come per store: below which index position stories of an older fit may remain. */
const refolding = new WeakMap<Store, { version: number; before?: number; done: boolean }>();

/**
 * Folds up to `limit` stories whose vectors are of an older fit (or none) into `model`, the most recently indexed
 * first, continuing where the last call for this store and fit stopped, down to `depth` stories before the fit. Adds
 * them to `into` (stories already there are kept) for the caller to store, and returns how many stale stories this
 * slice covered. The cursor lives in this process: after a restart the walk starts again from the newest.
 */
export async function refoldStale(
  store: Store,
  model: SubjectModel,
  limit: number,
  into: Map<string, Float32Array>,
  depth = Number.POSITIVE_INFINITY,
): Promise<number> {
  if (limit <= 0) return 0;
  let cursor = refolding.get(store);
  if (cursor?.version !== model.version) refolding.set(store, (cursor = { version: model.version, done: false }));
  if (cursor.done) return 0;
  const { stories, next } = await store.staleSubjects(model.version, limit, cursor.before);
  cursor.before = next;
  // only the `depth` stories indexed last when the fit was made (older ones are folded when they turn up)
  cursor.done = next === undefined || next <= model.indexed - depth;
  for (const [storyId, counts] of stories) {
    // already folded by this batch's own comparisons; a story with no word of the fit stays without a vector
    if (into.has(storyId)) continue;
    const vector = foldSubject(model, counts);
    if (vector) into.set(storyId, vector);
  }
  return stories.size;
}

/** Subject vectors of stories given by their counted words (stories with no known word left out). */
function foldAll(model: SubjectModel, stories: ReadonlyMap<string, TermCounts>): Map<string, Float32Array> {
  const vectors = new Map<string, Float32Array>();
  for (const [storyId, counts] of stories) {
    const vector = foldSubject(model, counts);
    if (vector) vectors.set(storyId, vector);
  }
  return vectors;
}

/**
 * The candidate set with subject vectors of `model` on every story that has a known word: the store's vectors when
 * they are of this fit (the set says which fit they are of), else folded now from the stored word counts. `folded`
 * collects the vectors folded here, for the caller to store (each story is then folded once per fit).
 */
export function withSubjectVectors(
  set: RelatedCandidateSet,
  model: SubjectModel | undefined,
  folded?: Map<string, Float32Array>,
): RelatedCandidateSet {
  if (!model) return set;
  const current = set.subjectVersion === model.version;
  const fold = <T extends { storyId: string; subject?: Float32Array; terms: string[]; termCounts?: [string, number][] }>(features: T): T => {
    if (current && features.subject?.length === model.dims) return features;
    const subject = foldSubject(model, features.termCounts ?? features.terms.map((term): [string, number] => [term, 1]));
    if (!subject) return { ...features, subject: undefined };
    folded?.set(features.storyId, subject);
    return { ...features, subject };
  };
  return { ...set, subjectVersion: model.version, subject: fold(set.subject), candidates: set.candidates.map(fold) };
}
