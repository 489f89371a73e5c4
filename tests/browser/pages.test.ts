// Debian's Chromium (playwright-core) on the real daemon: the index and a feed page render, links work, no CSP violation; screenshots.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../integration/harness.ts';
import { requireTool, startSampleDaemon, type SampleDaemon } from '../readers/sample-daemon.ts';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';
const XSLTPROC = '/usr/bin/xsltproc';
const SCREENSHOTS = join(ROOT, 'docs/screenshots');
/** The flags that work on this machine (/work/shared/STACK.md); playwright adds --headless and the user-data-dir. */
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const DISCOVERY: Record<string, string> = { rss: 'application/rss+xml', atom: 'application/atom+xml', json: 'application/feed+json' };

interface JsonFeed {
  title: string;
  items: { id: string; title: string; url?: string }[];
}

/** What a page did wrong: console errors (CSP violations among them), uncaught errors, failed requests. */
interface PageTrouble {
  cspViolations: string[];
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
}

/** Only the daemon is reachable: story images point at .example hosts (RFC 2606), and tests never touch the internet. */
function isLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'data:' || protocol === 'about:' || hostname === '127.0.0.1';
}

function watchPage(page: Page): PageTrouble {
  const trouble: PageTrouble = { cspViolations: [], consoleErrors: [], pageErrors: [], failedRequests: [] };
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) trouble.cspViolations.push(message.text());
    // Chromium asks for /favicon.ico on its own; Wiredesk serves none (a plain 404), which is not a page fault
    // (requests we block to non-loopback hosts log an error too: those are the test's doing, not the page's)
    else if (message.type() === 'error' && isLoopback(message.location().url || 'about:blank') && !message.location().url.endsWith('/favicon.ico')) trouble.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => trouble.pageErrors.push(error.message));
  page.on('requestfailed', (request) => {
    if (isLoopback(request.url())) trouble.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico') trouble.failedRequests.push(`${response.url()}: ${response.status()}`);
  });
  return trouble;
}

