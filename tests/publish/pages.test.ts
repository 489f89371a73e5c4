// The browser-facing outputs: index page, feed page, OPML, the XSLT stylesheet and the site CSS.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseOpml } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { FEED_XSL, SITE_CSS, renderFeedHtml, renderIndexHtml, renderOpml } from '../../src/publish/index.ts';
import { BASE_URL, HOSTILE_TITLE, buildMeta, buildStories } from '../fixtures/publish/stories.ts';

const site = { title: 'Wiredesk <news> & more', baseUrl: BASE_URL };
const latam = buildMeta();
const sport = buildMeta({ id: 'sport', title: HOSTILE_TITLE, description: 'Scores & <b>results</b>', selfUrl: `${BASE_URL}/feeds/sport`, htmlUrl: `${BASE_URL}/feeds/sport` });

/** Checks every page shares: no script, no inline style, one stylesheet from the site. */
function expectStrictCspSafe(html: string): void {
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\sstyle=/i);
  expect(html).not.toMatch(/<style/i);
  expect(html).not.toMatch(/\son[a-z]+=/i);
  expect(html).toContain(`<link rel="stylesheet" href="${BASE_URL}/site.css">`);
}

describe('index page', () => {
  const html = renderIndexHtml(
    [
      { meta: latam, itemCount: 3, formats: ['rss', 'atom', 'json'] },
      { meta: sport, itemCount: 1, formats: ['json', 'rss'] },
    ],
    site,
  );

  it('works under a strict CSP and escapes every inserted text', () => {
    expectStrictCspSafe(html);
    expect(html).toContain('<title>Wiredesk &lt;news&gt; &amp; more</title>');
    expect(html).toContain('Petro &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; AT&amp;T ]]&gt; deal');
    expect(html).toContain('<p>Scores &amp; &lt;b&gt;results&lt;/b&gt;</p>');
    expect(html).not.toMatch(/[\u0000\u0008]/);
  });

  it('has one autodiscovery link per published format, in rss/atom/json order', () => {
    const links = [...html.matchAll(/<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">/g)].map((match) => [match[1], match[2]]);
    expect(links).toEqual([
      ['application/rss+xml', `${BASE_URL}/feeds/latam.rss`],
      ['application/atom+xml', `${BASE_URL}/feeds/latam.atom`],
      ['application/feed+json', `${BASE_URL}/feeds/latam.json`],
      ['application/rss+xml', `${BASE_URL}/feeds/sport.rss`],
      ['application/feed+json', `${BASE_URL}/feeds/sport.json`],
      ['text/x-opml', `${BASE_URL}/feeds.opml`],
    ]);
  });

  it('lists each feed with its page link, description, item count, last update and subscribe links', () => {
    expect(html).toContain(`<h2><a href="${BASE_URL}/feeds/latam">Latin America desk</a></h2>`);
    expect(html).toContain('<p>Wire stories on Latin America, deduplicated</p>');
    expect(html).toContain('3 stories · updated <time datetime="2026-11-23T18:05:00Z">23 Nov 2026, 18:05 UTC</time>');
    expect(html).toContain('1 story · updated');
    expect(html).toContain(`<li><a href="${BASE_URL}/feeds/latam.atom" type="application/atom+xml">Atom</a></li>`);
    expect(html).not.toContain(`${BASE_URL}/feeds/sport.atom`);
  });

  it('says so when no feed is configured', () => {
    expect(renderIndexHtml([], site)).toContain('No feeds are configured yet.');
  });
});

describe('feed page', () => {
  const stories = buildStories();
  const html = renderFeedHtml(latam, stories, ['rss', 'atom']);

  it('works under a strict CSP and links back and to its formats', () => {
    expectStrictCspSafe(html);
    expect(html).toContain(`<a href="${BASE_URL}/">← All feeds</a>`);
    expect(html).toContain(`<link rel="alternate" type="application/rss+xml" title="Latin America desk (RSS)" href="${BASE_URL}/feeds/latam.rss">`);
    expect(html).not.toContain('latam.json');
  });

  it('shows every story with its headline link, credit line, body per policy, tags, copies and related posts', () => {
    for (const story of stories) expect(html).toContain(`<article class="story" id="${story.id}">`);
    expect(html).toContain('<h2><a href="https://www.reuters.com/world/americas/colombia-petro-2026-11-23/?utm=1&amp;x=2">UPDATE 1-Colombia&#39;s Petro');
    expect(html).toContain('<p class="meta">Reuters · <time datetime="2026-11-23T16:40:00Z">23 Nov 2026, 16:40 UTC</time> · Luis Jaime Acosta</p>');
    expect(html).toContain('Second paragraph &amp; more.');
    expect(html).not.toContain('must NOT be republished');
    expect(html).not.toContain('must not show');
    expect(html).toContain(`<a href="${BASE_URL}/tags/place/bogota.rss" title="place:Bogotá">Bogotá</a>`);
    expect(html).toContain('Also reported by: <a href="https://apnews.com/article/colombia-petro-strikes?a=1&amp;b=2"');
    expect(html).toContain('<h4>Related Posts</h4>');
    expect(html).toContain('<p class="meta">AP &amp; Co · ');
  });

  it('defaults to the formats in the meta and says so when empty', () => {
    const empty = renderFeedHtml(buildMeta({ formats: ['json'] }), []);
    expect(empty).toContain('No stories in this feed yet.');
    expect(empty).toContain(`href="${BASE_URL}/feeds/latam.json"`);
    expect(empty).not.toContain('latam.rss');
  });
});

describe('OPML', () => {
  const opml = renderOpml([latam, buildMeta({ id: 'secret', title: 'A & B', selfUrl: `${BASE_URL}/feeds/secret.rss?token=t0k`, formats: ['atom', 'json'] })], { title: 'My <desk>' });

  it('is well-formed OPML 2.0 that an independent parser reads back', () => {
    expect(XMLValidator.validate(opml)).toBe(true);
    const parsed = parseOpml(opml);
    expect(parsed.head?.title).toBe('My <desk>');
    expect(parsed.body?.outlines?.map((outline) => [outline.text, outline.type, outline.xmlUrl, outline.htmlUrl])).toEqual([
      ['Latin America desk', 'rss', `${BASE_URL}/feeds/latam.rss`, `${BASE_URL}/feeds/latam`],
      ['A & B', 'rss', `${BASE_URL}/feeds/secret.atom?token=t0k`, `${BASE_URL}/feeds/latam`],
    ]);
    expect(opml).toContain('<opml version="2.0">');
  });
});

describe('feed.xsl and site.css', () => {
  it('is a well-formed XSLT 1.0 stylesheet handling RSS and Atom, without script or inline style', () => {
    expect(XMLValidator.validate(FEED_XSL)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(FEED_XSL) as Record<string, any>;
    const sheet = parsed['xsl:stylesheet'];
    expect(sheet['@version']).toBe('1.0');
    const matches = (sheet['xsl:template'] as Record<string, string>[]).map((template) => template['@match']).filter(Boolean);
    expect(matches).toEqual(expect.arrayContaining(['/rss', '/atom:feed', 'item', 'atom:entry']));
    expect(FEED_XSL).not.toMatch(/<script|\sstyle=|<style|disable-output-escaping/);
    expect(FEED_XSL).toContain('site.css');
  });

  it('ships CSS without external resources', () => {
    expect(SITE_CSS).toContain('.story');
    expect(SITE_CSS).not.toMatch(/url\(|@import/);
  });
});
