// Loose-mode recovery (what feedparser recovers from) and the coded errors for what cannot be read.
import { describe, expect, it } from 'vitest';
import { parseFeed, ParseError } from '../../src/parse/index.ts';

const rss = (title: string, prefix = ''): string => `${prefix}<rss version="2.0"><channel><title>${title}</title><item><title>${title}</title></item></channel></rss>`;

describe('recovery', () => {
  const cases: Array<{ name: string; input: string; title: string }> = [
    { name: 'bare ampersand', input: rss('AT&T buys T-Mobile & Sprint'), title: 'AT&T buys T-Mobile & Sprint' },
    { name: 'undeclared HTML entities', input: rss('Caf&eacute;&nbsp;society &mdash; &hellip;'), title: 'Café society — …' },
    { name: 'unknown entity kept as text', input: rss('a &bogus; b'), title: 'a &bogus; b' },
    { name: 'comment before the root and the XML declaration', input: rss('ok', '<!-- generated --><?xml version="1.0"?>'), title: 'ok' },
    { name: 'BOM and leading whitespace', input: rss('ok', '\uFEFF\n\n   '), title: 'ok' },
    { name: 'illegal control characters', input: rss('a\u0001b\u000Bc'), title: 'abc' },
    { name: 'C1 controls from cp1252 (demoronize)', input: rss('don&#146;t'), title: 'don’t' },
    { name: 'declared entity with a literal value', input: `<!DOCTYPE rss [<!ENTITY wire "Sample Wire">]>${rss('&wire; report')}`, title: 'Sample Wire report' },
    { name: 'uppercase element names', input: '<RSS><CHANNEL><TITLE>ok</TITLE><ITEM><TITLE>ok</TITLE></ITEM></CHANNEL></RSS>', title: 'ok' },
    { name: 'unclosed elements at end of file', input: '<rss><channel><title>ok</title><item><title>ok</title>', title: 'ok' },
    { name: 'undeclared namespace prefix', input: '<rss><channel><title>ok</title><item><title>ok</title><dc:creator>Jo</dc:creator></item></channel></rss>', title: 'ok' },
  ];
  for (const { name, input, title } of cases) {
    it(name, () => {
      const feed = parseFeed(input);
      expect(feed.title).toBe(title);
      expect(feed.items[0]?.title).toBe(title);
    });
  }

  it('reads dc:creator with an undeclared dc prefix', () => {
    expect(parseFeed(cases.at(-1)?.input ?? '').items[0]?.author).toBe('Jo');
  });

  it('records recovered problems as warnings', () => {
    expect(parseFeed('<rss><channel><title>a\u0001</title><item><pubDate>not a date</pubDate></item></channel></rss>').warnings).toEqual(
      expect.arrayContaining(['illegal control characters removed', 'unparsable date "not a date" in <pubdate>']),
    );
  });

  it('warns once about bare ampersands and undeclared entities', () => {
    const warnings = parseFeed(rss('AT&T &eacute;&eacute; &nbsp;')).warnings;
    expect(warnings).toContain('bare "&" read as text');
    expect(warnings).toContain('entities used without a declaration: &eacute; &nbsp;');
    expect(parseFeed(`<!DOCTYPE rss [<!ENTITY w "W">]>${rss('&w; &amp;')}`).warnings).toEqual([]);
  });

  it('regression: malformed attribute and element names ("x:", ":y") do not crash (found by fuzzing)', () => {
    const feed = parseFeed('<rss><channel><item><title>t</title><description><p x:="1" :y="2" z:>hi</p><q:>a</q:></description></item></channel></rss>');
    expect(feed.items[0]?.summary).toContain('hi');
  });

  it('skips text a server printed before the XML', () => {
    const feed = parseFeed(`\nWarning: mysql_connect() failed in /var/www/feed.php on line 3\n<?xml version="1.0"?>${rss('ok')}`);
    expect(feed.title).toBe('ok');
    expect(feed.warnings[0]).toMatch(/characters of text before the XML ignored/);
  });

  it('reads a feed wrapped in an XHTML page', () => {
    const feed = parseFeed('<html xmlns="http://www.w3.org/1999/xhtml"><body><feed xmlns="http://www.w3.org/2005/Atom"><title>inner</title></feed></body></html>');
    expect([feed.format, feed.title]).toEqual(['atom', 'inner']);
  });
});

describe('errors', () => {
  const cases: Array<{ name: string; input: string; code: string; message: RegExp }> = [
    { name: 'empty document', input: '  ', code: 'PARSE_MALFORMED', message: /empty document/ },
    { name: 'HTML page', input: '<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>', code: 'PARSE_UNKNOWN_FORMAT', message: /HTML page/ },
    { name: 'other XML', input: '<catalog><book>x</book></catalog>', code: 'PARSE_UNKNOWN_FORMAT', message: /<catalog>/ },
    { name: 'plain text', input: 'hello world', code: 'PARSE_UNKNOWN_FORMAT', message: /not XML or JSON/ },
    { name: 'broken JSON', input: '{"version": "https://jsonfeed.org/version/1.1", "items": [', code: 'PARSE_MALFORMED', message: /not valid JSON/ },
    { name: 'JSON that is not a feed', input: '{"hello": 1}', code: 'PARSE_UNKNOWN_FORMAT', message: /not a JSON Feed/ },
    { name: 'only a comment', input: '<!-- nothing here -->', code: 'PARSE_MALFORMED', message: /no root element/ },
  ];
  for (const { name, input, code, message } of cases) {
    it(name, () => {
      let caught: unknown;
      try {
        parseFeed(input);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ParseError);
      expect((caught as ParseError).code).toBe(code);
      expect((caught as ParseError).stage).toBe('parse');
      expect((caught as ParseError).message).toMatch(message);
    });
  }
});
