// Section 6: full fetch cycles of many local sources through app.refresh and the real fetch limiter.
import { join } from 'node:path';
import { openApp, type App } from '../../src/app.ts';
import { createFetchLimiter, hostOf } from '../../src/schedule/index.ts';
import { validateConfig } from '../../src/config/load.ts';
import { createStoryResolver, identifyItems, prepareItems } from '../../src/dedupe/index.ts';
import { htmlToText, parseFeed } from '../../src/parse/index.ts';
import { toRelatedDoc } from '../../src/relate/index.ts';
import type { RefreshOutcome } from '../../src/pipeline/refresh.ts';
import { startChild } from '../lib/process.ts';
import type { Reporter } from '../lib/stats.ts';
import type { BenchMode } from '../lib/mode.ts';

export function feedSourcesConfig(database: string, port: number, count: number, extra: Record<string, unknown> = {}) {
  return validateConfig({
    database,
    log: { level: 'silent' },
    // every source is on 127.0.0.1 here, so per_host is raised to the concurrency (real sources spread over many hosts)
    fetch: { allow_private_networks: ['127.0.0.1'], concurrency: 8, per_host: 8 },
    retention: { days: 3650 },
    sources: Array.from({ length: count }, (_, i) => ({ id: `site-${i}`, title: `Site ${i}`, url: `http://127.0.0.1:${port}/feed/${i}.xml` })),
    ...extra,
  });
}

/**
 * Items per feed document. Every new item costs 20–50 ms in a cycle (mostly related posts), so a first cycle of 1,000
 * feeds of 10 items took 2–4 minutes; the changed cycle measures the same work per feed apart from parsing 3 items
 * instead of 10 (~1 ms an item). `--full` keeps 10.
 */
export const itemsPerFeed = (mode: BenchMode): number => (mode.full ? 10 : 3);

/**
 * Stores every feed's current items before the measured cycles, through the pipeline's own calls (parse, identities,
 * dedupe keys, tags, ingestBatch, then the related-posts index) but without computing each story's related list:
 * 3,000 items took 2.5 minutes through app.refresh (~50 ms each) and ~30 s this way. The store then holds what a first
 * cycle leaves, except the persisted related lists; the sources have no validators yet.
 */
async function seedStore(app: App): Promise<{ items: number; seconds: number }> {
  const started = performance.now();
  const resolver = createStoryResolver(app.config.dedupe);
  const now = new Date();
  let items = 0;
  const touched: string[] = [];
  for (const source of app.config.sources) {
    const url = source.url as string;
    const response = await fetch(url);
    // the options refreshSource passes, so that identities and content hashes are the ones the cycles compute
    const feed = parseFeed(Buffer.from(await response.arrayBuffer()), { contentType: response.headers.get('content-type') ?? undefined, baseUrl: url, iframeHosts: [...app.config.content.iframe_hosts] });
    const { identities } = identifyItems(feed.items);
    const { prepared } = prepareItems(feed.items, { identities });
    const tagged = prepared.map((item) => ({
      ...item,
      tags: app.tagger.tag({ title: item.title, text: htmlToText(item.contentHtml ?? item.summary ?? ''), categories: item.categories, sourceId: source.id, sourceTags: [...source.tags], mapCategories: source.categories }),
    }));
    const result = await app.store.ingestBatch(source.id, tagged, resolver, { now, windowMs: app.config.dedupe.window });
    touched.push(...result.storiesTouched);
    items += tagged.length;
  }
  for (let i = 0; i < touched.length; i += 500) {
    const views = (await Promise.all(touched.slice(i, i + 500).map((id) => app.store.getStory(id)))).filter((v) => v !== undefined);
    await app.store.indexStories(views.map((view) => toRelatedDoc(view)));
  }
  return { items, seconds: (performance.now() - started) / 1000 };
}

export async function runFetchCycle(mode: BenchMode, report: Reporter): Promise<void> {
  const count = mode.quick ? 25 : 1000;
  const perFeed = itemsPerFeed(mode);
  const server = await startChild(process.execPath, ['--import', 'tsx', join(mode.root, 'bench/lib/feed-server.ts'), String(count), String(perFeed), '6'], { cwd: mode.root, timeoutMs: 120_000 });
  const port = server.ready['port'] as number;
  const base = `http://127.0.0.1:${port}`;
  const app = await openApp(feedSourcesConfig(join(mode.workDir, 'fetch-cycle.sqlite'), port, count));
  const limiter = createFetchLimiter({ concurrency: app.config.fetch.concurrency, perHost: app.config.fetch.per_host });
  const cycle = async () => {
    const started = performance.now();
    const outcomes: RefreshOutcome[] = await Promise.all(app.config.sources.map((s) => limiter.run(hostOf(s.url), () => app.refresh(s.id))));
    const seconds = (performance.now() - started) / 1000;
    const stats = (await (await fetch(`${base}/stats`)).json()) as { ok: number; notModified: number };
    return {
      seconds,
      ok: outcomes.filter((o) => o.ok).length,
      notModified: outcomes.filter((o) => o.notModified).length,
      items: outcomes.reduce((n, o) => n + o.itemsNew, 0),
      failed: outcomes.filter((o) => !o.ok).map((o) => `${o.sourceId}: ${o.errorCode}`).slice(0, 3),
      served: stats,
    };
  };
  try {
    const seeded = await seedStore(app);
    await fetch(`${base}/stats`); // the seeding requests are not counted below
    const first = await cycle();
    await fetch(`${base}/bump`, { method: 'POST' });
    const changed = await cycle();
    const unchanged = await cycle();
    const note = `${count} sources on 127.0.0.1, feeds of ${perFeed} items of 150–600 words, concurrency 8, per_host 8`;
    for (const c of [first, changed, unchanged]) if (c.failed.length) report.note(`fetch cycle: failures, e.g. ${c.failed.join('; ')}`);
    report.add({ section: '6 fetch', metric: `before the cycles: ${seeded.items} items stored through ingestBatch + indexStories`, value: seeded.seconds, unit: 's', note: 'the pipeline without the per-story related lists; not a cycle' });
    report.add({ section: '6 fetch', metric: `first cycle: every feed fetched in full (no validators yet), its items already stored (${first.items} new)`, value: first.seconds, unit: 's', note });
    report.add({ section: '6 fetch', metric: `cycle with every feed changed (one new item each: ${changed.items} stored)`, value: changed.seconds, unit: 's', goal: '< 3 s for 1,000 sources', met: mode.quick ? undefined : changed.seconds < 3 });
    const share = unchanged.served.notModified / Math.max(1, unchanged.served.notModified + unchanged.served.ok);
    report.add({
      section: '6 fetch', metric: 'next cycle, nothing changed', value: unchanged.seconds, unit: 's', goal: '< 1 s all-304 cycle', met: mode.quick ? undefined : unchanged.seconds < 1,
      note: `${(share * 100).toFixed(1)}% answered 304 (${unchanged.served.notModified} of ${unchanged.served.notModified + unchanged.served.ok})`,
    });
    report.add({ section: '6 fetch', metric: 'share of 304s on the unchanged cycle', value: share * 100, unit: '%' });
  } finally {
    await app.close();
    await server.stop();
  }
}
