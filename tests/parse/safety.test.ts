// Hostile documents: entity expansion bombs, external entities and DTDs, prototype pollution, deep nesting.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/parse/index.ts';

const timed = <T>(fn: () => T): { value: T; ms: number } => {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
};

describe('entity expansion', () => {
  it('does not expand a billion laughs', () => {
    const lols = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const input = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">${lols}]><rss><channel><title>&lol9;</title></channel></rss>`;
    const { value, ms } = timed(() => parseFeed(input));
    expect(ms).toBeLessThan(1000);
    expect((value.title ?? '').length).toBeLessThan(100);
    expect(value.warnings.some((w) => w.includes('not expanded'))).toBe(true);
  });

  it('does not expand a quadratic blow-up', () => {
    const big = 'a'.repeat(50_000);
    const input = `<!DOCTYPE rss [<!ENTITY a "${big}">]><rss><channel><title>${'&a;'.repeat(20_000)}</title></channel></rss>`;
    const before = process.memoryUsage().heapUsed;
    const { value, ms } = timed(() => parseFeed(input));
    expect(ms).toBeLessThan(1000);
    expect((value.title ?? '').length).toBeLessThan(100_000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('external entities and DTDs', () => {
  let server: Server;
  let hits = 0;
  let base = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end('<!ENTITY leak "LEAKED">');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('never reads files or URLs named by SYSTEM entities or an external DTD', async () => {
    const input = `<!DOCTYPE rss SYSTEM "${base}/feed.dtd" [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY web SYSTEM "${base}/x"><!ENTITY % p SYSTEM "${base}/p"> %p;]>
      <rss><channel><title>a&xxe;b&web;c&leak;</title></channel></rss>`;
    const feed = parseFeed(input);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hits).toBe(0);
    expect(feed.title).not.toMatch(/root:|LEAKED/);
    expect(feed.title?.startsWith('a')).toBe(true);
  });
});

describe('prototype pollution', () => {
  it('ignores __proto__ and constructor keys in JSON Feed', () => {
    const input = '{"version":"https://jsonfeed.org/version/1.1","title":"t","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"items":[{"id":"1","__proto__":{"polluted":"yes"},"title":"x","tags":["a"]}]}';
    const feed = parseFeed(input);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(feed, '__proto__')).toBe(false);
    expect(feed.items[0]?.title).toBe('x');
    expect(Object.getPrototypeOf(feed.items[0])).toBe(Object.prototype);
  });

  it('treats __proto__ and constructor in XML as plain names and text', () => {
    const input = '<rss><channel><title>&__proto__;&constructor;ok</title><__proto__ polluted="yes"><constructor/></__proto__><item __proto__="x" constructor="y"><title>t</title><category domain="__proto__">__proto__</category></item></channel></rss>';
    const feed = parseFeed(input);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(feed.title).toBe('&__proto__;&constructor;ok');
    expect(feed.items[0]?.categories).toEqual([{ term: '__proto__', domain: '__proto__' }]);
  });
});

describe('resource bounds', () => {
  it('survives very deep nesting without overflowing the stack', () => {
    const depth = 100_000;
    const input = `<rss><channel><title>deep</title><item><title>t</title><description>${'<b>'.repeat(depth)}x${'</b>'.repeat(depth)}</description></item></channel></rss>`;
    const { value, ms } = timed(() => parseFeed(input));
    expect(value.items[0]?.title).toBe('t');
    expect(ms).toBeLessThan(5000);
  });
});
