// The one asynchronous store interface: every backend (SQLite now, PostgreSQL planned) implements it and passes tests/store/store.suite.ts.
import type { FetchAttempt, SourceState } from '../model/fetch.ts';
import type {
  PreparedItem,
  RelatedRef,
  Republish,
  SourceRef,
  StoredItem,
  StoryDecision,
  StoryResolver,
  StoryView,
  TagAssignment,
} from '../model/story.ts';

/** A source as the store keeps it, synced from the config at start. */
export interface SourceRecord extends SourceRef {
  priority: number;
  republish: Republish;
  url?: string;
  path?: string;
  /** Hash of the source's config: a change lifts a 410 stop and resets remembered redirects. */
  configHash: string;
}

export interface IngestOptions {
  now: Date;
  /** Only stored items seen within this many ms are dedupe candidates. */
  windowMs: number;
}

export interface IngestResult {
  itemsNew: number;
  itemsUpdated: number;
  /** Stories that got a new or changed item in this batch. */
  storiesTouched: string[];
}

/** A filter over stories (DESIGN.md `filter`), newest first. */
export interface StoryQuery {
  tagsAny?: readonly string[] | null;
  tagsAll?: readonly string[] | null;
  excludeTags?: readonly string[] | null;
  /** Keep stories with an item from one of these sources, and show the highest-priority such item. */
  sources?: readonly string[] | null;
  /** ISO instant: keep stories whose date is at or after it. */
  since?: string | null;
  /** Full-text query over title and lead: words, "quoted phrases", OR, -word (DESIGN.md `filter.query`). */
  query?: string | null;
  limit: number;
  /** Include hidden and withdrawn stories (for `wiredesk stories --all` and explain). */
  includeHidden?: boolean;
}

/** A stored decision, for `wiredesk explain`. */
export interface StoredDecision extends StoryDecision {
  itemId: number;
  storyId: string;
  decidedAt: string;
}

/** What retention may purge: stories older than their sources' cutoffs, except those still listed in a feed. */
export interface PurgeOptions {
  now: Date;
  /** ISO instant: stories dated before it are old (`retention.days`). */
  defaultCutoff: string;
  /** Per-source cutoffs (`retention_days` overrides): a story is kept while any of its items' sources keeps it. */
  sourceCutoffs: Record<string, string>;
  /** Story ids that a curated feed still lists: never purged. */
  keep: ReadonlySet<string>;
  batchSize: number;
}

/** What the tag stage needs to tag a stored item again. */
export interface RetagItem {
  id: number;
  storyId: string;
  sourceId: string;
  title: string;
  /** content HTML, or the summary when there is none */
  html: string;
  categories: { term: string; domain?: string }[];
}

export interface StoreCounts {
  sources: number;
  items: number;
  stories: number;
}

export interface SourceStatus extends SourceState {
  source: SourceRecord;
}

export interface Store {
  /** Caps the database size in bytes (undefined: no cap); writes past it fail like a full disk and roll back. */
  setSizeLimit(bytes: number | undefined): Promise<void>;
  /** The schema version this database is at. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;

  /** Upserts the configured sources; sources no longer configured are kept (their items stay) but marked inactive. */
  syncSources(sources: readonly SourceRecord[]): Promise<void>;
  sourceStatuses(): Promise<SourceStatus[]>;
  getSourceState(sourceId: string): Promise<SourceState | undefined>;
  updateSourceState(sourceId: string, patch: Partial<Omit<SourceState, 'sourceId'>>): Promise<void>;
  recordFetch(attempt: FetchAttempt): Promise<void>;
  /** Records an attempt and the source's new state in one transaction (one commit per fetch, also for a 304). */
  recordFetchOutcome(attempt: FetchAttempt, patch: Partial<Omit<SourceState, 'sourceId'>>): Promise<void>;
  /** How many of a source's items were published (or first seen) between `since` and `until`: the adaptive interval's input. */
  countPublishedSince(sourceId: string, since: Date, until: Date): Promise<number>;
  /** Active sources whose next check is due at `now` (or never set), soonest first. */
  dueSources(now: Date): Promise<string[]>;

  /**
   * The stored content hash of each of these identities of a source (`'*'` for a purged, tombstoned one): items whose
   * hash is unchanged need no fingerprint, tags or write.
   */
  knownContentHashes(sourceId: string, identities: readonly string[]): Promise<Map<string, string>>;
  /**
   * Stores one source's batch in one transaction: a known identity is an update (when its content changed),
   * a new one joins the story the resolver picks among the candidates sharing a dedupe key, or starts one.
   */
  ingestBatch(sourceId: string, items: readonly PreparedItem[], resolver: StoryResolver, options: IngestOptions): Promise<IngestResult>;

