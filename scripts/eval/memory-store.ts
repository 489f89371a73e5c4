// In-memory stand-in for the store's dedupe seam: candidates are stored items sharing a key within the window.
import type { ParsedItem } from '../../src/model/item.ts';
import type { DedupeCandidate, StoryDecision, StoryResolver } from '../../src/model/story.ts';
import { prepareItems, type FingerprintOptions } from '../../src/dedupe/index.ts';

export interface MemoryItem {
  itemId: number;
  storyId: string;
  sourceId: string;
  attribution: string;
  identity: string;
  title: string;
  link?: string;
  canonicalUrl?: string;
  guid?: string;
  published?: string;
  firstSeen: string;
  signature?: Uint8Array;
  decision: StoryDecision;
  /** Candidate count the lookup returned (for the cost report). */
  candidates: number;
}

/** Same semantics as the store: one lookup by keys, window on min(published, first seen), resolver decides. */
export class MemoryDedupeStore {
  readonly items: MemoryItem[] = [];
  private readonly byKey = new Map<string, number[]>();
  private readonly byIdentity = new Map<string, number>();
  private storyCount = 0;

  constructor(
    private readonly resolver: StoryResolver,
    private readonly windowMs: number,
    private readonly fingerprint?: FingerprintOptions,
  ) {}

  /** Ingests one parsed feed document of a source, as the pipeline does; returns the new items' ids. */
  ingestFeed(source: { id: string; attribution: string }, parsed: ParsedItem[], now: Date): number[] {
    const { prepared } = prepareItems(parsed, this.fingerprint ? { fingerprint: this.fingerprint } : {});
    const ids: number[] = [];
    for (const item of prepared) {
      const identityKey = `${source.id}\u0000${item.identity}`;
      if (this.byIdentity.has(identityKey)) continue;
      const date = Date.parse(item.published ?? now.toISOString());
      const shared = new Map<number, string[]>();
      for (const key of item.dedupeKeys) {
        for (const id of this.byKey.get(key) ?? []) {
          const list = shared.get(id) ?? [];
          list.push(key);
          shared.set(id, list);
        }
      }
      const candidates: DedupeCandidate[] = [];
      for (const [id, sharedKeys] of shared) {
        const stored = this.items[id];
        if (!stored) continue;
        const storedDate = Date.parse(stored.published ?? stored.firstSeen);
        if (Math.abs(storedDate - date) > this.windowMs) continue;
        const candidate: DedupeCandidate = {
          itemId: stored.itemId, storyId: stored.storyId, sourceId: stored.sourceId, attribution: stored.attribution,
          title: stored.title, firstSeen: stored.firstSeen, sharedKeys,
        };
        if (stored.link) candidate.link = stored.link;
        if (stored.canonicalUrl) candidate.canonicalUrl = stored.canonicalUrl;
        if (stored.guid) candidate.guid = stored.guid;
        if (stored.published) candidate.published = stored.published;
        if (stored.signature) candidate.signature = stored.signature;
        candidates.push(candidate);
      }
      const decision = this.resolver({ ...item, tags: [], sourceId: source.id, attribution: source.attribution }, candidates);
      const itemId = this.items.length;
      const stored: MemoryItem = {
        itemId, storyId: decision.storyId ?? `s_${++this.storyCount}`, sourceId: source.id, attribution: source.attribution,
        identity: item.identity, title: item.title, firstSeen: now.toISOString(), decision, candidates: candidates.length,
      };
      if (item.link) stored.link = item.link;
      if (item.canonicalUrl) stored.canonicalUrl = item.canonicalUrl;
      if (item.guid) stored.guid = item.guid;
      if (item.published) stored.published = item.published;
      if (item.signature) stored.signature = item.signature;
      this.items.push(stored);
      this.byIdentity.set(identityKey, itemId);
      for (const key of item.dedupeKeys) {
        const list = this.byKey.get(key) ?? [];
        list.push(itemId);
        this.byKey.set(key, list);
      }
      ids.push(itemId);
    }
    return ids;
  }
}
