// Table tests of the shared publisher helpers: URLs, slugs, authors, dates, illegal characters, excerpts.
import { describe, expect, it } from 'vitest';
import { buildBodyHtml, buildExcerpt } from '../../src/publish/content.ts';
import { buildFeedUrl, buildTagFeedMeta, buildTagFeedUrl, escapeHtml, parseAuthor, slugifyTagName, stripIllegalChars, toRfc3339, toRfc822, toSafeUrl } from '../../src/publish/text.ts';
import { buildStories } from '../fixtures/publish/stories.ts';

describe('buildFeedUrl', () => {
  it.each([
    ['stem', 'https://h.example/feeds/latam', 'atom', 'https://h.example/feeds/latam.atom'],
    ['another format', 'https://h.example/feeds/latam.rss', 'json', 'https://h.example/feeds/latam.json'],
    ['same format', 'https://h.example/p/feeds/latam.json', 'json', 'https://h.example/p/feeds/latam.json'],
    ['private token kept', 'https://h.example/feeds/x.rss?token=a&b=c', 'atom', 'https://h.example/feeds/x.atom?token=a&b=c'],
    ['tag feed', 'https://h.example/tags/place/colombia', 'rss', 'https://h.example/tags/place/colombia.rss'],
  ] as const)('%s', (_name, selfUrl, format, expected) => {
    expect(buildFeedUrl({ selfUrl }, format)).toBe(expected);
  });
});

describe('slugifyTagName', () => {
  it.each([
    ['Gustavo Petro', 'gustavo-petro'],
    ['Bogotá', 'bogota'],
    ['São Paulo', 'sao-paulo'],
    ['International Monetary Fund', 'international-monetary-fund'],
    ['U.S.', 'u-s'],
    ['  drugs & crime  ', 'drugs-crime'],
  ])('%s → %s', (name, slug) => {
    expect(slugifyTagName(name)).toBe(slug);
    expect(buildTagFeedUrl('https://h.example', `place:${name}`, 'rss')).toBe(`https://h.example/tags/place/${slug}.rss`);
  });
});

describe('buildTagFeedMeta', () => {
  it('addresses a tag feed by type and slug in every format', () => {
    const meta = buildTagFeedMeta('place:São Paulo', { baseUrl: 'https://h.example/p', updated: '2026-11-23T10:00:00Z' });
    expect(meta).toMatchObject({ id: 'tag-place-sao-paulo', title: 'São Paulo (place) · Wiredesk', htmlUrl: 'https://h.example/p/' });
    expect(buildFeedUrl(meta, 'json')).toBe('https://h.example/p/tags/place/sao-paulo.json');
  });
});

describe('parseAuthor', () => {
  it.each([
    ['name only', 'Jane Doe', { name: 'Jane Doe' }],
    ['RSS style', 'jane@example.org (Jane Doe)', { name: 'Jane Doe', email: 'jane@example.org' }],
    ['parser style', 'Jane Doe (jane@example.org)', { name: 'Jane Doe', email: 'jane@example.org' }],
    ['angle brackets', 'Jane Doe <jane@example.org>', { name: 'Jane Doe', email: 'jane@example.org' }],
    ['email only', 'jane@example.org', { email: 'jane@example.org' }],
    ['name with a parenthesis', 'Jane Doe (Reuters)', { name: 'Jane Doe (Reuters)' }],
    ['blank', '   ', undefined],
    ['missing', undefined, undefined],
  ] as const)('%s', (_name, input, expected) => {
    expect(parseAuthor(input)).toEqual(expected);
  });
});

describe('text cleaning and dates', () => {
  it('strips XML-illegal characters but keeps tab, newlines and astral characters', () => {
    expect(stripIllegalChars('a\u0000b\u0008c\u001Fd\tf\ng\r\uFFFEh\uD83D\uDE00i\uDC00j')).toBe('abcd\tf\ng\rh\uD83D\uDE00ij');
  });

  it('escapes HTML text and attributes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('keeps only absolute http(s) URLs', () => {
    expect(toSafeUrl('https://a.example/x?y=1&z=2')).toBe('https://a.example/x?y=1&z=2');
    expect(toSafeUrl('javascript:alert(1)')).toBeUndefined();
    expect(toSafeUrl('data:text/html,x')).toBeUndefined();
    expect(toSafeUrl('/relative')).toBeUndefined();
  });

  it('formats RFC 822 and RFC 3339 dates, and ignores invalid ones', () => {
    expect(toRfc822('2026-11-23T16:40:00.000Z')).toBe('Mon, 23 Nov 2026 16:40:00 GMT');
    expect(toRfc3339('2026-11-23T16:40:00.000Z')).toBe('2026-11-23T16:40:00Z');
    expect(toRfc3339('2026-11-23T16:40:00.250+01:00')).toBe('2026-11-23T15:40:00.250Z');
    expect(toRfc822('not a date')).toBeUndefined();
    expect(toRfc3339(undefined)).toBeUndefined();
  });
});

describe('content per republish policy', () => {
  it('cuts an excerpt at a word boundary when a summary source gave no summary', () => {
    const story = buildStories()[1]!;
    story.shown = { ...story.shown, summary: undefined, contentHtml: `<p>${'word '.repeat(100)}</p><script>x</script>` };
    const body = buildBodyHtml(story);
    expect(body.startsWith('<p>word word')).toBe(true);
    expect(body.endsWith('word…</p>')).toBe(true);
    expect(body.length).toBeLessThan(300);
    expect(buildExcerpt('<p>A &amp; B &lt;c&gt;</p>')).toBe('A & B <c>');
  });
});

describe('tag slugs (shared by the tag stage, the publishers and the tag routes)', () => {
  it('folds letters NFKD cannot split, the same way in both stages', async () => {
    const { slugifyTag } = await import('../../src/tag/index.ts');
    const { slugifyTagName } = await import('../../src/publish/text.ts');
    for (const [name, slug] of [['Łódź', 'lodz'], ['Øresund', 'oresund'], ['Gustavo Petro', 'gustavo-petro'], ['Bogotá', 'bogota'], ['Straße des 17. Juni', 'strasse-des-17-juni']] as const) {
      expect(slugifyTagName(name)).toBe(slug);
      expect(slugifyTag(name)).toBe(slug);
    }
  });
});
