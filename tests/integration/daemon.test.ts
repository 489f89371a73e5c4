// The real daemon as a child process against fixture feeds on loopback: scheduled fetch, published feeds, 304s, clean stop.
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slugifyTagName } from '../../src/publish/text.ts';
import { fixture, startFixtureServer, startWiredesk, waitFor, writeTempConfig, type DaemonProcess, type FixtureServer } from './harness.ts';

interface JsonFeedItem {
  id: string;
  title: string;
  url: string;
  tags?: string[];
  content_html?: string;
  _wiredesk: { story_id: string; source: { id: string; attribution: string }; also_reported_by: { source: string; attribution: string; url: string }[] };
}

describe('wiredesk run (integration)', () => {
  let upstream: FixtureServer;
  let daemon: DaemonProcess;
  let base = '';
  let temp: ReturnType<typeof writeTempConfig>;
  const hubPings: string[] = [];
  let hub: Server;

  beforeAll(async () => {
    // a WebSub hub stand-in that records publish pings
    hub = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        hubPings.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((ok) => hub.listen(0, '127.0.0.1', ok));
    const hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/hub`;
    upstream = await startFixtureServer({
      '/wire.rss': { body: fixture('wire.rss'), type: 'application/rss+xml' },
      '/outlet.atom': { body: fixture('outlet.atom'), type: 'application/atom+xml; charset=utf-8' },
      '/agency.json': { body: fixture('agency.json'), type: 'application/feed+json' },
    });
    temp = writeTempConfig((dir) => `
server: { host: 127.0.0.1, port: 0, base_url: "http://feeds.example.test", websub_hub: "${hubUrl}" }
database: ${dir}/wiredesk.sqlite
log: { level: info }
fetch: { allow_private_networks: ["127.0.0.1"], timeout: 5s }
schedule: { every: 2s, min: 1s, adaptive: false }
sources:
  - { id: wire, title: Test Wire World, attribution: Test Wire, url: "${upstream.url}/wire.rss", priority: 10 }
  - { id: outlet, title: Test Outlet, url: "${upstream.url}/outlet.atom" }
  - { id: agency, title: Test Agency, url: "${upstream.url}/agency.json", republish: full }
feeds:
  - { id: all, title: Everything, description: Every story }
  - { id: outlet-only, title: Outlet, filter: { sources: [outlet] }, formats: [rss, json] }
`);
    daemon = startWiredesk(['run', '--config', temp.configPath]);
    base = await daemon.url;
  }, 30_000);

  afterAll(async () => {
    if (daemon.child.exitCode === null) daemon.child.kill('SIGKILL');
    await upstream.close();
    await new Promise<void>((ok) => hub.close(() => ok()));
    rmSync(temp.dir, { recursive: true, force: true });
  });

  const getJson = async () => (await (await fetch(`${base}/feeds/all.json`)).json()) as { items: JsonFeedItem[]; version: string };

  it('prints the URLs of the curated feeds on start', () => {
    expect(daemon.stdout()).toContain('http://feeds.example.test/feeds/all.rss');
    expect(daemon.stdout()).toContain('http://feeds.example.test/feeds/outlet-only.json');
    expect(daemon.stdout()).not.toContain('outlet-only.atom');
  });

  it('fetches every source on schedule and publishes one item per story with attribution', async () => {
    const feed = await waitFor(async () => {
      const json = await getJson();
      return json.items.length >= 6 ? json : undefined;
    }, 15_000, 'six stories in /feeds/all.json');
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    // 3 wire + 2 outlet + 2 agency items, of which the outlet's rates story is the wire's story with tracking parameters
    expect(feed.items).toHaveLength(6);
    const rates = feed.items.find((i) => i.title.startsWith('Central bank holds rates'));
    expect(rates?._wiredesk.source).toMatchObject({ id: 'wire', attribution: 'Test Wire' });
    expect(rates?._wiredesk.also_reported_by).toEqual([expect.objectContaining({ source: 'outlet', attribution: 'Test Outlet' })]);
    expect(rates?.id).toContain(rates?._wiredesk.story_id);
    for (const item of feed.items) expect(item._wiredesk.source.attribution).toBeTruthy();
    const election = feed.items.find((i) => i.title.startsWith('Opposition wins'));
    expect(election?.content_html).toContain('50.8%');
    expect(election?.content_html).not.toContain('<script');
    const strike = feed.items.find((i) => i.title.startsWith('Port workers'));
    expect(strike?.content_html ?? '').not.toContain('onclick');
  });

  it('serves the same stories as RSS and Atom, with the right content types', async () => {
    const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'item' || name === 'entry' });
    const rss = await fetch(`${base}/feeds/all.rss`);
    expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const rssDoc = parser.parse(await rss.text());
    expect(rssDoc.rss.channel.item).toHaveLength(6);
    const atom = await fetch(`${base}/feeds/all.atom`);
    expect(atom.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(parser.parse(await atom.text()).feed.entry).toHaveLength(6);
    const outletOnly = (await (await fetch(`${base}/feeds/outlet-only.json`)).json()) as { items: JsonFeedItem[] };
    // the rates story shows the outlet's own item inside a sources-filtered feed
    expect(outletOnly.items.map((i) => i._wiredesk.source.id)).toEqual(['outlet', 'outlet']);
    expect((await fetch(`${base}/feeds/outlet-only.atom`)).status).toBe(404);
  });

  it('answers revalidation with 304 and unknown paths with a plain 404', async () => {
    const first = await fetch(`${base}/feeds/all.rss`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect(first.headers.get('last-modified')).toBeTruthy();
    const again = await fetch(`${base}/feeds/all.rss`, { headers: { 'If-None-Match': etag as string } });
    expect(again.status).toBe(304);
    const missing = await fetch(`${base}/feeds/<script>.rss`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('not found\n');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const index = await (await fetch(`${base}/`)).text();
    expect(index).toContain('Everything');
    expect((await (await fetch(`${base}/feeds.opml`)).text())).toContain('http://feeds.example.test/feeds/all.rss');
  });

  it('serves a feed per tag, and lets browsers apply the XSL to RSS', async () => {
    const tagged = (await getJson()).items.find((i) => (i.tags ?? []).length > 0);
    const tag = tagged?.tags?.[0] as string;
    expect(tag).toMatch(/^[a-z]+:/);
    const [type, name] = [tag.slice(0, tag.indexOf(':')), tag.slice(tag.indexOf(':') + 1)];
    const tagFeed = await fetch(`${base}/tags/${type}/${slugifyTagName(name)}.json`);
    expect(tagFeed.status).toBe(200);
    const body = (await tagFeed.json()) as { items: JsonFeedItem[] };
    expect(body.items.map((i) => i.id)).toContain(tagged?.id);
    expect(body.items.every((i) => i.tags?.includes(tag))).toBe(true);
    expect((await fetch(`${base}/tags/${type}/no-such-tag-here.json`)).status).toBe(404);
    const rss = await fetch(`${base}/feeds/all.rss`);
    expect(rss.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await rss.text()).toContain('<?xml-stylesheet');
    expect((await fetch(`${base}/`)).headers.get('content-security-policy')).not.toContain('script-src');
  });

  it('polls again on schedule with conditional GET, and a 304 changes nothing', async () => {
    await waitFor(async () => (upstream.requests.some((r) => r.path === '/wire.rss' && r.status === 304) ? true : undefined), 10_000, 'a 304 from upstream');
    const conditional = upstream.requests.find((r) => r.status === 304);
    expect(conditional?.headers['if-none-match']).toBeTruthy();
    expect(conditional?.headers['user-agent']).toMatch(/Wiredesk/);
    expect((await getJson()).items).toHaveLength(6);
  });

  it('picks up a changed upstream feed at the next scheduled fetch', async () => {
    upstream.set('/wire.rss', fixture('wire.rss').replace('</channel>', `<item><title>Volcano erupts near Quito</title>
      <link>https://wire.test/world/volcano</link><guid isPermaLink="false">wire-test-0004</guid>
      <pubDate>Wed, 25 Nov 2026 06:00:00 GMT</pubDate><description>Ash fell on the capital.</description></item></channel>`), 'application/rss+xml');
    const feed = await waitFor(async () => {
      const json = await getJson();
      return json.items.length === 7 ? json : undefined;
    }, 10_000, 'the new wire story');
    expect(feed.items[0]?.title).toBe('Volcano erupts near Quito');
    // the hub hears that the feed changed (WebSub publish ping), with the public feed URL as topic
    await waitFor(async () => (hubPings.some((p) => p.includes(encodeURIComponent('http://feeds.example.test/feeds/all.rss'))) ? true : undefined), 10_000, 'a WebSub ping');
    expect(hubPings.every((p) => p.startsWith('hub.mode=publish'))).toBe(true);
    const rss = await (await fetch(`${base}/feeds/all.rss`)).text();
    expect(rss).toContain('rel="hub"');
  });

  it('gives each content-coding its own strong ETag, and revalidates any of them', async () => {
    const plain = await fetch(`${base}/feeds/all.json`, { headers: { 'Accept-Encoding': 'identity' } });
    const gzip = await fetch(`${base}/feeds/all.json`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gzip.headers.get('etag')).not.toBe(plain.headers.get('etag'));
    const again = await fetch(`${base}/feeds/all.json`, { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': gzip.headers.get('etag') as string } });
    expect(again.status).toBe(304);
    const head = await fetch(`${base}/feeds/all.json`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('stops cleanly on SIGTERM', async () => {
    daemon.child.kill('SIGTERM');
    const started = Date.now();
    const { code } = await daemon.exit;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    const lines = daemon.stderr().trim().split('\n').filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.some((line) => JSON.parse(line).msg === 'stopped')).toBe(true);
  });
});
