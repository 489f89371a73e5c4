// The store test suite every backend must pass (SQLite now; PostgreSQL later): call runStoreSuite with a factory.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PreparedItem, StoryResolver } from '../../src/model/story.ts';
import type { SourceRecord, Store } from '../../src/store/types.ts';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const WINDOW = 3 * 86_400_000;

/** Joins the story of the first candidate that shares the canonical-URL key: the exact-dedupe rule. */
const sameUrlResolver: StoryResolver = (_item, candidates) => {
  const match = candidates.find((c) => c.sharedKeys.some((k) => k.startsWith('u:')));
  return match ? { storyId: match.storyId, rule: 'same-canonical-url', matchedItemId: match.itemId } : { rule: 'new-story' };
};

const sources: SourceRecord[] = [
  { id: 'wire', title: 'Wire World', attribution: 'Wire', priority: 10, republish: 'full', path: 'x', configHash: 'a' },
  { id: 'wire-markets', title: 'Wire Markets', attribution: 'Wire', priority: 10, republish: 'full', path: 'y', configHash: 'b' },
  { id: 'outlet', title: 'Outlet News', attribution: 'Outlet', priority: 0, republish: 'summary', url: 'https://outlet.example/rss', configHash: 'c' },
];

function item(partial: Partial<PreparedItem> & { identity: string; title: string }): PreparedItem {
  return {
    categories: [],
    enclosures: [],
    contentHash: `h-${partial.title}-${partial.summary ?? ''}`,
    dedupeKeys: partial.canonicalUrl ? [`u:${partial.canonicalUrl}`] : [],
    tags: [],
    ...partial,
  };
}

