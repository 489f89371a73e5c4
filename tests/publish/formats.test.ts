// Per-format rules that the shared table cannot express: RSS profile details, RFC 4287 details, the `_wiredesk` object.
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderAtom, renderJsonFeed, renderRss } from '../../src/publish/index.ts';
import { BASE_URL, buildMeta, buildStories } from '../fixtures/publish/stories.ts';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['item', 'entry', 'enclosure', 'category', 'link', 'atom:link', 'media:content'].includes(name) });
type Node = Record<string, unknown> & { [key: string]: any };

const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('RSS 2.0 specifics', () => {
  const xml = renderRss(buildMeta(), buildStories());
  const rss = parser.parse(xml).rss as Node;
  const items = rss.channel.item as Node[];

  it('references the XSLT stylesheet and declares the namespaces it uses', () => {
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<\?xml-stylesheet type="text\/xsl" href="https:\/\/news.example.org\/wire\/feed.xsl"\?>/);
    expect(rss['@version']).toBe('2.0');
    expect(rss['@xmlns:atom']).toBe('http://www.w3.org/2005/Atom');
    expect(rss['@xmlns:dc']).toBe('http://purl.org/dc/elements/1.1/');
  });

  it('writes guid with isPermaLink="false" and RFC 822 dates with four-digit years', () => {
    for (const item of items) {
      expect(item.guid['@isPermaLink']).toBe('false');
      expect(item.pubDate).toMatch(RFC822);
    }
    expect(rss.channel.lastBuildDate).toMatch(RFC822);
  });

  it('puts name-only bylines in dc:creator and email bylines in <author>', () => {
    expect(items[0]?.['dc:creator']).toBe('Luis Jaime Acosta');
    expect(items[0]?.author).toBeUndefined();
    expect(items[1]?.author).toBe('desk@apnews.com (Regina Garcia Cano)');
    expect(items[1]?.['dc:creator']).toBeUndefined();
  });

  it('writes one <enclosure> with url, length and type, further files as media:content', () => {
    expect(items[0]?.enclosure).toEqual([{ '@url': 'https://static.reuters.com/img/petro.jpg', '@length': '48213', '@type': 'image/jpeg' }]);
    expect(items[0]?.['media:content']).toEqual([{ '@url': 'https://static.reuters.com/audio/petro.mp3', '@type': 'audio/mpeg' }]);
    const noLength = buildStories();
    noLength[0]!.shown = { ...noLength[0]!.shown, enclosures: [{ url: 'https://x.example/a.bin' }] };
    const item = (parser.parse(renderRss(buildMeta(), noLength)).rss as Node).channel.item[0] as Node;
    expect(item.enclosure).toEqual([{ '@url': 'https://x.example/a.bin', '@length': '0', '@type': 'application/octet-stream' }]);
  });

  it('always writes the required channel <description>', () => {
    const empty = (parser.parse(renderRss(buildMeta({ description: '' }), [])).rss as Node).channel;
    expect(empty.description).toBe('Latin America desk');
    expect(empty.language).toBe('en');
    expect(empty.ttl).toBeUndefined();
    expect((parser.parse(renderRss(buildMeta({ ttlMinutes: 9.5 }), [])).rss as Node).channel.ttl).toBe(10);
  });
});

