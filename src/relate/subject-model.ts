// When the relate stage fits its subject space, and the vectors it compares: the store's fit, refitted as the store grows.
import type { RelatedCandidateSet, Store, SubjectModel } from '../store/types.ts';
import { fitSubjects, foldSubject, type TermCounts } from './subjects.ts';

export interface SubjectOptions {
  /** Dimensions of the subject space (0 turns subject similarity off). */
  subjectDims: number;
  /** The first fit waits until the index holds this many stories: fewer have no subject structure worth learning. */
  subjectMinStories: number;
  /** A fit reads the latest this many stories; the space is refitted when the index has doubled, then whenever this many new stories arrived. */
  subjectSample: number;
}

/** The fit last loaded per store: its word vectors are read once per fit, not per batch. */
const loaded = new WeakMap<Store, SubjectModel>();

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

/** Whether a store of `stories` indexed stories should be refitted: first at the minimum, then at each doubling, then every `subjectSample` new stories. */
export function subjectRefitDue(stories: number, model: SubjectModel | undefined, options: SubjectOptions): boolean {
  if (options.subjectDims <= 0 || stories < options.subjectMinStories) return false;
  if (!model) return true;
  return stories - model.stories >= Math.max(1, Math.min(model.stories, options.subjectSample));
}

/**
 * Fits a new subject space on the latest stories when one is due, and stores it with the vectors of the stories it
 * was fitted on and of `also` (a batch that may be older than the sample). Returns the current fit either way.
 */
export async function refitSubjects(
  store: Store,
  options: SubjectOptions,
  also: ReadonlyMap<string, TermCounts> = new Map(),
  now = new Date(),
): Promise<SubjectModel | undefined> {
  const model = await currentSubjects(store);
  const { stories } = await store.subjectSample(0);
  if (!subjectRefitDue(stories, model, options)) return model;
  const { sample } = await store.subjectSample(options.subjectSample);
  const space = await fitSubjects([...sample.values()], { dims: options.subjectDims });
  if (!space) return model;
  const next: SubjectModel = {
    version: (model?.version ?? 0) + 1, dims: space.dims, stories, sample: sample.size, fittedAt: now.toISOString(), terms: space.terms,
  };
  const vectors = new Map<string, Float32Array>();
  for (const [storyId, terms] of [...sample, ...also]) {
    const vector = foldSubject(next, terms);
    if (vector) vectors.set(storyId, vector);
  }
  try {
    await store.saveSubjectModel(next, vectors);
  } catch (error) {
    // Another process (a CLI fetch beside the daemon) stored a newer fit first: use that one.
    const current = await currentSubjects(store);
    if (current && current.version >= next.version) return current;
    throw error;
  }
  loaded.set(store, next);
  return next;
}

/** The candidate set with a subject vector on every story that has known words, folded now where the store has none of this fit. */
export function withSubjectVectors(set: RelatedCandidateSet, model: SubjectModel | undefined): RelatedCandidateSet {
  if (!model) return set;
  const fold = <T extends { subject?: Float32Array; terms: string[]; termCounts?: [string, number][] }>(features: T): T => {
    if (features.subject?.length === model.dims) return features;
    const subject = foldSubject(model, features.termCounts ?? features.terms.map((term): [string, number] => [term, 1]));
    return subject ? { ...features, subject } : features;
  };
  return { ...set, subject: fold(set.subject), candidates: set.candidates.map(fold) };
}