  queryStories(query: StoryQuery): Promise<StoryView[]>;
  getStory(storyId: string): Promise<StoryView | undefined>;
  /** Distinct story tags with how many listed stories carry each (`type` filters to `type:` tags). */
  listTags(type?: string): Promise<{ tag: string; stories: number }[]>;
  /** Finds an item by numeric id, guid, link or canonical URL. */
  findItem(ref: string): Promise<StoredItem | undefined>;
  getDecision(itemId: number): Promise<StoredDecision | undefined>;
  /** Tags of an item with their origins, for explain. */
  itemTagOrigins(itemId: number): Promise<{ tag: string; origin: string }[]>;
  /** Items (first seen at or after `since`), in id order after `afterId`, for re-tagging in batches. */
  itemsForRetag(query: { since?: string; afterId: number; limit: number }): Promise<RetagItem[]>;
  /** How many items `itemsForRetag` would walk through. */
  countItemsSince(since?: string): Promise<number>;
  /** Replaces the tags of these items in one transaction; stories whose tags changed are marked changed. */
  replaceItemTags(batch: readonly { itemId: number; tags: readonly TagAssignment[] }[], now: Date): Promise<{ storiesChanged: string[] }>;
  /** Merges two stories (the older id survives, and the other id becomes its alias); returns the surviving id. */
  mergeStories(a: string, b: string, now: Date): Promise<string>;
  /** Moves an item out of its story into a new story of its own; returns the new story id. */
  splitItem(itemId: number, now: Date): Promise<string>;
  /** Hides a story from every output, or shows it again; returns its id (after merges). */
  setStoryHidden(storyId: string, hidden: boolean, now: Date): Promise<string>;
  /** The editorial decisions recorded on a story, oldest first. */
  storyOverrides(storyId: string): Promise<{ kind: string; storyId: string; otherId?: string; itemId?: number; decidedAt: string }[]>;
  /** Purges one small batch of old stories (one transaction), leaving a tombstone per item; returns the ids purged. */
  purgeBatch(options: PurgeOptions): Promise<string[]>;
  /** Writes a consistent copy of the database to `path` (which must not exist), also while the daemon runs. */
  backupTo(path: string): Promise<void>;
  /**
   * Moves on every committed change that an output could show (stories, their tags, their related posts), in commit
   * order: what the render cache keys on.
   */
  changeVersion(): Promise<string>;
  /** The latest time any story changed: publishers re-render only when it moves. */
  lastChange(): Promise<string | undefined>;
  counts(): Promise<StoreCounts>;

  // Related posts (issue 7; src/store/sqlite/related.ts, scored by src/relate/).
  /** Writes (or rewrites) stories into the related-posts index: shown title and link, tags, title + lead text. */
  indexStories(docs: readonly RelatedDoc[]): Promise<void>;
  /** The story's indexed features and the stories that share a tag or text with it, with the raw evidence, unscored. */
  relatedCandidates(storyId: string, query: RelatedCandidateQuery): Promise<RelatedCandidateSet | undefined>;
  /** Replaces the story's persisted related list (best first). */
  saveRelated(storyId: string, picks: readonly RelatedPick[]): Promise<void>;
  /** Replaces several stories' persisted lists at once, all or none (one commit for a whole relate batch). */
  saveRelatedLists(lists: ReadonlyMap<string, readonly RelatedPick[]>): Promise<void>;
  /** Persisted related lists with links, titles and score parts; hidden or withdrawn stories and those outside `scope` are left out. */
  getRelated(storyIds: readonly string[], options?: { limit?: number; scope?: RelatedScope }): Promise<Map<string, StoredRelated[]>>;
  /** The latest subject-space fit without its word vectors (a cheap check), or undefined before the first fit. */
  subjectModelInfo(): Promise<SubjectModelInfo | undefined>;
  /** The latest subject-space fit with its word vectors. */
  loadSubjectModel(): Promise<SubjectModel | undefined>;
  /**
   * Replaces the subject space with a new fit (its version must be higher than the stored one) and stores the
   * stories' vectors folded with it, in one commit. Other stories keep their vectors of the older fit, which
   * `relatedCandidates` no longer returns.
   */
  saveSubjectModel(model: SubjectModel, vectors: ReadonlyMap<string, Float32Array>): Promise<void>;
  /**
   * The number of indexed stories, how far the index has come (a position that only grows, one step per story
   * indexed), and the counted words of the latest `limit` stories (by date), to fit a subject space on.
   */
  subjectSample(limit: number): Promise<{ stories: number; indexed: number; sample: Map<string, [string, number][]> }>;
  /** Stores stories' subject vectors folded with fit `version`; ignored (returns false) when that is no longer the current fit. */
  saveSubjectVectors(version: number, vectors: ReadonlyMap<string, Float32Array>): Promise<boolean>;
  /**
   * Up to `limit` indexed stories whose subject vector is not of fit `version` (none yet, or an older fit's), with
   * their counted words: the most recently indexed first, below index position `before` when given. `next` is the
   * position to continue below (undefined when no such story is left there).
   */
  staleSubjects(version: number, limit: number, before?: number): Promise<{ stories: Map<string, [string, number][]>; next?: number }>;
}

