// The relate stage on a real SQLite store: copies excluded, follow-ups gained, rare names over common places, related 0, explain parts, scope.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachRelated, describeRelated } from '../../src/relate/attach.ts';
import { computeRelated, refreshRelated, resolveRelateOptions } from '../../src/relate/refresh.ts';
import { openTestStore, type TestStore } from './helpers.ts';

const US = 'place:United States';

describe('refreshRelated and attachRelated', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore();
  });
  afterEach(async () => {
    await t.close();
  });

  /** Stories about unrelated subjects that all carry the common tag, so that its IDF is low. */
  async function addBackground(count: number, at: string): Promise<string[]> {
    const ids: string[] = [];
    const subjects = ['wheat harvest', 'bond yields', 'airline strike', 'hurricane season', 'chip exports', 'film festival', 'rail tender', 'dairy prices'];
    for (let i = 0; i < count; i++) {
      ids.push(await t.add({ id: `bg${i}`, title: `Background ${subjects[i % subjects.length]} report number${i}`, text: `Item${i} filler${i} words${i}.`, tags: [US], at }));
    }
    return ids;
  }

  it('never lists the story itself, its versions or copies, joined or not', async () => {
    const petro = ['person:Gustavo Petro', 'place:Colombia'];
    const text = 'Colombian President Gustavo Petro said on Monday that talks with armed groups would resume in Bogota next week.';
    const story = await t.add({ id: 'a', title: 'Petro says peace talks to resume', text, tags: petro, at: '2026-11-24T08:00:00Z' });
    // a copy with the same canonical URL joins the story; another outlet's rewrite under its own URL does not
    const joined = await t.add({ source: 'outlet', id: 'a-copy', title: 'Petro: talks to resume', text, tags: petro, at: '2026-11-24T08:30:00Z', url: 'https://news.example/a' });
    expect(joined).toBe(story);
    const unjoined = await t.add({ source: 'outlet', id: 'a-rewrite', title: 'Petro says peace talks to resume', text, tags: petro, at: '2026-11-24T09:00:00Z' });
    const other = await t.add({ id: 'b', title: 'Petro meets ELN negotiators in Havana', text: 'Gustavo Petro travelled to Havana to meet ELN negotiators.', tags: petro, at: '2026-11-24T12:00:00Z' });
    await refreshRelated(t.store, [story, unjoined, other]);
    const related = (await t.store.getRelated([story, unjoined])).get(story) ?? [];
    expect(related.map((r) => r.id)).toEqual([other]);
    expect((await t.store.getRelated([unjoined])).get(unjoined)?.map((r) => r.id)).toEqual([other]);
  });

  it('a fresh follow-up gains a place in the related posts of this morning\'s story', async () => {
    const tags = ['person:Gustavo Petro', 'place:Colombia', 'topic:drugs'];
    const morning = await t.add({ id: 'm', title: 'Colombia seizes record cocaine haul', text: 'Colombian police seized 14 tonnes of cocaine near Buenaventura, Gustavo Petro said.', tags, at: '2026-11-25T08:00:00Z' });
    await addBackground(6, '2026-11-25T09:00:00Z');
    await refreshRelated(t.store, [morning]);
    expect((await t.store.getRelated([morning])).get(morning) ?? []).toEqual([]);
    const afternoon = await t.add({ id: 'f', title: 'Petro orders inquiry after record cocaine seizure', text: 'Gustavo Petro ordered an inquiry into the cocaine seizure at Buenaventura.', tags, at: '2026-11-25T15:00:00Z' });
    const summary = await refreshRelated(t.store, [afternoon]);
    expect(summary.refreshed).toBeGreaterThanOrEqual(1);
    expect((await t.store.getRelated([morning])).get(morning)?.[0]?.id).toBe(afternoon);
    expect((await t.store.getRelated([afternoon])).get(afternoon)?.[0]?.id).toBe(morning);
  });

  it('lets the event loop turn between stories, so that the server answers during a large batch', async () => {
    const ids = await addBackground(8, '2026-11-25T09:00:00Z');
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    await refreshRelated(t.store, ids);
    ticking = false;
    // the store's calls are synchronous behind promises: without the yields no macrotask would run in between
    expect(turns).toBeGreaterThanOrEqual(ids.length - 1);
  });

  it('a rare shared person outranks a common shared country', async () => {
    const background = await addBackground(30, '2026-11-20T10:00:00Z');
    const subject = await t.add({ id: 's', title: 'Senate hearing on Venezuelan oil licences', text: 'Lawmakers questioned officials.', tags: ['person:Elliott Abrams', US], at: '2026-11-25T10:00:00Z' });
    const sameCountry = await t.add({ id: 'c', title: 'Retail sales beat forecasts', text: 'Shoppers spent more in October.', tags: [US], at: '2026-11-25T10:30:00Z' });
    const samePerson = await t.add({ id: 'p', title: 'Envoy named for Caracas mission', text: 'A veteran diplomat takes the post.', tags: ['person:Elliott Abrams'], at: '2026-11-22T10:00:00Z' });
    await refreshRelated(t.store, [...background, subject, sameCountry, samePerson]);
    const related = (await t.store.getRelated([subject])).get(subject) ?? [];
    const ids = related.map((r) => r.id);
    expect(ids[0]).toBe(samePerson);
    // the country-only match, closer in time, is ranked below the person match or left out as too weak
    expect(ids.indexOf(sameCountry) === -1 || ids.indexOf(sameCountry) > 0).toBe(true);
    expect(related[0]?.parts.shared).toEqual(['person:Elliott Abrams']);
    expect(related[0]!.parts.tags).toBeGreaterThan(0.5);
  });

  it('once the store has fitted its subject space, a story on the same subject in other words outranks one sharing only a rare name', async () => {
    // A wire's background: takeover stories and earnings reports, each about companies of its own.
    const takeover = ['takeover', 'bid', 'tender', 'offer', 'stake', 'merger', 'shareholders', 'acquire', 'hostile', 'board'];
    const earnings = ['quarterly', 'net', 'profit', 'revenue', 'dividend', 'shr', 'qtr', 'loss', 'earnings', 'margin'];
    const background: string[] = [];
    for (let i = 0; i < 60; i++) {
      const words = i % 2 === 0 ? takeover : earnings;
      const pick = [0, 3, 6, 9].map((k) => words[(i * 7 + k) % words.length]).join(' ');
      background.push(await t.add({ id: `bg${i}`, title: `Company${i} ${pick}`, text: `Firm${i} ${pick} reported by desk${i}.`, at: `2026-11-20T${String(i % 24).padStart(2, '0')}:00:00Z` }));
    }
    const acmeEarnings = await t.add({ id: 'acme-net', title: 'Acme quarterly net profit rises', text: 'Acme dividend raised, revenue up.', at: '2026-11-21T09:00:00Z' });
    const boltMerger = await t.add({ id: 'bolt-merger', title: 'Bolt agrees merger with Delta', text: 'Delta board backs the hostile bid; shareholders tender their stake in the offer.', at: '2026-11-21T10:00:00Z' });
    const acmeBid = await t.add({ id: 'acme-bid', title: 'Acme launches takeover offer for Zeta', text: 'Acme will acquire Zeta.', at: '2026-11-21T11:00:00Z' });
    // Two subjects in this small store: two dimensions (a real store has hundreds of subjects and 64).
    const options = { subjectMinStories: 50, subjectDims: 2 };
    const summary = await refreshRelated(t.store, [...background, acmeEarnings, boltMerger, acmeBid], options);
    expect(summary).toMatchObject({ refitted: true, subjectVersion: 1 });

    const rank = (picks: { id: string }[]) => [boltMerger, acmeEarnings].map((id) => picks.findIndex((p) => p.id === id));
    // Words alone: the rare shared name wins.
    const [byWordsMerger = -1, byWordsEarnings = -1] = rank(await computeRelated(t.store, acmeBid, resolveRelateOptions({ subjectDims: 0 })));
    expect(byWordsEarnings).toBeGreaterThanOrEqual(0);
    expect(byWordsEarnings).toBeLessThan(byWordsMerger === -1 ? Infinity : byWordsMerger);
    // With subjects: the other takeover first, and explain shows the subject part.
    const [bySubjectMerger = -1, bySubjectEarnings = -1] = rank(await computeRelated(t.store, acmeBid, resolveRelateOptions(options)));
    expect(bySubjectMerger).toBeGreaterThanOrEqual(0);
    expect(bySubjectMerger).toBeLessThan(bySubjectEarnings === -1 ? Infinity : bySubjectEarnings);
    const explained = (await t.store.getRelated([acmeBid])).get(acmeBid) ?? [];
    expect(explained.find((r) => r.id === boltMerger)?.parts.subject).toBeGreaterThan(explained.find((r) => r.id === acmeEarnings)?.parts.subject ?? 0);
    expect(describeRelated(explained)[0]).toMatch(/\(tags [\d.]+, text [\d.]+, subject [\d.]+, recency /);
  });

  it('related: 0 turns related posts off, N limits them, and explain gets every part', async () => {
    const tags = ['person:Gustavo Petro', 'place:Colombia'];
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await t.add({ id: `p${i}`, title: `Petro story ${['budget', 'army', 'oil', 'coffee', 'senate'][i]}`, text: `Gustavo Petro spoke about theme${i}.`, tags, at: `2026-11-2${i}T10:00:00Z` }));
    }
    await refreshRelated(t.store, ids);
    const views = await t.store.queryStories({ limit: 10 });
    expect((await attachRelated(t.store, views, { limit: 0 })).every((v) => v.related.length === 0)).toBe(true);
    const two = await attachRelated(t.store, views, { limit: 2 });
    expect(two.every((v) => v.related.length === 2)).toBe(true);
    const [first] = two;
    expect(first?.related[0]).toMatchObject({ url: expect.stringMatching(/^https:\/\/news\.example\/p\d$/), sourceTitle: 'Wire World' });
    expect(first?.related.every((r) => r.id !== first.id)).toBe(true);
    const explained = (await t.store.getRelated([ids[0]!])).get(ids[0]!) ?? [];
    expect(explained[0]?.parts).toMatchObject({ shared: tags.slice().sort(), recency: expect.any(Number), text: expect.any(Number), tags: expect.any(Number) });
    expect(describeRelated(explained)[0]).toMatch(/^1\. s_[0-9a-f]+ \d\.\d{3} "Petro story \w+" \(tags [\d.]+, text [\d.]+, recency [\d.]+ at -?[\d.]+ days shared person:Gustavo Petro, place:Colombia\)$/);
  });

  it('by default lists only stories that pass the feed\'s filter', async () => {
    const shared = ['person:Gustavo Petro'];
    const background = await addBackground(20, '2026-11-20T10:00:00Z');
    const inFeed = await t.add({ id: 'in1', title: 'Petro on coca policy', text: 'Gustavo Petro coca policy.', tags: [...shared, 'place:Colombia'], at: '2026-11-25T10:00:00Z' });
    const inFeed2 = await t.add({ id: 'in2', title: 'Petro on peace deal', text: 'Gustavo Petro peace deal.', tags: [...shared, 'place:Colombia'], at: '2026-11-24T10:00:00Z' });
    const outside = await t.add({ id: 'out', title: 'Petro visits Madrid', text: 'Gustavo Petro in Madrid.', tags: [...shared, 'place:Spain'], at: '2026-11-25T11:00:00Z' });
    await refreshRelated(t.store, [...background, inFeed, inFeed2, outside]);
    const scope = { tagsAny: ['place:Colombia'] };
    const views = await t.store.queryStories({ limit: 10, ...scope });
    const scoped = await attachRelated(t.store, views, { limit: 5, scope });
    expect(scoped.find((v) => v.id === inFeed)?.related.map((r) => r.id)).toEqual([inFeed2]);
    const all = await attachRelated(t.store, views, { limit: 5 });
    expect(all.find((v) => v.id === inFeed)?.related.map((r) => r.id).sort()).toEqual([inFeed2, outside].sort());
  });

  it('completes a list that the feed\'s filter cut short from the stories inside the filter', async () => {
    const background = await addBackground(20, '2026-11-20T10:00:00Z');
    const tags = ['person:Gustavo Petro', 'org:ELN'];
    const subject = await t.add({ id: 'k1', title: 'ELN ceasefire talks in Havana', text: 'Gustavo Petro and the ELN resume ceasefire talks in Havana.', tags: [...tags, 'place:Colombia'], at: '2026-11-25T10:00:00Z' });
    const outside = await t.add({ id: 'k2', title: 'ELN negotiators leave Havana', text: 'Gustavo Petro said ELN negotiators left Havana after the ceasefire collapsed.', tags: [...tags, 'place:Cuba'], at: '2026-11-25T12:00:00Z' });
    const inside = await t.add({ id: 'k3', title: 'Petro budget vote', text: 'Gustavo Petro wins a budget vote.', tags: ['person:Gustavo Petro', 'place:Colombia'], at: '2026-11-24T10:00:00Z' });
    await refreshRelated(t.store, [...background, subject, outside, inside], { keep: 1 });
    expect((await t.store.getRelated([subject])).get(subject)?.map((r) => r.id)).toEqual([outside]);
    const [view] = await attachRelated(t.store, [(await t.store.getStory(subject))!], { limit: 3, scope: { tagsAny: ['place:Colombia'] } });
    expect(view?.related.map((r) => r.id)).toEqual([inside]);
    expect(view?.related[0]).toMatchObject({ title: 'Petro budget vote', url: 'https://news.example/k3', sourceTitle: 'Wire World' });
  });

  it('a withdrawn story disappears from other stories\' related posts', async () => {
    const tags = ['person:Gustavo Petro'];
    const a = await t.add({ id: 'w1', title: 'Petro budget speech', text: 'Gustavo Petro budget.', tags, at: '2026-11-25T10:00:00Z' });
    const b = await t.add({ id: 'w2', title: 'Petro cabinet change', text: 'Gustavo Petro cabinet.', tags, at: '2026-11-25T11:00:00Z' });
    await refreshRelated(t.store, [a, b]);
    expect((await t.store.getRelated([a])).get(a)?.map((r) => r.id)).toEqual([b]);
    await t.store.ingestBatch('wire', [{ identity: 'guid:kill', title: 'KILL-Petro cabinet change', link: 'https://news.example/w2', canonicalUrl: 'https://news.example/w2', categories: [], enclosures: [], contentHash: 'k', dedupeKeys: ['u:https://news.example/w2'], tags: [], withdrawn: true }], (_i, c) => ({ storyId: c[0]?.storyId, rule: 'test' }), { now: new Date('2026-11-25T12:00:00Z'), windowMs: 86_400_000 });
    expect((await t.store.getRelated([a])).get(a) ?? []).toEqual([]);
  });
});