describe('the browser pages in Chromium', () => {
  let sample: SampleDaemon;
  let context: BrowserContext;
  let profile: string;
  const jsonFeeds = new Map<string, JsonFeed>();

  beforeAll(async () => {
    requireTool('chromium', { command: CHROMIUM, args: ['--version'] }, 'Install it with: apt-get install chromium (.ci/run does).');
    sample = await startSampleDaemon();
    for (const feed of sample.feeds) jsonFeeds.set(feed.id, (await (await fetch(`${sample.base}/feeds/${feed.id}.json`)).json()) as JsonFeed);
    profile = mkdtempSync(join(tmpdir(), 'wiredesk-chromium-')); // a fresh --user-data-dir per run
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1200, height: 900 },
      deviceScaleFactor: 1,
      timeout: 30_000,
    });
    await context.route('**/*', (route) => (isLoopback(route.request().url()) ? route.continue() : route.abort('blockedbyclient')));
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await sample?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('/ lists every feed with subscribe and autodiscovery links; its feed page shows the stories', async () => {
    const page = await context.newPage();
    const trouble = watchPage(page);
    const response = await page.goto(`${sample.base}/`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    await expect(page.title()).resolves.toBe('Wiredesk');

    const publicFeeds = sample.feeds.filter((f) => !f.isPrivate);
    const cards = page.locator('ul.feeds > li.feed');
    await expect(cards.count()).resolves.toBe(publicFeeds.length);
    for (const feed of publicFeeds) {
      const card = page.locator(`#feed-${feed.id}`);
      await expect(card.locator('h2 a').textContent()).resolves.toBe(feed.title);
      await expect(card.locator('h2 a').getAttribute('href')).resolves.toBe(`${sample.base}/feeds/${feed.id}`);
      await expect(card.locator('p.meta').textContent()).resolves.toContain(`${jsonFeeds.get(feed.id)?.items.length} stories`);
      const subscribe = await card.locator('ul.subscribe a').evaluateAll((links) => links.map((a) => [a.getAttribute('href'), a.getAttribute('type')]));
      expect(subscribe).toEqual(feed.formats.map((format) => [`${sample.base}/feeds/${feed.id}.${format}`, DISCOVERY[format]]));
      for (const [href, type] of subscribe) {
        const head = await page.request.head(href as string);
        expect([href, head.status(), head.headers()['content-type']?.split(';')[0]]).toEqual([href, 200, type]);
      }
    }
    const alternates = await page.locator('head link[rel="alternate"]').evaluateAll((links) => links.map((l) => `${l.getAttribute('type')} ${l.getAttribute('href')}`));
    expect(alternates).toEqual([
      ...publicFeeds.flatMap((feed) => feed.formats.map((format) => `${DISCOVERY[format]} ${sample.base}/feeds/${feed.id}.${format}`)),
      `text/x-opml ${sample.base}/feeds.opml`,
    ]);
    // the stylesheet really applied (a CSP block or a 404 would leave the browser's default margins)
    await expect(page.locator('body').evaluate((body) => body.ownerDocument.defaultView?.getComputedStyle(body).marginTop)).resolves.not.toBe('8px');
    await page.screenshot({ path: join(SCREENSHOTS, 'index.png') });

    // follow the first feed's title, as a visitor would
    const first = publicFeeds[0];
    if (!first) throw new Error('the shipped config has no public feed');
    await Promise.all([page.waitForURL(`${sample.base}/feeds/${first.id}`), page.locator(`#feed-${first.id} h2 a`).click()]);
    await expect(page.locator('h1').textContent()).resolves.toBe(first.title);
    const json = jsonFeeds.get(first.id) as JsonFeed;
    const stories = page.locator('main article.story');
    await expect(stories.count()).resolves.toBe(json.items.length);
    const headlines = await stories.locator('h2').evaluateAll((h2s) => h2s.map((h) => h.textContent));
    expect(headlines).toEqual(json.items.map((item) => item.title));
    const storyLinks = await stories.locator('h2 a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(storyLinks).toEqual(json.items.map((item) => item.url));
    await expect(page.locator('main article.story .meta').first().textContent()).resolves.toMatch(/\d{4}, \d\d:\d\d UTC/);
    await expect(page.locator('main article.story ul.tags li').count()).resolves.toBeGreaterThan(0);
    const feedSubscribe = await page.locator('header ul.subscribe a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(feedSubscribe).toEqual(first.formats.map((format) => `${sample.base}/feeds/${first.id}.${format}`));
    const feedAlternates = await page.locator('head link[rel="alternate"]').evaluateAll((links) => links.map((l) => l.getAttribute('type')));
    expect(feedAlternates).toEqual(first.formats.map((format) => DISCOVERY[format]));
    await expect(page.locator('a', { hasText: '← All feeds' }).getAttribute('href')).resolves.toBe(`${sample.base}/`);
    await page.screenshot({ path: join(SCREENSHOTS, 'feed.png') });

    expect(trouble.cspViolations).toEqual([]);
    expect(trouble.pageErrors).toEqual([]);
    expect(trouble.failedRequests).toEqual([]);
    expect(trouble.consoleErrors).toEqual([]);
    await page.close();
  });

  it('Chromium shows a served RSS feed as text: it does not apply /feed.xsl to application/rss+xml', async () => {
    const page = await context.newPage();
    const trouble = watchPage(page);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const response = await page.goto(`${sample.base}/feeds/world.rss`, { waitUntil: 'load' });
    expect(response?.headers()['content-type']).toBe('application/rss+xml; charset=utf-8');
    // Chromium 156 renders an application/rss+xml response as plain text (no XML tree, no XSLT): the page is the
    // raw document in a <pre>, and the stylesheet is never fetched. The HTML page /feeds/world is the browser view.
    const shown = await page.locator('body').evaluate((body) => ({ pre: body.querySelectorAll(':scope > pre').length, text: (body as { innerText: string }).innerText.slice(0, 200) }));
    expect(shown.pre).toBe(1);
    expect(shown.text).toContain('<?xml-stylesheet type="text/xsl"');
    expect(requested).not.toContain('/feed.xsl');
    expect(trouble.cspViolations).toEqual([]);
    await page.close();
  });

  it('feed.xsl styles the RSS feed in an XSLT processor (xsltproc, libxslt); screenshot of that page', async () => {
    requireTool('xsltproc', { command: XSLTPROC, args: ['--version'] }, 'Install it with: apt-get install xsltproc (.ci/run does).');
    const dir = mkdtempSync(join(tmpdir(), 'wiredesk-xsl-'));
    try {
      const rss = join(dir, 'world.rss');
      const xsl = join(dir, 'feed.xsl');
      writeFileSync(rss, await (await fetch(`${sample.base}/feeds/world.rss`)).text());
      writeFileSync(xsl, await (await fetch(`${sample.base}/feed.xsl`)).text());
      const { stdout: html } = await run(XSLTPROC, [xsl, rss], { timeout: 20_000, maxBuffer: 16 << 20 });
      const page = await context.newPage();
      const trouble = watchPage(page);
      // The transformed page is shown from its own origin-less document; it loads /site.css from the daemon as Firefox would.
      await page.setContent(html, { waitUntil: 'load' });
      const json = jsonFeeds.get('world') as JsonFeed;
      await expect(page.title()).resolves.toBe(`${json.title} (feed)`);
      const headlines = await page.locator('main article.story h2').evaluateAll((h2s) => h2s.map((h) => h.textContent));
      expect(headlines).toEqual(json.items.map((item) => item.title));
      await expect(page.locator('p.notice a').first().getAttribute('href')).resolves.toBe(`${sample.base}/feeds/world.rss`);
      await expect(page.locator('body').evaluate((body) => body.ownerDocument.defaultView?.getComputedStyle(body).marginTop)).resolves.not.toBe('8px');
      await page.screenshot({ path: join(SCREENSHOTS, 'feed-xsl.png') });
      expect(trouble.pageErrors).toEqual([]);
      expect(trouble.failedRequests).toEqual([]);
      await page.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
