// The one test table every feed format must pass: items, stable ids, categories, related links, attribution, escaping.
import { describe, expect, it } from 'vitest';
import { FEED_RENDERERS } from '../../src/publish/index.ts';
import type { OutputFormat } from '../../src/publish/types.ts';
import { BASE_URL, HOSTILE_TITLE, buildMeta, buildStories } from '../fixtures/publish/stories.ts';
import { readFeed } from './read-back.ts';

const FORMATS: OutputFormat[] = ['rss', 'atom', 'json'];
const EXTENSION: Record<OutputFormat, string> = { rss: '.rss', atom: '.atom', json: '.json' };
/** XML 1.0 Char production, negated (controls, U+FFFE/FFFF, lone surrogates). */
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe.each(FORMATS)('%s publisher', (format) => {
  const render = FEED_RENDERERS[format];
  const meta = buildMeta({ hubUrl: 'https://hub.example.net/websub?x=1&y=2' });
  const stories = buildStories();
  const output = render(meta, stories);
  const feed = readFeed(format, output, BASE_URL);

  it('writes one item per story, in the given order, with ids built from the story ids', () => {
    expect(feed.items.map((item) => item.id)).toEqual(stories.map((story) => `${BASE_URL}/stories/${story.id}`));
    expect(new Set(feed.items.map((item) => item.id)).size).toBe(stories.length);
  });

  it('keeps ids stable across renders and when a newer version of the story is shown', () => {
    const again = readFeed(format, render(meta, buildStories()), BASE_URL);
    expect(again.items.map((item) => item.id)).toEqual(feed.items.map((item) => item.id));
    const refiled = buildStories();
    const first = refiled[0]!;
    first.shown = { ...first.shown, id: 99, title: 'UPDATE 2-Petro demands answers', link: 'https://www.reuters.com/world/americas/petro-update-2/' };
    first.updated = '2026-11-23T19:00:00.000Z';
    const updated = readFeed(format, render(meta, refiled), BASE_URL);
    expect(updated.items[0]?.id).toBe(feed.items[0]?.id);
    expect(updated.items[0]?.title).toBe('UPDATE 2-Petro demands answers');
    expect(updated.items[0]?.link).toBe('https://www.reuters.com/world/americas/petro-update-2/');
  });

  it('writes an item only once when a story is given twice', () => {
    const twice = [...buildStories(), ...buildStories()];
    expect(readFeed(format, render(meta, twice), BASE_URL).items).toHaveLength(stories.length);
  });

  it('shows the title and link of the shown item, URL query ampersands intact', () => {
    expect(feed.items[0]?.title).toBe(stories[0]?.shown.title);
    expect(feed.items[0]?.link).toBe('https://www.reuters.com/world/americas/colombia-petro-2026-11-23/?utm=1&x=2');
  });

  it('carries tags as categories with the {base}/tags/{type}/ scheme', () => {
    expect(feed.items[0]?.categories).toEqual([
      { term: 'Reuters', scheme: `${BASE_URL}/tags/org/` },
      { term: 'Donald Trump', scheme: `${BASE_URL}/tags/person/` },
      { term: 'Gustavo Petro', scheme: `${BASE_URL}/tags/person/` },
      { term: 'Bogotá', scheme: `${BASE_URL}/tags/place/` },
      { term: 'Colombia', scheme: `${BASE_URL}/tags/place/` },
      { term: 'drugs', scheme: `${BASE_URL}/tags/topic/` },
      { term: 'world', scheme: `${BASE_URL}/tags/topic/` },
    ]);
    expect(feed.items[2]?.categories).toEqual([]);
  });

  it('links related posts (those with a URL), titles decoded', () => {
    expect(feed.items[0]?.related).toEqual([{ href: 'https://www.reuters.com/world/americas/venezuela-maduro/?a=1&b=2', title: 'Maduro <warns> & threatens' }]);
    expect(feed.items[2]?.related).toEqual([]);
  });

  it('credits the source, links the other publishers and ends the HTML with Related Posts', () => {
    const html = feed.items[0]?.html ?? '';
    expect(html).toContain('Source: <a href="https://www.reuters.com/world/americas/colombia-petro-2026-11-23/?utm=1&amp;x=2">Reuters</a> (Reuters World News)');
    expect(html).toContain('Also reported by: <a href="https://apnews.com/article/colombia-petro-strikes?a=1&amp;b=2"');
    expect(html).toContain('>BBC News</a>');
    expect(html.lastIndexOf('Related Posts')).toBeGreaterThan(html.lastIndexOf('Also reported by'));
    expect(html.trimEnd().endsWith('</div>')).toBe(true);
    expect(feed.items[2]?.html).toContain('Source: <a href="https://www.bbc.com/news/world-latin-america-2">BBC News</a>');
  });

  it('follows each source\'s republish policy: full text, summary only, title only', () => {
    expect(feed.items[0]?.html).toContain('Second paragraph &amp; more.');
    expect(feed.items[1]?.html).toContain('Summary with ]]&gt; inside');
    expect(feed.items[1]?.html).not.toContain('must NOT be republished');
    expect(feed.items[2]?.html).not.toContain('must not show');
    expect(feed.items[2]?.html.startsWith('<p class="wd-credit">')).toBe(true);
  });

  it('escapes hostile titles and source names and drops XML-illegal characters', () => {
    const expected = HOSTILE_TITLE.replace(/[\u0000\u0008]|\uD800/g, '');
    expect(feed.items[1]?.title).toBe(expected);
    expect(output).not.toMatch(ILLEGAL);
    const html = feed.items[1]?.html ?? '';
    expect(html).toContain('AP &amp; Co</a> (AP &lt;Top&gt; &amp; News)');
    if (format !== 'json') expect(output).not.toContain('<script>');
  });

  it('names an author on every item: the byline, or the publisher when there is none', () => {
    expect(feed.items[0]?.authors).toEqual(['Luis Jaime Acosta']);
    expect(feed.items[1]?.authors).toEqual(['Regina Garcia Cano']);
    expect(feed.items[2]?.authors).toEqual(['BBC News']);
  });

  it('writes dates that parse back to the same instants', () => {
    expect(feed.items[0]?.published).toBe(Date.parse('2026-11-23T16:40:00Z'));
    expect(feed.items[2]?.published).toBe(Date.parse('2026-11-22T09:30:00Z'));
  });

  it('lists enclosures', () => {
    expect(feed.items[0]?.enclosures).toEqual(['https://static.reuters.com/img/petro.jpg', 'https://static.reuters.com/audio/petro.mp3']);
  });

  it('points rel=self at its own format, keeps a private token query, and advertises the hub', () => {
    expect(feed.selfUrl).toBe(`${BASE_URL}/feeds/latam${EXTENSION[format]}`);
    expect(feed.hubUrl).toBe('https://hub.example.net/websub?x=1&y=2');
    const priv = readFeed(format, render(buildMeta({ selfUrl: `${BASE_URL}/feeds/latam.rss?token=abc&x=1` }), []), BASE_URL);
    expect(priv.selfUrl).toBe(`${BASE_URL}/feeds/latam${EXTENSION[format]}?token=abc&x=1`);
    expect(priv.hubUrl).toBeUndefined();
  });

  it('renders an empty feed as a valid document', () => {
    const empty = readFeed(format, render(buildMeta({ description: '' }), []), BASE_URL);
    expect(empty.items).toEqual([]);
    expect(empty.title).toBe('Latin America desk');
  });

  it('refuses javascript: links', () => {
    const evil = buildStories();
    evil[0]!.shown = { ...evil[0]!.shown, link: 'javascript:alert(1)' };
    const out = render(meta, evil);
    expect(out).not.toContain('javascript:');
    expect(readFeed(format, out, BASE_URL).items[0]?.link).not.toBe('javascript:alert(1)');
  });
});
