// Related posts reach every output format: Atom link rel="related", RSS atom:link rel="related", JSON Feed _wiredesk.related, HTML list.
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoryView } from '../../src/model/story.ts';
import { renderAtom, renderJsonFeed, renderRss, type FeedMeta } from '../../src/publish/index.ts';
import { attachRelated } from '../../src/relate/attach.ts';
import { refreshRelated } from '../../src/relate/refresh.ts';
import { openTestStore, type TestStore } from './helpers.ts';

const META: FeedMeta = {
  id: 'latam', title: 'Latin America desk', description: 'Test', baseUrl: 'http://localhost:8080',
  selfUrl: 'http://localhost:8080/feeds/latam', htmlUrl: 'http://localhost:8080/feeds/latam', updated: '2026-11-25T12:00:00.000Z',
};
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'item', 'link', 'atom:link'].includes(name) });

describe('related posts in the outputs', () => {
  let t: TestStore;
  let views: StoryView[];
  let ids: { petro: string; talks: string };
  beforeEach(async () => {
    t = await openTestStore();
    const tags = ['person:Gustavo Petro', 'place:Colombia'];
    const petro = await t.add({ id: 'o1', title: 'Petro names new army chief', text: 'Gustavo Petro named a new army chief in Bogota.', tags, at: '2026-11-25T08:00:00Z', url: 'https://news.example/o1?a=1&b=2' });
    const talks = await t.add({ id: 'o2', title: 'Army chief vows to fight ELN', text: 'The army chief appointed by Gustavo Petro vowed to fight the ELN.', tags, at: '2026-11-25T10:00:00Z' });
    ids = { petro, talks };
    await refreshRelated(t.store, [petro, talks]);
    views = await attachRelated(t.store, await t.store.queryStories({ limit: 10 }), { limit: 5 });
  });
  afterEach(async () => {
    await t.close();
  });

  it('JSON Feed: _wiredesk.related with id, url (the link the related story shows), title and score', () => {
    const feed = JSON.parse(renderJsonFeed(META, views)) as { items: { id: string; _wiredesk: { story_id: string; related: unknown[] } }[] };
    const talks = feed.items.find((item) => item._wiredesk.story_id === ids.talks);
    expect(talks?._wiredesk.related).toEqual([
      { id: ids.petro, url: 'https://news.example/o1?a=1&b=2', title: 'Petro names new army chief', score: expect.any(Number) },
    ]);
  });

  it('Atom: <link rel="related" href title> per related post; HTML content ends with Related Posts', () => {
    const entries = xml.parse(renderAtom(META, views)).feed.entry as { link: Record<string, string>[]; content: { '#text': string } }[];
    const links = entries.flatMap((entry) => entry.link.filter((link) => link['@rel'] === 'related'));
    expect(links).toContainEqual(expect.objectContaining({ '@href': 'https://news.example/o1?a=1&b=2', '@title': 'Petro names new army chief' }));
    expect(links).toContainEqual(expect.objectContaining({ '@href': 'https://news.example/o2', '@title': 'Army chief vows to fight ELN' }));
    expect(entries.every((entry) => /Related Posts[\s\S]*<\/ul><\/div>\s*$/.test(String(entry.content['#text'] ?? entry.content)))).toBe(true);
  });

  it('RSS: <atom:link rel="related"> per related post; none at all with related: 0', async () => {
    const items = xml.parse(renderRss(META, views)).rss.channel.item as { 'atom:link'?: Record<string, string>[] }[];
    const related = items.flatMap((item) => (item['atom:link'] ?? []).filter((link) => link['@rel'] === 'related'));
    expect(related.map((link) => link['@href']).sort()).toEqual(['https://news.example/o1?a=1&b=2', 'https://news.example/o2']);
    const off = await attachRelated(t.store, views, { limit: 0 });
    expect(renderRss(META, off)).not.toContain('rel="related"');
    expect(renderAtom(META, off)).not.toContain('rel="related"');
    const json = JSON.parse(renderJsonFeed(META, off)) as { items: { _wiredesk: { related: unknown[] } }[] };
    expect(json.items.map((item) => item._wiredesk.related)).toEqual([[], []]);
  });
});
