// Sanitizer behaviour, and the OWASP XSS filter evasion vectors in every text and HTML field of every format.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedFeed } from '../../src/model/item.ts';
import { htmlToText, parseFeed, sanitizeHtml } from '../../src/parse/index.ts';

const VECTORS = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'parse', 'owasp-xss-vectors.json'), 'utf8')) as string[];

/** Active content in HTML we output: executable tags, handlers, style, dangerous URL schemes (after entity decoding). */
function findActive(html: string): string | undefined {
  const decoded = html.replace(/&#x([0-9a-f]+);?/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&#(\d+);?/g, (_m, d: string) => String.fromCodePoint(Number(d)));
  const patterns = [
    /<\s*(script|style|iframe|object|embed|applet|form|input|button|svg|math|base|meta|link|frame|frameset|bgsound|body|xss|noscript)\b/i,
    /<[^>]*\son[a-z]+\s*=/i,
    /<[^>]*\sstyle\s*=/i,
    /<[^>]*\s(background|dynsrc|lowsrc|formaction|action|data)\s*=/i,
    /<[^>]*=\s*["']?\s*(javascript|vbscript|livescript|data)\s*:/i,
  ];
  for (const p of patterns) {
    const m = p.exec(decoded);
    if (m) return m[0];
  }
  return undefined;
}

/** Text fields are plain text: they must hold no executable markup, even for a reader that renders them as HTML. */
const hasMarkup = (text: string | undefined): boolean => !!text && findActive(text) !== undefined;

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cdata = (s: string): string => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

/** The vector placed in every field of one document per format, escaped (as feeds do) and as CDATA. */
function documents(vector: string): Array<[string, string]> {
  const e = escapeXml(vector);
  const c = cdata(vector);
  return [
    ['rss escaped', `<rss version="2.0"><channel><title>${e}</title><description>${e}</description><item><title>${e}</title><author>${e}</author><description>${e}</description><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">${e}</content:encoded><category>${e}</category><link>${e}</link></item></channel></rss>`],
    ['rss cdata', `<rss version="2.0"><channel><title>${c}</title><item><title>${c}</title><dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">${c}</dc:creator><description>${c}</description></item></channel></rss>`],
    ['atom html', `<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">${e}</title><subtitle type="html">${e}</subtitle><entry><title type="html">${e}</title><author><name>${e}</name></author><summary type="html">${e}</summary><content type="html">${e}</content><link href="${e.replace(/"/g, '&quot;')}"/></entry></feed>`],
    ['atom text', `<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">${e}</title><entry><title>${e}</title><summary>${e}</summary><content type="text">${e}</content></entry></feed>`],
    ['json', JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: vector, description: vector, items: [{ id: '1', title: vector, summary: vector, content_html: vector, url: vector, image: vector, authors: [{ name: vector }], tags: [vector] }] })],
  ];
}

function checkFeed(feed: ParsedFeed): string[] {
  const problems: string[] = [];
  const text = { 'feed title': feed.title, 'feed description': feed.description };
  for (const [field, value] of Object.entries(text)) if (hasMarkup(value)) problems.push(`${field}: ${value}`);
  for (const url of [feed.link, feed.image]) if (url && !/^https?:/i.test(url)) problems.push(`feed url: ${url}`);
  for (const item of feed.items) {
    const fields = { title: item.title, author: item.author, category: item.categories.map((c) => c.term).join(' ') };
    for (const [field, value] of Object.entries(fields)) if (hasMarkup(value)) problems.push(`${field}: ${value}`);
    for (const [field, value] of Object.entries({ summary: item.summary, content: item.contentHtml })) {
      const active = value ? findActive(value) : undefined;
      if (active) problems.push(`${field}: ${active} in ${value}`);
    }
    for (const url of [item.link, item.image, ...item.enclosures.map((e) => e.url)]) if (url && !/^https?:/i.test(url)) problems.push(`url: ${url}`);
  }
  return problems;
}

describe('OWASP XSS filter evasion vectors in every field', () => {
  VECTORS.forEach((vector, index) => {
    it(`vector ${index + 1}: ${vector.slice(0, 50)}`, () => {
      for (const [name, doc] of documents(vector)) {
        const feed = parseFeed(doc, { baseUrl: 'https://site.example/feed' });
        expect({ name, problems: checkFeed(feed) }).toEqual({ name, problems: [] });
      }
    });
  });
});

describe('sanitizeHtml', () => {
  const base = { baseUrl: 'https://site.example/dir/page' };
  const cases: Array<[string, string, string]> = [
    ['keeps allowed markup', '<p>Hello <strong>world</strong> <em>!</em></p>', '<p>Hello <strong>world</strong> <em>!</em></p>'],
    ['drops scripts with their content', '<p>a<script>alert(1)</script>b</p>', '<p>ab</p>'],
    ['drops event handlers and style', '<p onclick="x()" style="color:red">t</p>', '<p>t</p>'],
    ['makes links absolute', '<a href="../x?a=1&amp;b=2">l</a>', '<a href="https://site.example/x?a=1&amp;b=2">l</a>'],
    ['makes image srcset absolute', '<img src="a.png" srcset="b.png 2x, /c.png 3x">', '<img src="https://site.example/dir/a.png" srcset="https://site.example/dir/b.png 2x, https://site.example/c.png 3x" />'],
    ['drops javascript: with entities and whitespace', '<a href="&#106;ava&#x09;script:alert(1)">x</a>', '<a>x</a>'],
    ['drops data: images', '<img src="data:image/png;base64,AAAA">', '<img />'],
    ['drops iframes by default', '<iframe src="https://www.youtube.com/embed/x"></iframe>ok', 'ok'],
  ];
  for (const [name, input, expected] of cases) it(name, () => expect(sanitizeHtml(input, base)).toBe(expected));

  it('keeps iframes only from allowed hosts', () => {
    const html = '<iframe src="https://www.youtube.com/embed/x"></iframe><iframe src="https://evil.example/x"></iframe>';
    const out = sanitizeHtml(html, { iframeHosts: ['www.youtube.com'] });
    expect(out).toContain('src="https://www.youtube.com/embed/x"');
    expect(out).not.toContain('evil.example');
  });
});

describe('htmlToText', () => {
  const cases: Array<[string, string]> = [
    ['<p>One</p><p>Two</p>', 'One Two'],
    ['AT&amp;T &eacute;t&eacute; &#8211; &lt;b&gt;', 'AT&T été – <b>'],
    ['a<script>evil()</script> b<style>x{}</style>', 'a b'],
    ['  spaced \n\t out  ', 'spaced out'],
    ['line<br>break', 'line break'],
  ];
  for (const [input, expected] of cases) it(JSON.stringify(input), () => expect(htmlToText(input)).toBe(expected));
});

describe('text fields', () => {
  it('keep harmless angle brackets as text', () => {
    const feed = parseFeed('<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">History of the &amp;lt;blink&amp;gt; tag</title></feed>');
    expect(feed.title).toBe('History of the <blink> tag');
  });

  it('reduce text carrying executable markup to its visible text', () => {
    const feed = parseFeed('<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Hi &lt;img src=x onerror=alert(1)&gt;there</title><entry><title>t</title><author><name>&lt;script&gt;alert(1)&lt;/script&gt;Ann</name></author></entry></feed>');
    expect(feed.title).toBe('Hi there');
    expect(feed.items[0]?.author).toBe('Ann');
  });
});