describe('Atom 1.0 specifics', () => {
  const xml = renderAtom(buildMeta(), buildStories());
  const feed = parser.parse(xml).feed as Node;
  const entries = feed.entry as Node[];

  it('has the feed-level elements RFC 4287 §4.1.1 requires', () => {
    expect(xml).toContain(`<?xml-stylesheet type="text/xsl" href="${BASE_URL}/feed.xsl"?>`);
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe(`${BASE_URL}/feeds/latam`);
    expect(feed.updated).toMatch(RFC3339);
    expect(feed['@xml:lang']).toBe('en');
    expect((feed.link as Node[]).map((link) => link['@rel'])).toEqual(['self', 'alternate']);
  });

  it('gives every entry an id, title, updated no earlier than published, an author and html content', () => {
    for (const entry of entries) {
      expect(entry.id).toMatch(/^https:\/\/news\.example\.org\/wire\/stories\/s_/);
      expect(entry.updated).toMatch(RFC3339);
      expect(entry.published).toMatch(RFC3339);
      expect(Date.parse(entry.updated)).toBeGreaterThanOrEqual(Date.parse(entry.published));
      expect(entry.author.name).toBeTruthy();
      expect(entry.content['@type']).toBe('html');
    }
    const backdated = buildStories();
    backdated[0]!.updated = '2026-01-01T00:00:00.000Z';
    const first = (parser.parse(renderAtom(buildMeta(), backdated)).feed as Node).entry[0] as Node;
    expect(first.updated).toBe(first.published);
    const undated = buildStories();
    undated[2]!.date = 'garbage';
    undated[2]!.updated = '';
    const third = (parser.parse(renderAtom(buildMeta({ updated: 'nope' }), undated)).feed as Node).entry[2] as Node;
    expect(third.updated).toMatch(RFC3339);
    expect(third.published).toBeUndefined();
  });

  it('writes related posts as link rel="related" with a title', () => {
    const related = (entries[0]?.link as Node[]).filter((link) => link['@rel'] === 'related');
    expect(related).toEqual([
      { '@rel': 'related', '@type': 'text/html', '@href': 'https://www.reuters.com/world/americas/venezuela-maduro/?a=1&b=2', '@title': 'Maduro <warns> & threatens' },
    ]);
  });
});

describe('JSON Feed 1.1 specifics', () => {
  const feed = JSON.parse(renderJsonFeed(buildMeta(), buildStories())) as { version: string; items: Record<string, any>[] };

  it('is version 1.1 with the _wiredesk extension exactly as DESIGN.md names it', () => {
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.items[0]?._wiredesk).toEqual({
      story_id: 's_8f3a1c',
      source: { id: 'reuters-world', title: 'Reuters World News', attribution: 'Reuters' },
      versions: [{ url: 'https://www.reuters.com/world/americas/colombia-petro-first/', title: "Colombia's Petro condemns U.S. strikes", published: '2026-11-23T15:02:00Z' }],
      also_reported_by: [
        { source: 'ap-top', source_title: 'AP Top News', attribution: 'AP', url: 'https://apnews.com/article/colombia-petro-strikes?a=1&b=2', title: 'Petro blasts U.S. boat strikes', published: '2026-11-23T16:55:00Z' },
        { source: 'bbc-latam', source_title: 'BBC Latin America', attribution: 'BBC News', url: 'https://www.bbc.com/news/world-latin-america-1', title: 'Colombia\'s leader: strikes are "murder"' },
      ],
      entities: { people: ['Donald Trump', 'Gustavo Petro'], places: ['Bogotá', 'Colombia'], orgs: ['Reuters'] },
      topics: ['drugs', 'world'],
      related: [
        { id: 's_41c2aa', url: 'https://www.reuters.com/world/americas/venezuela-maduro/?a=1&b=2', title: 'Maduro <warns> & threatens', score: 0.82 },
        { id: 's_9d0e11', title: 'A related story with no link', score: 0.4 },
      ],
    });
  });

  it('keeps empty lists present on a story with no versions, copies, tags or related posts', () => {
    expect(feed.items[2]?._wiredesk).toMatchObject({ versions: [], also_reported_by: [], entities: { people: [], places: [], orgs: [] }, topics: [], related: [] });
    expect(feed.items[2]?.tags).toEqual([]);
  });

  it('writes tags as type:Name strings, attachments with mime_type, and a plain-text summary', () => {
    expect(feed.items[1]?.tags).toEqual(['place:Venezuela', 'topic:world']);
    expect(feed.items[0]?.attachments).toEqual([
      { url: 'https://static.reuters.com/img/petro.jpg', mime_type: 'image/jpeg', size_in_bytes: 48213 },
      { url: 'https://static.reuters.com/audio/petro.mp3', mime_type: 'audio/mpeg' },
    ]);
    expect(feed.items[1]?.summary).toBe('Summary with ]]> inside and bold.');
    expect(feed.items[2]?.summary).toBeUndefined();
  });
});
