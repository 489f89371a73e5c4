// Named cases for the identity fallback chain and the 5% rule for feeds with missing or repeated guids.
import { describe, expect, it } from 'vitest';
import { assignIdentities } from '../../src/dedupe/identity.ts';
import type { ParsedItem } from '../../src/model/item.ts';

const item = (n: number, extra: Partial<ParsedItem> = {}): ParsedItem => ({
  guid: `urn:wire:${n}`, title: `Story ${n}`, link: `https://example.com/story-${n}?utm_source=rss`, summary: `Text ${n}`,
  categories: [], enclosures: [], ...extra,
});

describe('assignIdentities', () => {
  it('guid mode: every item has its own guid', () => {
    const result = assignIdentities(Array.from({ length: 20 }, (_, i) => item(i)));
    expect(result.mode).toBe('guid');
    expect(result.identities[3]).toBe('guid:urn:wire:3');
    expect(result.reason).toBeUndefined();
  });

  it('5% rule: 1 missing guid in 20 (exactly 5%) keeps guid mode, that item falls back to its canonical link', () => {
    const items = Array.from({ length: 20 }, (_, i) => item(i));
    items[7] = item(7, { guid: undefined });
    const result = assignIdentities(items);
    expect(result.mode).toBe('guid');
    expect(result.identities[7]).toBe('link:https://example.com/story-7');
    expect(result.identities[8]).toBe('guid:urn:wire:8');
  });

  it('5% rule: 2 missing guids in 20 (10%) switch the feed to link mode', () => {
    const items = Array.from({ length: 20 }, (_, i) => item(i));
    items[1] = item(1, { guid: undefined });
    items[2] = item(2, { guid: '  ' });
    const result = assignIdentities(items);
    expect(result.mode).toBe('link');
    expect(result.identities[5]).toBe('link:https://example.com/story-5');
    expect(result.reason).toMatch(/2 of 20 items have a missing or repeated guid/);
  });

  it('5% rule: a CMS that repeats one guid for every item is in link mode', () => {
    const result = assignIdentities(Array.from({ length: 10 }, (_, i) => item(i, { guid: 'https://example.com/feed' })));
    expect(result.mode).toBe('link');
    expect(new Set(result.identities).size).toBe(10);
  });

  it('identity fallback: no guid and no link → hash of title and content, distinct per content', () => {
    const items = [item(1, { guid: undefined, link: undefined }), item(2, { guid: undefined, link: undefined })];
    const result = assignIdentities(items);
    expect(result.identities[0]).toMatch(/^hash:[0-9a-f]{32}$/);
    expect(result.identities[0]).not.toBe(result.identities[1]);
    expect(result.reason).toMatch(/content hash/);
  });

  it('identity fallback: links repeated in link mode (every item links to the home page) → content hash', () => {
    const items = Array.from({ length: 4 }, (_, i) => item(i, { guid: undefined, link: 'https://example.com/' }));
    const result = assignIdentities(items);
    expect(result.mode).toBe('link');
    expect(result.identities.every((id) => id.startsWith('hash:'))).toBe(true);
    expect(new Set(result.identities).size).toBe(4);
  });

  it('the identity is stable across fetches when only tracking parameters change', () => {
    const first = assignIdentities([item(1, { guid: undefined })]);
    const second = assignIdentities([item(1, { guid: undefined, link: 'https://www.example.com/story-1?utm_source=twitter&fbclid=1' })]);
    expect(second.identities[0]).toBe(first.identities[0]);
  });
});
