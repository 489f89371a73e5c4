// Test helpers for the relate stage: a temporary SQLite store with two sources and a one-line way to store a story.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PreparedItem, StoryResolver } from '../../src/model/story.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import type { Store } from '../../src/store/types.ts';

/** Joins the story of a candidate sharing the canonical-URL key: exact dedupe, enough for these tests. */
export const sameUrlResolver: StoryResolver = (_item, candidates) => {
  const match = candidates.find((c) => c.sharedKeys.some((k) => k.startsWith('u:')));
  return match ? { storyId: match.storyId, rule: 'same-canonical-url', matchedItemId: match.itemId } : { rule: 'new-story' };
};

export interface TestStore {
  store: Store;
  /** Stores one item as a new story (or a copy, with the same url as another) and returns its story id. */
  add(input: { source?: string; id: string; title: string; text?: string; tags?: string[]; at: string; url?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function openTestStore(): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'wiredesk-relate-'));
  const store = new SqliteStore(join(dir, 'relate.sqlite'));
  await store.syncSources([
    { id: 'wire', title: 'Wire World', attribution: 'Wire', priority: 10, republish: 'full', path: 'x', configHash: 'a' },
    { id: 'outlet', title: 'Outlet News', attribution: 'Outlet', priority: 0, republish: 'summary', path: 'y', configHash: 'b' },
  ]);
  return {
    store,
    async add(input) {
      const url = input.url ?? `https://news.example/${input.id}`;
      const item: PreparedItem = {
        identity: `guid:${input.id}`,
        guid: input.id,
        title: input.title,
        link: url,
        canonicalUrl: url,
        published: input.at,
        contentHtml: `<p>${input.text ?? ''}</p>`,
        categories: [],
        enclosures: [],
        contentHash: `h-${input.id}`,
        dedupeKeys: [`u:${url}`],
        tags: (input.tags ?? []).map((tag) => ({ tag, origin: 'test' })),
      };
      const result = await store.ingestBatch(input.source ?? 'wire', [item], sameUrlResolver, { now: new Date(input.at), windowMs: 3 * 86_400_000 });
      const storyId = result.storiesTouched[0];
      if (!storyId) throw new Error(`item ${input.id} was not stored`);
      return storyId;
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
