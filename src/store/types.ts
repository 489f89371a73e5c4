// The one asynchronous store interface: every backend (SQLite now, PostgreSQL planned) implements it and passes tests/store/store.suite.ts.
import type { FetchAttempt, SourceState } from '../model/fetch.ts';
import type {
  PreparedItem,
  Republish,
  SourceRef,
  StoredItem,
  StoryDecision,
  StoryResolver,
  StoryView,
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

export interface StoreCounts {
  sources: number;
  items: number;
  stories: number;
}

export interface SourceStatus extends SourceState {
  source: SourceRecord;
}

export interface Store {
  /** The schema version this database is at. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;

  /** Upserts the configured sources; sources no longer configured are kept (their items stay) but marked inactive. */
  syncSources(sources: readonly SourceRecord[]): Promise<void>;
  sourceStatuses(): Promise<SourceStatus[]>;
  getSourceState(sourceId: string): Promise<SourceState | undefined>;
  updateSourceState(sourceId: string, patch: Partial<Omit<SourceState, 'sourceId'>>): Promise<void>;
  recordFetch(attempt: FetchAttempt): Promise<void>;
  /** How many of a source's items were published (or first seen) between `since` and `until`: the adaptive interval's input. */
  countPublishedSince(sourceId: string, since: Date, until: Date): Promise<number>;
  /** Active sources whose next check is due at `now` (or never set), soonest first. */
  dueSources(now: Date): Promise<string[]>;

  /**
   * Stores one source's batch in one transaction: a known identity is an update (when its content changed),
   * a new one joins the story the resolver picks among the candidates sharing a dedupe key, or starts one.
   */
  ingestBatch(sourceId: string, items: readonly PreparedItem[], resolver: StoryResolver, options: IngestOptions): Promise<IngestResult>;

  queryStories(query: StoryQuery): Promise<StoryView[]>;
  getStory(storyId: string): Promise<StoryView | undefined>;
  /** Finds an item by numeric id, guid, link or canonical URL. */
  findItem(ref: string): Promise<StoredItem | undefined>;
  getDecision(itemId: number): Promise<StoredDecision | undefined>;
  /** Tags of an item with their origins, for explain. */
  itemTagOrigins(itemId: number): Promise<{ tag: string; origin: string }[]>;
  /** The latest time any story changed: publishers re-render only when it moves. */
  lastChange(): Promise<string | undefined>;
  counts(): Promise<StoreCounts>;
}
