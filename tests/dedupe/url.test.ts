// Named cases for canonicalizeUrl: tracking parameters, AMP and mobile variants, cosmetic differences.
import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, isTrackingParam } from '../../src/dedupe/url.ts';

describe('canonicalizeUrl', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['tracking-parameter URL', 'https://www.example.com/world/story-123?utm_source=rss&utm_medium=feed&fbclid=IwAR0x&gclid=abc', 'https://example.com/world/story-123'],
    ['tracking mixed with real parameters, stable order', 'https://example.com/a?z=2&mc_cid=9&a=1&ocid=msn&utm_campaign=x', 'https://example.com/a?a=1&z=2'],
    ['AMP path', 'https://www.example.com/amp/world/story-123', 'https://example.com/world/story-123'],
    ['AMP trailing path segment', 'https://example.com/world/story-123/amp/', 'https://example.com/world/story-123'],
    ['AMP host and outputType', 'https://amp.example.com/world/story-123?outputType=amp', 'https://example.com/world/story-123'],
    ['?amp flag', 'https://example.com/world/story-123?amp', 'https://example.com/world/story-123'],
    ['.amp.html suffix', 'https://example.com/world/story-123.amp.html', 'https://example.com/world/story-123.html'],
    ['mobile host', 'https://m.example.com/world/story-123', 'https://example.com/world/story-123'],
    ['scheme, host case, default port, fragment', 'HTTP://WWW.Example.COM:80/World/Story#comments', 'https://example.com/World/Story'],
    ['non-default port kept', 'http://example.com:8080/story', 'https://example.com:8080/story'],
    ['outputType other than amp kept', 'https://example.com/s?outputType=print', 'https://example.com/s?outputType=print'],
    ['not http', 'ftp://example.com/file', undefined],
    ['not a URL', 'not a url', undefined],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => expect(canonicalizeUrl(input)).toBe(expected));
  }

  it('folds a syndicated copy with tracking parameters and the AMP variant of the same article to one form', () => {
    const original = canonicalizeUrl('https://www.reuters.example/article/norland-rates-idUS123');
    expect(canonicalizeUrl('https://www.reuters.example/article/norland-rates-idUS123?utm_source=partner&fbclid=x')).toBe(original);
    expect(canonicalizeUrl('https://amp.reuters.example/article/amp/norland-rates-idUS123?outputType=amp')).toBe(original);
  });

  it('reads the tracking list from data (names and prefixes), case-insensitively', () => {
    expect(isTrackingParam('utm_whatever')).toBe(true);
    expect(isTrackingParam('FBCLID')).toBe(true);
    expect(isTrackingParam('page')).toBe(false);
    expect(isTrackingParam('id')).toBe(false);
  });
});