/** A fit of the subject space (src/relate/subjects.ts) as the store keeps it. */
export interface SubjectModelInfo {
  /** Increases with every fit; stories' vectors carry the version they were folded with. */
  version: number;
  dims: number;
  /** Indexed stories when it was fitted, the index's position then (see subjectSample), and how many stories (the latest) it was fitted on. */
  stories: number;
  indexed: number;
  sample: number;
  fittedAt: string;
}

export interface SubjectModel extends SubjectModelInfo {
  terms: ReadonlyMap<string, Float32Array>;
}

/** A feed filter without its limit: which stories may be listed as related (`related_scope: feed`). */
export type RelatedScope = Omit<StoryQuery, 'limit' | 'includeHidden'>;

export interface RelatedCandidateQuery {
  /** Per tag of the story, at most this many stories before and as many after its date (nearest first). */
  perTag: number;
  /** Per weighted word of the story, at most this many stories before and as many after its date (nearest first). */
  perTerm: number;
  /** The best this many text matches (by the dot product of weighted words). */
  textLimit: number;
  /** Only the story's heaviest this many weighted words are looked up (default: all it has). */
  queryTerms?: number;
  /** Only candidates that pass this filter. */
  scope?: RelatedScope;
}

/** What the related-posts index keeps of one story (built by src/relate/text.ts from its StoryView). */
export interface RelatedDoc {
  storyId: string;
  date: string;
  /** The shown item's title, link and source title: what a related-post link shows. */
  title: string;
  link?: string;
  sourceTitle?: string;
  /** The first ~300 characters of the shown text, for the full-text index. */
  lead: string;
  tags: readonly string[];
  /** Distinct folded words of title and lead, stop words left out. */
  terms: readonly string[];
  /** How often each of `terms` occurs (title words count twice); absent: once each. The store weighs them by IDF. */
  termCounts?: readonly (readonly [string, number])[];
  /** The story's subject vector and the version of the fit it was folded with; absent before the first fit. */
  subject?: { version: number; vector: Float32Array };
}

/** A story as the related-posts index knows it. */
export interface RelatedFeatures {
  storyId: string;
  date: string;
  title: string;
  /** Distinct folded words of title and lead (stop words left out). */
  terms: string[];
  /** How often each of `terms` occurs (title words twice); absent where the index has no counts (once each). */
  termCounts?: [string, number][];
  /** Subject vector (unit length) of the current fit; absent when the story has none of that version. */
  subject?: Float32Array;
}

export interface RelatedCandidate extends RelatedFeatures {
  /** Tags shared with the subject, each with its inverse document frequency. */
  sharedTags: { tag: string; idf: number }[];
  /** Cosine of the two stories' weighted words (tf-idf, most telling words only): 0..1; 0 when no shared word. */
  text: number;
}

export interface RelatedCandidateSet {
  subject: RelatedFeatures & { tags: { tag: string; idf: number }[] };
  candidates: RelatedCandidate[];
  /** Indexed stories (N of the IDF). */
  storyCount: number;
  /** The subject-space fit whose vectors `subject` and `candidates` carry (read in the same snapshot); absent before the first fit. */
  subjectVersion?: number;
}

/** The parts of a related score, for `wiredesk explain`. */
export interface RelatedParts {
  /** Shared-tag evidence, 0..1 (IDF-weighted, saturating). */
  tags: number;
  /** Text similarity, 0..1 (cosine of tf-idf weighted words). */
  text: number;
  /** Subject similarity, 0..1 (cosine of the two subject vectors); absent when either story has no vector of the current fit. */
  subject?: number;
  /** Recency factor, 0..1 (half-life decay over the gap between the two stories' dates). */
  recency: number;
  /** Days between the two stories. */
  days: number;
  /** The tags both stories carry. */
  shared: string[];
}

export interface RelatedPick {
  id: string;
  score: number;
  parts: RelatedParts;
}

export interface StoredRelated extends RelatedRef {
  rank: number;
  parts: RelatedParts;
  computedAt: string;
}
