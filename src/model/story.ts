// Plain types for stored items, stories and what publishers render; imports nothing but sibling model files.
import type { ParsedItem } from './item.ts';

export type Republish = 'full' | 'summary' | 'title';

/** Who published an item: enough to credit it in outputs. */
export interface SourceRef {
  id: string;
  title: string;
  attribution: string;
}

/** A tag with where it came from (for `wiredesk explain`). Tags are written `type:Name`. */
export interface TagAssignment {
  tag: string;
  /** e.g. "entity", "rule:topic:drugs#2", "source", "category:World", "gazetteer:Bogotá". */
  origin: string;
}

/**
 * An item ready to be stored: the parsed item plus the keys the dedupe stage computed and the tags
 * the tag stage assigned.
 */
export interface PreparedItem extends ParsedItem {
  /** Identity within its source: `guid:…`, `link:…` or `hash:…` (the identity fallback chain). */
  identity: string;
  /** Canonical form of `link`, for identity across sources. */
  canonicalUrl?: string;
  /** Hash of the item's visible content: a changed hash under the same identity is an update. */
  contentHash: string;
  /**
   * Lookup keys shared by items of the same story: `u:` canonical URL, and (near-duplicate detection)
   * fingerprint bands, headline keys, guid stems. The store finds candidates by these keys.
   */
  dedupeKeys: string[];
  /** Optional fingerprint (e.g. MinHash signature) that the resolver uses to verify candidates. */
  signature?: Uint8Array;
  /** Wire version information derived from the headline ("UPDATE 2-", "REFILE-"), if any. */
  version?: { kind: string; number?: number; note?: string };
  tags: TagAssignment[];
}

/** An item as stored. */
export interface StoredItem extends PreparedItem {
  id: number;
  sourceId: string;
  storyId: string;
  firstSeen: string;
  lastSeen: string;
}

/** A stored item proposed to a new item as a possible story mate. */
export interface DedupeCandidate {
  itemId: number;
  storyId: string;
  sourceId: string;
  attribution: string;
  title: string;
  link?: string;
  canonicalUrl?: string;
  guid?: string;
  published?: string;
  firstSeen: string;
  signature?: Uint8Array;
  /** The keys this candidate shares with the new item. */
  sharedKeys: string[];
}

/** What the dedupe resolver decided for one new item. */
export interface StoryDecision {
  /** The story to join; undefined starts a new story. */
  storyId?: string;
  /** Which rule decided ("same-canonical-url", "new-story", ...). */
  rule: string;
  score?: number;
  matchedItemId?: number;
}

/** Decides, synchronously and without I/O, which story a new item joins. */
export type StoryResolver = (item: PreparedItem & { sourceId: string; attribution: string }, candidates: DedupeCandidate[]) => StoryDecision;

/** A link from one story to a related one. */
export interface RelatedRef {
  id: string;
  url?: string;
  title: string;
  score: number;
  sourceTitle?: string;
}

/** One item of a story, as listed in `versions` / `also_reported_by`. */
export interface StoryItemRef {
  itemId: number;
  source: SourceRef;
  url?: string;
  title: string;
  published?: string;
}

/** A story as publishers and the server see it: one output item. */
export interface StoryView {
  /** Stable story id, `s_` + short hash. */
  id: string;
  /** The item whose title, text and link the story shows. */
  shown: StoredItem;
  source: SourceRef;
  republish: Republish;
  /** Other items of the shown item's publisher. */
  versions: StoryItemRef[];
  /** Items of other publishers. */
  alsoReportedBy: StoryItemRef[];
  /** `type:Name` tags, sorted. */
  tags: string[];
  related: RelatedRef[];
  /** min(published, first seen) of the story: the date used for ranking and `max_age`. */
  date: string;
  /** Last time the story's shown content changed. */
  updated: string;
}

/** Re-exported for convenience of stages that take both. */
export type { ParsedItem };
