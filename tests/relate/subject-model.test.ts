// The subject space over a real store: refits reach stories outside the sample, a second process's fit is picked up, a lost race is survived.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refreshRelated, resolveRelateOptions } from '../../src/relate/refresh.ts';
import { currentSubjects, refitSubjects, refoldStale } from '../../src/relate/subject-model.ts';
import { foldSubject } from '../../src/relate/subjects.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import type { PreparedItem, StoryResolver } from '../../src/model/story.ts';
import type { Store, SubjectModel } from '../../src/store/types.ts';

const newStory: StoryResolver = () => ({ rule: 'new-story' });
const TAKEOVER = ['takeover', 'bid', 'tender', 'offer', 'stake', 'merger', 'shareholders', 'acquire'];
const EARNINGS = ['quarterly', 'net', 'profit', 'revenue', 'dividend', 'shr', 'qtr', 'loss'];

function item(i: number, hour: number): PreparedItem {
  const words = i % 2 === 0 ? TAKEOVER : EARNINGS;
  const pick = [0, 3, 5].map((k) => words[(i * 3 + k) % words.length]).join(' ');
  const at = new Date(Date.UTC(2026, 10, 20, hour)).toISOString();
  return {
    identity: `guid:s${i}`, guid: `s${i}`, title: `Company${i} ${pick}`, link: `https://e.example/${i}`, published: at,
    contentHtml: `<p>Firm${i} ${pick} desk${i}.</p>`, categories: [], enclosures: [], contentHash: `h${i}`, dedupeKeys: [], tags: [],
  };
}

