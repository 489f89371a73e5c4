// The related-posts part of the store suite (issue 7): every backend's index, candidates and persisted lists behave alike.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PreparedItem, StoryResolver } from '../../src/model/story.ts';
import type { RelatedDoc, RelatedParts, Store } from '../../src/store/types.ts';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const newStory: StoryResolver = () => ({ rule: 'new-story' });
const QUERY = { perTag: 50, perTerm: 50, textLimit: 20 };
const PARTS: RelatedParts = { tags: 0.5, text: 0.25, recency: 0.9, days: -1, shared: ['person:Ana Lopez'] };

function item(id: string, tags: string[]): PreparedItem {
  return {
    identity: `guid:${id}`, title: id, link: `https://e.example/${id}`, categories: [], enclosures: [],
    contentHash: id, dedupeKeys: [], tags: tags.map((tag) => ({ tag, origin: 'test' })),
  };
}

function doc(storyId: string, title: string, lead: string, tags: string[], date = NOW.toISOString()): RelatedDoc {
  const terms = [...new Set(`${title} ${lead}`.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2))];
  return { storyId, date, title, link: `https://e.example/${title}`, sourceTitle: 'Wire World', lead, tags, terms };
}

export function runRelatedSuite(name: string, openStore: () => Promise<Store>, cleanup?: () => Promise<void>) {
  describe(`store suite, related posts: ${name}`, () => {
    let store: Store;
    let ids: Record<string, string>;
    beforeEach(async () => {
      store = await openStore();
      await store.syncSources([{ id: 'wire', title: 'Wire World', attribution: 'Wire', priority: 0, republish: 'full', path: 'x', configHash: 'a' }]);
      const specs: Record<string, string[]> = {
        a: ['person:Ana Lopez', 'place:Chile'], b: ['person:Ana Lopez', 'place:Chile'], c: ['place:Chile'], d: ['place:Chile'], e: ['place:Peru'],
      };
      ids = {};
      for (const [key, tags] of Object.entries(specs)) {
        const result = await store.ingestBatch('wire', [item(key, tags)], newStory, { now: NOW, windowMs: 86_400_000 });
        ids[key] = result.storiesTouched[0]!;
      }
      await store.indexStories([
        doc(ids.a!, 'copper mine strike', 'Workers at the Escondida copper mine went on strike.', specs.a!),
        doc(ids.b!, 'minister visits mine', 'Ana Lopez visited the copper mine.', specs.b!),
        doc(ids.c!, 'wine harvest', 'A record wine harvest.', specs.c!),
        doc(ids.d!, 'copper price', 'Copper rose on strike fears.', specs.d!),
        doc(ids.e!, 'election in Lima', 'Polls closed early.', specs.e!),
      ]);
    });
    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    it('answers candidates by shared tags (with IDF) and shared words, never the story itself', async () => {
      const set = await store.relatedCandidates(ids.a!, QUERY);
      expect(set?.storyCount).toBe(5);
      expect(set?.subject).toMatchObject({ storyId: ids.a, title: 'copper mine strike' });
      const idf = Object.fromEntries(set!.subject.tags.map((t) => [t.tag, t.idf]));
      expect(idf['person:Ana Lopez']).toBeGreaterThan(idf['place:Chile']!);
      const byId = new Map(set!.candidates.map((c) => [c.storyId, c]));
      expect(byId.has(ids.a!)).toBe(false);
      expect(byId.has(ids.e!)).toBe(false);
      expect(byId.get(ids.b!)?.sharedTags.map((t) => t.tag).sort()).toEqual(['person:Ana Lopez', 'place:Chile']);
      expect(byId.get(ids.d!)?.text).toBeGreaterThan(0);
      expect(byId.get(ids.c!)?.text).toBe(0);
      expect(await store.relatedCandidates('s_missing', QUERY)).toBeUndefined();
    });

    it('re-indexing a story replaces its tags, words and counts', async () => {
      await store.indexStories([doc(ids.b!, 'peru vote', 'Ballots counted.', ['place:Peru'])]);
      const set = await store.relatedCandidates(ids.a!, QUERY);
      expect(set?.storyCount).toBe(5);
      expect(set?.candidates.some((c) => c.storyId === ids.b)).toBe(false);
      const peru = await store.relatedCandidates(ids.e!, QUERY);
      expect(peru?.candidates.map((c) => c.storyId)).toEqual([ids.b]);
    });

    it('text candidates come from each word\'s nearest stories in time (perTerm before and after), scored by word cosine', async () => {
      const day = (d: number) => new Date(NOW.getTime() + d * 86_400_000).toISOString();
      const dated: Record<number, string> = {};
      for (const d of [-5, -4, -3, -2, -1, 1, 2, 3]) {
        const result = await store.ingestBatch('wire', [item(`t${d}`, [])], newStory, { now: NOW, windowMs: 86_400_000 });
        dated[d] = result.storiesTouched[0]!;
        await store.indexStories([doc(dated[d]!, `tariff note ${d + 10}`, `zq${d + 10}`, [], day(d))]);
      }
      const subject = dated[-1]!;
      const set = await store.relatedCandidates(subject, { ...QUERY, perTerm: 2 });
      const reached = new Set(set!.candidates.map((c) => c.storyId));
      // two nearest before (-2, -3) and two nearest after (1, 2): -4, -5 and 3 are beyond the bound
      expect([-3, -2, 1, 2].every((d) => reached.has(dated[d]!))).toBe(true);
      expect([-5, -4, 3].some((d) => reached.has(dated[d]!))).toBe(false);
      for (const c of set!.candidates) expect(c.text).toBeGreaterThan(0);
      expect(set!.candidates.every((c) => c.text <= 1)).toBe(true);
    });

    it('persists related lists with parts, replaces them, limits them and filters them by scope', async () => {
      const before = await store.changeVersion();
      await store.saveRelated(ids.a!, [{ id: ids.b!, score: 0.8, parts: PARTS }, { id: ids.d!, score: 0.3, parts: { ...PARTS, shared: [] } }]);
      const [first, second] = (await store.getRelated([ids.a!, ids.c!])).get(ids.a!) ?? [];
      expect(first).toMatchObject({ id: ids.b, title: 'minister visits mine', url: 'https://e.example/minister visits mine', sourceTitle: 'Wire World', score: 0.8, rank: 0, parts: PARTS });
      expect(second).toMatchObject({ id: ids.d, rank: 1 });
      expect(await store.changeVersion()).not.toBe(before); // outputs re-render when a related list changes
      expect((await store.getRelated([ids.a!], { limit: 1 })).get(ids.a!)?.map((r) => r.id)).toEqual([ids.b]);
      expect((await store.getRelated([ids.a!], { limit: 0 })).get(ids.a!)).toBeUndefined();
      expect((await store.getRelated([ids.a!], { scope: { excludeTags: ['person:Ana Lopez'] } })).get(ids.a!)?.map((r) => r.id)).toEqual([ids.d]);
      await store.saveRelated(ids.a!, [{ id: ids.e!, score: 0.2, parts: PARTS }]);
      expect((await store.getRelated([ids.a!])).get(ids.a!)?.map((r) => r.id)).toEqual([ids.e]);
      await store.saveRelated(ids.a!, []);
      expect((await store.getRelated([ids.a!])).has(ids.a!)).toBe(false);
      // several lists in one call: each replaced, the others left alone
      await store.saveRelated(ids.c!, [{ id: ids.d!, score: 0.4, parts: PARTS }]);
      await store.saveRelatedLists(new Map([[ids.a!, [{ id: ids.b!, score: 0.5, parts: PARTS }]], [ids.b!, [{ id: ids.a!, score: 0.5, parts: PARTS }]]]));
      const lists = await store.getRelated([ids.a!, ids.b!, ids.c!]);
      expect([...lists].map(([id, list]) => [id, list.map((r) => r.id)])).toEqual(
        expect.arrayContaining([[ids.a, [ids.b]], [ids.b, [ids.a]], [ids.c, [ids.d]]]),
      );
    });
    it('keeps one subject-space fit with its word vectors; a story\'s vector counts only while it is of the current fit', async () => {
      expect(await store.subjectModelInfo()).toBeUndefined();
      expect(await store.loadSubjectModel()).toBeUndefined();
      const unit = (...values: number[]) => Float32Array.from(values, (v) => v / Math.hypot(...values));
      const fit = (version: number) => ({
        version, dims: 2, stories: 5, indexed: 5, sample: 5, fittedAt: NOW.toISOString(),
        terms: new Map([['copper', Float32Array.of(1, 0.5)], ['mine', Float32Array.of(0.25, -2)]]),
      });
      await store.saveSubjectModel(fit(1), new Map([[ids.a!, unit(1, 1)], [ids.d!, unit(1, 0)]]));
      expect(await store.subjectModelInfo()).toEqual({ version: 1, dims: 2, stories: 5, indexed: 5, sample: 5, fittedAt: NOW.toISOString() });
      const loaded = await store.loadSubjectModel();
      expect(loaded?.terms.get('copper')).toEqual(Float32Array.of(1, 0.5));
      expect(loaded?.terms.get('mine')).toEqual(Float32Array.of(0.25, -2));

      const set = await store.relatedCandidates(ids.a!, QUERY);
      expect(set?.subjectVersion).toBe(1);
      expect(set?.subject.subject).toEqual(unit(1, 1));
      const byId = new Map(set!.candidates.map((c) => [c.storyId, c]));
      expect(byId.get(ids.d!)?.subject).toEqual(unit(1, 0));
      expect(byId.get(ids.b!)?.subject).toBeUndefined(); // never folded
      // a story indexed with a vector of the current fit keeps it; one of an older fit does not count
      await store.indexStories([{ ...doc(ids.b!, 'minister visits mine', 'Ana Lopez visited the copper mine.', ['person:Ana Lopez', 'place:Chile']), subject: { version: 1, vector: unit(0, 1) } }]);
      expect((await store.relatedCandidates(ids.a!, QUERY))?.candidates.find((c) => c.storyId === ids.b)?.subject).toEqual(unit(0, 1));
      await store.saveSubjectModel(fit(2), new Map([[ids.a!, unit(1, 2)]]));
      const refitted = await store.relatedCandidates(ids.a!, QUERY);
      expect(refitted?.subjectVersion).toBe(2);
      expect(refitted?.subject.subject).toEqual(unit(1, 2));
      expect(refitted?.candidates.some((c) => c.subject)).toBe(false);
      // vectors folded later are stored for the current fit only
      expect(await store.saveSubjectVectors(1, new Map([[ids.d!, unit(0, 1)]]))).toBe(false);
      expect(await store.saveSubjectVectors(2, new Map([[ids.b!, unit(2, 1)]]))).toBe(true);
      const saved = await store.relatedCandidates(ids.a!, QUERY);
      expect(saved?.candidates.find((c) => c.storyId === ids.b)?.subject).toEqual(unit(2, 1));
      expect(saved?.candidates.find((c) => c.storyId === ids.d)?.subject).toBeUndefined();
      // a fit must be newer than the stored one: a process that fitted from an older state loses
      await expect(store.saveSubjectModel(fit(2), new Map())).rejects.toThrow(/version 2/);
      expect((await store.subjectModelInfo())?.version).toBe(2);
    });

    it('lists the stories whose vectors are not of a fit, the most recently indexed first, in slices that continue', async () => {
      const fit = { version: 1, dims: 2, stories: 5, indexed: 5, sample: 2, fittedAt: NOW.toISOString(), terms: new Map([['copper', Float32Array.of(1, 0)]]) };
      await store.saveSubjectModel(fit, new Map([[ids.d!, Float32Array.of(1, 0)]]));
      await store.indexStories([{ ...doc(ids.c!, 'wine harvest', 'A record wine harvest.', ['place:Chile']), termCounts: [['wine', 3], ['harvest', 1], ['record', 1]] }]);
      // e, c (re-indexed: its position stays), b, a; d has a vector of fit 1
      const first = await store.staleSubjects(1, 2);
      expect([...first.stories.keys()]).toEqual([ids.e, ids.c]);
      expect(first.stories.get(ids.c!)).toEqual([['wine', 3], ['harvest', 1], ['record', 1]]);
      expect(first.next).toBeDefined();
      const second = await store.staleSubjects(1, 2, first.next);
      expect([...second.stories.keys()]).toEqual([ids.b, ids.a]);
      expect(second.stories.get(ids.a!)?.[0]).toEqual(['copper', 1]); // no counts: once each
      const rest = await store.staleSubjects(1, 2, second.next);
      expect(rest).toEqual({ stories: new Map() });
      // once stored with the fit, a story is no longer stale; a newer fit makes every story stale again
      await store.saveSubjectVectors(1, new Map([[ids.e!, Float32Array.of(0, 1)]]));
      expect([...(await store.staleSubjects(1, 10)).stories.keys()]).toEqual([ids.c, ids.b, ids.a]);
      expect((await store.staleSubjects(1, 10)).next).toBeUndefined();
      await store.saveSubjectModel({ ...fit, version: 2 }, new Map());
      expect([...(await store.staleSubjects(2, 10)).stories.keys()]).toEqual([ids.e, ids.d, ids.c, ids.b, ids.a]);
      expect((await store.staleSubjects(2, 0)).stories.size).toBe(0);
    });

    it('samples the latest stories\' counted words (by date) with the size of the index, for fitting', async () => {
      const day = (d: number) => new Date(NOW.getTime() + d * 86_400_000).toISOString();
      await store.indexStories([
        { ...doc(ids.c!, 'wine harvest', 'A record wine harvest.', [], day(2)), termCounts: [['wine', 4], ['harvest', 2], ['record', 1]] },
        doc(ids.e!, 'election in Lima', 'Polls closed early.', [], day(1)),
      ]);
      const { stories, indexed, sample } = await store.subjectSample(2);
      expect(stories).toBe(5);
      expect(indexed).toBeGreaterThanOrEqual(5); // a position that only grows: re-indexing does not move it
      expect((await store.subjectSample(0)).indexed).toBe(indexed);
      expect([...sample.keys()]).toEqual([ids.c, ids.e]);
      expect(sample.get(ids.c!)).toEqual([['wine', 4], ['harvest', 2], ['record', 1]]);
      expect(sample.get(ids.e!)).toEqual([['election', 1], ['lima', 1], ['polls', 1], ['closed', 1], ['early', 1]]); // no counts: once each
      expect((await store.subjectSample(0)).sample.size).toBe(0);
    });
  });
}
