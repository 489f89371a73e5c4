// Golden pairs: each format's fixture parses to its reviewed expected JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/parse/index.ts';

const dir = join(import.meta.dirname, '..', 'fixtures', 'parse');
const GOLDEN = ['rss2.xml', 'rdf.xml', 'atom10.xml', 'atom03.xml', 'jsonfeed11.json', 'jsonfeed10.json'];

describe('parseFeed golden pairs', () => {
  for (const name of GOLDEN) {
    it(name, () => {
      const feed = parseFeed(readFileSync(join(dir, name)), { baseUrl: 'https://fallback.example/feed' });
      const expected: unknown = JSON.parse(readFileSync(join(dir, name.replace(/\.(xml|json)$/, '.expected.json')), 'utf8'));
      expect(feed).toEqual(expected);
    });
  }
});

describe('parseFeed details', () => {
  it('reads the same document from a string and from bytes', () => {
    const bytes = readFileSync(join(dir, 'rss2.xml'));
    expect(parseFeed(bytes.toString('utf8'))).toEqual(parseFeed(bytes));
  });

  it('detects versions and formats', () => {
    const cases: Array<[string, string, string | undefined]> = [
      ['<rss version="0.91"><channel><title>t</title></channel></rss>', 'rss', '0.91'],
      ['<rss version="2.0"><channel/></rss>', 'rss', '2.0'],
      ['<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>t</title></channel></rdf:RDF>', 'rdf', '0.90'],
      ['<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>', 'atom', 'atom10'],
      ['<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title></feed>', 'atom', 'atom03'],
      ['{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[]}', 'json', 'json1.1'],
    ];
    for (const [input, format, version] of cases) {
      const feed = parseFeed(input);
      expect([feed.format, feed.version]).toEqual([format, version]);
    }
  });

  it('resolves relative links against the document URL when there is no xml:base', () => {
    const feed = parseFeed('<rss><channel><item><title>t</title><link>/a/b</link></item></channel></rss>', { baseUrl: 'https://site.example/feeds/x.rss' });
    expect(feed.items[0]?.link).toBe('https://site.example/a/b');
  });

  it('reads categories with domain and scheme, several enclosures and Media RSS groups', () => {
    const feed = parseFeed(`<rss xmlns:media="http://search.yahoo.com/mrss/"><channel><item><title>t</title>
      <category domain="d1">A</category><enclosure url="https://x.example/1.mp3" type="audio/mpeg" length="5"/>
      <media:group><media:content url="https://x.example/2.mp4" type="video/mp4"/><media:thumbnail url="https://x.example/t.jpg"/></media:group>
      </item></channel></rss>`);
    const item = feed.items[0];
    expect(item?.categories).toEqual([{ term: 'A', domain: 'd1' }]);
    expect(item?.enclosures.map((e) => e.url)).toEqual(['https://x.example/1.mp3', 'https://x.example/2.mp4']);
    expect(item?.image).toBe('https://x.example/t.jpg');
  });

  it('prefers feedburner:origLink, the publisher URL, to the FeedBurner redirector link', () => {
    const feed = parseFeed(`<rss xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel><item><title>t</title>
      <link>http://feeds.example/~r/x/~3/abc/story</link><feedburner:origLink>https://publisher.example/story?a=1&amp;b=2</feedburner:origLink></item></channel></rss>`);
    expect(feed.items[0]?.link).toBe('https://publisher.example/story?a=1&b=2');
  });

  it('marks Atom tombstones (RFC 6721) as withdrawn items', () => {
    const feed = parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:at="http://purl.org/atompub/tombstones/1.0">
      <title>t</title><at:deleted-entry ref="tag:x,2026:1" when="2026-11-23T10:00:00Z"/></feed>`);
    expect(feed.items).toEqual([{ guid: 'tag:x,2026:1', title: '', categories: [], enclosures: [], withdrawn: true, updated: '2026-11-23T10:00:00.000Z' }]);
  });

  it('normalises xml:lang "en_US" to BCP 47 and lets an item override the feed language', () => {
    const feed = parseFeed('<rss><channel><language>en_US</language><item xml:lang="fr"><title>t</title></item><item><title>u</title></item></channel></rss>');
    expect(feed.language).toBe('en-US');
    expect(feed.items.map((i) => i.language)).toEqual(['fr', 'en-US']);
  });

  it('treats xml:lang="" as no language rather than inheriting the feed\'s', () => {
    const feed = parseFeed('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>t</title><entry xml:lang=""><title>u</title></entry><entry><title>v</title></entry></feed>');
    expect(feed.items.map((i) => i.language)).toEqual([undefined, 'en']);
  });
});