describe('subject space over a store', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wiredesk-subjects-'));
    store = new SqliteStore(join(dir, 'store.sqlite'));
    await store.syncSources([{ id: 'wire', title: 'Wire', attribution: 'Wire', priority: 0, republish: 'full', path: 'x', configHash: 'a' }]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function add(from: number, to: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = from; i < to; i++) {
      const result = await store.ingestBatch('wire', [item(i, i)], newStory, { now: new Date(Date.UTC(2026, 10, 20, i)), windowMs: 86_400_000 });
      ids.push(result.storiesTouched[0]!);
    }
    return ids;
  }

  it('stores vectors of the current fit for candidates older than its sample, folded once while relating', async () => {
    // no re-folding slices: this is about the vectors folded for candidates as they come
    const options = { subjectMinStories: 40, subjectSample: 20, subjectDims: 2, subjectRefold: 0 };
    const old = await add(0, 60);
    const first = await refreshRelated(store, old, options);
    expect(first).toMatchObject({ refitted: true, subjectVersion: 1 });
    const fresh = await add(60, 61);
    await refreshRelated(store, fresh, options);
    // the new story's candidates include stories outside the fit's sample (the latest 20): they now carry vectors
    const set = await store.relatedCandidates(fresh[0]!, { perTag: 30, perTerm: 50, textLimit: 30 });
    const outside = set!.candidates.filter((c) => old.indexOf(c.storyId) < 40);
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.every((c) => c.subject?.length === 2)).toBe(true);
    expect(set!.subjectVersion).toBe(1);
  });

  it('re-folds older stories into a new fit a bounded slice per batch, newest first, until none is left', async () => {
    const options = { subjectMinStories: 40, subjectSample: 20, subjectDims: 2, subjectRefold: 15 };
    const old = await add(0, 50);
    await refreshRelated(store, old, { subjectDims: 0 }); // indexed, no fit yet
    // the next batch fits on the latest 20 (stories 31-50) and re-folds the 15 most recently indexed of the other 31
    const first = await refreshRelated(store, await add(50, 51), options);
    expect(first).toMatchObject({ refitted: true, subjectVersion: 1, refolded: 15 });
    const stale = async () => [...(await store.staleSubjects(1, 100)).stories.keys()];
    const left = await stale();
    // what is left is older than the slice (the batch's own comparisons may have folded some of it already)
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((id) => old.slice(0, 16).includes(id))).toBe(true);
    const slices: number[] = [];
    for (let i = 51; i < 55 && slices.at(-1) !== 0; i++) slices.push((await refreshRelated(store, await add(i, i + 1), options)).refolded!);
    expect(slices.at(-1)).toBe(0);
    expect(slices.every((n) => n <= 15)).toBe(true);
    expect(await stale()).toEqual([]);
    // the re-folded vectors are the ones folding on the spot would give: candidates compare alike either way
    const set = await store.relatedCandidates(old[0]!, { perTag: 30, perTerm: 50, textLimit: 30 });
    expect(set?.subjectVersion).toBe(1);
    const model = (await currentSubjects(store))!;
    expect(set?.subject.subject).toEqual(foldSubject(model, set!.subject.termCounts!));
  });

  it('re-folds no deeper than subjectRefoldDepth stories before the fit', async () => {
    const old = await add(0, 50);
    await refreshRelated(store, old, { subjectDims: 0 });
    const { model } = await refitSubjects(store, { subjectMinStories: 40, subjectSample: 20, subjectDims: 2 }); // at position 50
    const slices: number[] = [];
    for (let k = 0; k < 10; k++) {
      const vectors = new Map<string, Float32Array>();
      slices.push(await refoldStale(store, model!, 4, vectors, 40));
      await store.saveSubjectVectors(model!.version, vectors);
    }
    // 30 stale stories (positions 1-30); slices of 4 from the newest until one reaches position 10 (50 - 40) or below
    expect(slices).toEqual([4, 4, 4, 4, 4, 4, 0, 0, 0, 0]);
    expect([...(await store.staleSubjects(model!.version, 100)).stories.keys()]).toEqual(old.slice(0, 6).reverse());
  });

  it('picks up a fit another process stored, and survives losing a race to store one', async () => {
    const options = resolveRelateOptions({ subjectMinStories: 40, subjectSample: 40, subjectDims: 2 });
    const ids = await add(0, 50);
    await refreshRelated(store, ids, { subjectDims: 0 }); // indexed, no fit yet
    const { model: mine } = await refitSubjects(store, options);
    expect(mine?.version).toBe(1);

    // a second process (a CLI command beside the daemon) stores fit 2: the first reloads it on its next read
    const other = new SqliteStore(join(dir, 'store.sqlite'));
    try {
      const theirs: SubjectModel = { ...mine!, version: 2, fittedAt: new Date().toISOString() };
      await other.saveSubjectModel(theirs, new Map());
      expect((await currentSubjects(store))?.version).toBe(2);

      // enough new stories for a refit; while this process fits, the other one stores fit 7 first
      const batch = await add(50, 100);
      await refreshRelated(store, batch, { subjectDims: 0 });
      const racing = new Proxy(store, {
        get(target, prop) {
          if (prop === 'saveSubjectModel') {
            return async (model: SubjectModel, vectors: ReadonlyMap<string, Float32Array>) => {
              await other.saveSubjectModel({ ...model, version: 7 }, new Map());
              return target.saveSubjectModel(model, vectors);
            };
          }
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      }) as Store;
      const also = new Map(batch.map((id, k) => [id, [[TAKEOVER[k % 8]!, 1]] as [string, number][]]));
      const result = await refitSubjects(racing, options, also);
      expect(result.refitted).toBe(false);
      expect(result.model?.version).toBe(7);
      // the batch's stories got vectors of the fit that won
      const set = await store.relatedCandidates(batch[0]!, { perTag: 30, perTerm: 50, textLimit: 30 });
      expect(set?.subjectVersion).toBe(7);
      expect(set?.subject.subject?.length).toBe(2);
      expect(ids.length).toBe(50);
    } finally {
      await other.close();
    }
  });

  it('refits once when batches relate at the same time', async () => {
    const options = resolveRelateOptions({ subjectMinStories: 40, subjectSample: 40, subjectDims: 2 });
    await refreshRelated(store, await add(0, 50), { subjectDims: 0 });
    const results = await Promise.all([refitSubjects(store, options), refitSubjects(store, options), refitSubjects(store, options)]);
    expect(results.filter((r) => r.refitted)).toHaveLength(1);
    expect(new Set(results.map((r) => r.model?.version))).toEqual(new Set([1]));
  });
});