export function runStoreSuite(name: string, openStore: () => Promise<Store>, cleanup?: () => Promise<void>) {
  describe(`store suite: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openStore();
      await store.syncSources(sources);
    });
    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    it('reports a schema version after migrating', async () => {
      expect(await store.schemaVersion()).toBeGreaterThanOrEqual(1);
    });

    it('lists synced sources with fresh state, and marks removed ones inactive', async () => {
      const statuses = await store.sourceStatuses();
      expect(statuses.map((s) => s.sourceId)).toEqual(['outlet', 'wire', 'wire-markets']);
      expect(statuses[0]).toMatchObject({ consecutiveErrors: 0, isFailing: false, effectiveUrl: 'https://outlet.example/rss' });
      await store.syncSources(sources.slice(0, 2));
      expect((await store.sourceStatuses()).map((s) => s.sourceId)).toEqual(['wire', 'wire-markets']);
    });

    it('keeps fetch state and answers which sources are due', async () => {
      await store.updateSourceState('wire', { nextCheckAt: '2026-11-25T13:00:00.000Z', etag: '"v1"', consecutiveErrors: 2 });
      await store.updateSourceState('outlet', { nextCheckAt: '2026-11-25T11:00:00.000Z' });
      expect(await store.dueSources(NOW)).toEqual(['wire-markets', 'outlet']);
      expect(await store.getSourceState('wire')).toMatchObject({ etag: '"v1"', consecutiveErrors: 2 });
      await store.recordFetch({ sourceId: 'wire', startedAt: NOW.toISOString(), durationMs: 12, status: 200, itemsSeen: 3, itemsNew: 3, itemsUpdated: 0 });
      await store.recordFetchOutcome(
        { sourceId: 'outlet', startedAt: NOW.toISOString(), durationMs: 5, status: 304, itemsSeen: 0, itemsNew: 0, itemsUpdated: 0 },
        { lastStatus: 304, lastFetchAt: NOW.toISOString(), nextCheckAt: '2026-11-25T12:10:00.000Z', pollHints: { ttlMinutes: 15 } },
      );
      expect(await store.getSourceState('outlet')).toMatchObject({ lastStatus: 304, nextCheckAt: '2026-11-25T12:10:00.000Z', pollHints: { ttlMinutes: 15 } });
    });

    it('a changed source config lifts a 410 stop and forgets a remembered redirect', async () => {
      await store.updateSourceState('outlet', { isGone: true, effectiveUrl: 'https://moved.example/rss' });
      await store.syncSources(sources);
      expect(await store.getSourceState('outlet')).toMatchObject({ isGone: true, effectiveUrl: 'https://moved.example/rss' });
      await store.syncSources(sources.map((s) => (s.id === 'outlet' ? { ...s, configHash: 'changed' } : s)));
      expect(await store.getSourceState('outlet')).toMatchObject({ isGone: false, effectiveUrl: 'https://outlet.example/rss' });
    });

    it('stores new items, ignores unchanged repeats and updates changed ones', async () => {
      const first = item({ identity: 'guid:1', title: 'Storm hits coast', summary: 'a', published: '2026-11-25T10:00:00.000Z' });
      expect(await store.ingestBatch('wire', [first], sameUrlResolver, { now: NOW, windowMs: WINDOW })).toMatchObject({ itemsNew: 1, itemsUpdated: 0 });
      expect(await store.ingestBatch('wire', [first], sameUrlResolver, { now: NOW, windowMs: WINDOW })).toMatchObject({ itemsNew: 0, itemsUpdated: 0 });
      const changed = { ...first, summary: 'b', contentHash: 'h2' };
      const result = await store.ingestBatch('wire', [changed], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      expect(result).toMatchObject({ itemsNew: 0, itemsUpdated: 1 });
      const [story] = await store.queryStories({ limit: 10 });
      expect(story?.shown.summary).toBe('b');
      expect((await store.counts()).items).toBe(1);
    });

    it('the same identity in two sources is two items; the same canonical URL joins one story', async () => {
      const wire = item({ identity: 'guid:a', title: 'Rates held', canonicalUrl: 'https://wire.example/rates', link: 'https://wire.example/rates?utm_source=x', published: '2026-11-25T09:00:00.000Z' });
      const copy = item({ identity: 'guid:a', title: 'Central bank holds rates', canonicalUrl: 'https://wire.example/rates', link: 'https://wire.example/rates', published: '2026-11-25T09:30:00.000Z' });
      await store.ingestBatch('wire', [wire], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      await store.ingestBatch('outlet', [copy], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      const stories = await store.queryStories({ limit: 10 });
      expect(stories).toHaveLength(1);
      const [story] = stories;
      expect(story?.id).toMatch(/^s_[0-9a-f]{16}$/);
      expect(story?.shown.title).toBe('Rates held');
      expect(story?.alsoReportedBy.map((r) => r.source.attribution)).toEqual(['Outlet']);
      const copyItem = await store.findItem('https://wire.example/rates');
      expect(copyItem).toBeDefined();
      const outletItem = story?.alsoReportedBy[0];
      const decision = await store.getDecision(outletItem!.itemId);
      expect(decision).toMatchObject({ rule: 'same-canonical-url', storyId: story?.id });
    });

    it('story ids are stable and the older id survives when later items join', async () => {
      const a = item({ identity: 'guid:x', title: 'Quake', canonicalUrl: 'https://e.example/q', published: '2026-11-24T09:00:00.000Z' });
      await store.ingestBatch('outlet', [a], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      const [before] = await store.queryStories({ limit: 1 });
      const b = item({ identity: 'guid:y', title: 'Quake update', canonicalUrl: 'https://e.example/q', published: '2026-11-24T10:00:00.000Z' });
      await store.ingestBatch('wire', [b], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      const [after] = await store.queryStories({ limit: 1 });
      expect(after?.id).toBe(before?.id);
      // the higher-priority wire item is now the canonical one
      expect(after?.shown.title).toBe('Quake update');
      expect(after?.source.id).toBe('wire');
    });

    it('shows the newest version within the canonical publisher and lists the others as versions', async () => {
      const v0 = item({ identity: 'guid:v0', title: 'Oil rises', canonicalUrl: 'https://w.example/oil', published: '2026-11-25T08:00:00.000Z' });
      const v1 = item({ identity: 'guid:v1', title: 'UPDATE 1-Oil rises further', canonicalUrl: 'https://w.example/oil', published: '2026-11-25T09:00:00.000Z', version: { kind: 'update', number: 1 } });
      await store.ingestBatch('wire', [v0, v1], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      const [story] = await store.queryStories({ limit: 5 });
      expect(story?.shown.title).toBe('UPDATE 1-Oil rises further');
      expect(story?.versions.map((v) => v.title)).toEqual(['Oil rises']);
      expect(story?.date).toBe('2026-11-25T08:00:00.000Z');
    });

    it('does not join stories outside the dedupe window', async () => {
      const old = item({ identity: 'guid:old', title: 'Old', canonicalUrl: 'https://w.example/same' });
      await store.ingestBatch('wire', [old], sameUrlResolver, { now: new Date('2026-11-01T00:00:00Z'), windowMs: WINDOW });
      const fresh = item({ identity: 'guid:new', title: 'New', canonicalUrl: 'https://w.example/same' });
      await store.ingestBatch('outlet', [fresh], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      expect(await store.queryStories({ limit: 5 })).toHaveLength(2);
    });

    it('filters stories by tags, excluded tags, sources, date and limit, newest first', async () => {
      const mk = (id: string, tags: string[], published: string) =>
        item({ identity: id, title: id, published, tags: tags.map((tag) => ({ tag, origin: 'test' })) });
      await store.ingestBatch('wire', [mk('a', ['place:Colombia'], '2026-11-25T01:00:00.000Z'), mk('b', ['place:Colombia', 'topic:sport'], '2026-11-25T02:00:00.000Z')], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      await store.ingestBatch('outlet', [mk('c', ['place:Venezuela'], '2026-11-25T03:00:00.000Z'), mk('d', [], '2026-11-20T03:00:00.000Z')], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      const titles = async (q: Parameters<Store['queryStories']>[0]) => (await store.queryStories(q)).map((s) => s.shown.title);
      expect(await titles({ limit: 10 })).toEqual(['c', 'b', 'a', 'd']);
      expect(await titles({ limit: 2 })).toEqual(['c', 'b']);
      expect(await titles({ limit: 10, tagsAny: ['place:colombia', 'place:Venezuela'] })).toEqual(['c', 'b', 'a']);
      expect(await titles({ limit: 10, tagsAny: ['place:Colombia'], excludeTags: ['topic:sport'] })).toEqual(['a']);
      expect(await titles({ limit: 10, tagsAll: ['place:Colombia', 'topic:sport'] })).toEqual(['b']);
      expect(await titles({ limit: 10, sources: ['outlet'] })).toEqual(['c', 'd']);
      expect(await titles({ limit: 10, since: '2026-11-24T00:00:00.000Z' })).toEqual(['c', 'b', 'a']);
      const [b] = await store.queryStories({ limit: 1, tagsAll: ['topic:sport'] });
      expect(b?.tags).toEqual(['place:Colombia', 'topic:sport']);
      expect(await store.itemTagOrigins(b!.shown.id)).toEqual([
        { tag: 'place:Colombia', origin: 'test' },
        { tag: 'topic:sport', origin: 'test' },
      ]);
    });

    it('a withdrawn item removes its story from listings', async () => {
      const story = item({ identity: 'guid:k', title: 'Company X profit', canonicalUrl: 'https://w.example/x' });
      const kill = item({ identity: 'guid:kill', title: 'KILL-Company X profit', canonicalUrl: 'https://w.example/x', withdrawn: true });
      await store.ingestBatch('wire', [story], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      expect(await store.queryStories({ limit: 5 })).toHaveLength(1);
      await store.ingestBatch('wire', [kill], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      expect(await store.queryStories({ limit: 5 })).toHaveLength(0);
      expect(await store.queryStories({ limit: 5, includeHidden: true })).toHaveLength(1);
    });

    it('purges old stories in batches, keeps listed ones and per-source overrides, and tombstones purged items', async () => {
      const old = new Date('2026-10-01T00:00:00.000Z');
      const mk = (id: string) => item({ identity: id, title: id, published: '2026-10-01T00:00:00.000Z' });
      await store.ingestBatch('wire', [mk('w1'), mk('w2'), mk('w3')], sameUrlResolver, { now: old, windowMs: WINDOW });
      await store.ingestBatch('outlet', [mk('o1')], sameUrlResolver, { now: old, windowMs: WINDOW });
      await store.ingestBatch('wire', [item({ identity: 'fresh', title: 'fresh', published: '2026-11-25T00:00:00.000Z' })], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      const all = await store.queryStories({ limit: 10 });
      const listed = all.find((s) => s.shown.title === 'w1')!.id;
      const options = {
        now: NOW,
        defaultCutoff: '2026-10-26T12:00:00.000Z',
        sourceCutoffs: { outlet: '2026-09-01T00:00:00.000Z' },
        keep: new Set([listed]),
        batchSize: 1,
      };
      const purged: string[] = [];
      for (let batch = await store.purgeBatch(options); batch.length > 0; batch = await store.purgeBatch(options)) {
        expect(batch).toHaveLength(1);
        purged.push(...batch);
      }
      expect(purged).toHaveLength(2); // w2, w3: w1 is listed, o1's source keeps it longer, "fresh" is new
      expect((await store.queryStories({ limit: 10 })).map((s) => s.shown.title).sort()).toEqual(['fresh', 'o1', 'w1']);
      // a feed that still lists a purged item does not bring it back
      const again = await store.ingestBatch('wire', [mk('w2'), mk('w3'), mk('w4')], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      expect(again.itemsNew).toBe(1);
      expect((await store.counts()).stories).toBe(4);
    });

    it('editorial overrides: merge keeps the older id (the other becomes an alias), split moves one item out, hide hides', async () => {
      const a = item({ identity: 'guid:a', title: 'Dam bursts', canonicalUrl: 'https://w.example/dam', published: '2026-11-24T08:00:00.000Z' });
      const b = item({ identity: 'guid:b', title: 'Dam collapse floods valley', published: '2026-11-24T09:00:00.000Z' });
      await store.ingestBatch('wire', [a], sameUrlResolver, { now: new Date('2026-11-24T08:05:00.000Z'), windowMs: WINDOW });
      await store.ingestBatch('outlet', [b], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      const [newer, older] = await store.queryStories({ limit: 5 });
      const kept = await store.mergeStories(newer!.id, older!.id, NOW);
      expect(kept).toBe(older!.id);
      const merged = await store.queryStories({ limit: 5 });
      expect(merged).toHaveLength(1);
      expect(merged[0]?.alsoReportedBy.map((r) => r.title)).toEqual(['Dam collapse floods valley']);
      expect((await store.getStory(newer!.id))?.id).toBe(older!.id); // the merged-away id still resolves
      const outletItem = merged[0]!.alsoReportedBy[0]!.itemId;
      expect(await store.getDecision(outletItem)).toMatchObject({ rule: 'manual-merge', storyId: older!.id });

      const split = await store.splitItem(outletItem, NOW);
      expect(split).not.toBe(older!.id);
      expect((await store.queryStories({ limit: 5 })).map((s) => s.id).sort()).toEqual([older!.id, split].sort());
      // an unchanged or changed re-fetch keeps the editor's split
      await store.ingestBatch('outlet', [{ ...b, summary: 'more', contentHash: 'changed' }], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      expect((await store.getStory(split))?.shown.summary).toBe('more');
      await expect(store.splitItem(outletItem, NOW)).rejects.toThrow(/alone in story/);

      await store.setStoryHidden(split, true, NOW);
      expect((await store.queryStories({ limit: 5 })).map((s) => s.id)).toEqual([older!.id]);
      await store.setStoryHidden(split, false, NOW);
      expect(await store.queryStories({ limit: 5 })).toHaveLength(2);
      expect((await store.storyOverrides(older!.id)).map((o) => o.kind)).toEqual(['merge', 'split']);
      await expect(store.mergeStories('s_nope', older!.id, NOW)).rejects.toThrow(/no story s_nope/);
    });

    it('moves the change version on every committed change, in commit order, even when dates go backwards', async () => {
      const v0 = await store.changeVersion();
      await store.ingestBatch('wire', [item({ identity: 'late', title: 'late' })], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      const v1 = await store.changeVersion();
      expect(v1).not.toBe(v0);
      // a slower fetch that started earlier commits later with an older date: the version still moves
      await store.ingestBatch('outlet', [item({ identity: 'early', title: 'early' })], sameUrlResolver, { now: new Date(NOW.getTime() - 60_000), windowMs: WINDOW });
      const v2 = await store.changeVersion();
      expect(v2).not.toBe(v1);
      expect(await store.lastChange()).toBe(NOW.toISOString());
      await store.ingestBatch('outlet', [item({ identity: 'early', title: 'early' })], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      expect(await store.changeVersion()).toBe(v2); // nothing changed, nothing moves
    });

    it('keeps the latest change time for render caching', async () => {
      expect(await store.lastChange()).toBeUndefined();
      await store.ingestBatch('wire', [item({ identity: 'g', title: 't' })], sameUrlResolver, { now: NOW, windowMs: WINDOW });
      expect(await store.lastChange()).toBe(NOW.toISOString());
    });
  });
}
