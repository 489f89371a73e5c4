// Section 3: dedupe candidate lookup for one new item among 1,000,000 stored stories (bulk-generated database).
import { validateConfig } from '../../src/config/load.ts';
import { createStoryResolver, prepareItems } from '../../src/dedupe/index.ts';
import { parseFeed } from '../../src/parse/index.ts';
import type { PreparedItem } from '../../src/model/story.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { generateCorpus, renderRssDocument, tagsOf, type CorpusItem } from '../lib/corpus.ts';
import { ensureBulkDatabase } from '../lib/bulk.ts';
import { awaitCacheBuild } from '../lib/prebuild.ts';
import { median, quantile, type Reporter } from '../lib/stats.ts';
import type { BenchMode } from '../lib/mode.ts';

/** Real items (real keys and signatures) of a seeded corpus, stored among the bulk rows so that lookups can hit. */
export const REAL_SEED = 303;
export const REAL_STORIES = 1000;

/** Items as the pipeline sees them: rendered to RSS and parsed back, then prepared by the dedupe stage. */
export function prepareCorpusItems(items: readonly CorpusItem[]): PreparedItem[] {
  const out: PreparedItem[] = [];
  for (let i = 0; i < items.length; i += 100) {
    const chunk = items.slice(i, i + 100);
    const feed = parseFeed(renderRssDocument('bench', chunk));
    const { prepared } = prepareItems(feed.items);
    prepared.forEach((item, k) => out.push({ ...item, tags: tagsOf((chunk[k] as CorpusItem).story) }));
  }
  return out;
}

export function realCorpus(stories = REAL_STORIES) {
  return generateCorpus({ seed: REAL_SEED, stories, refileShare: 0.3, copyShare: 0.6, outlets: 20 });
}

const bulkOptionsCache = new Map<number, ReturnType<typeof makeBulkOptions>>();

/** The bulk database's options for `stories` (prepared once per run: dedup, memory and the 100k base share them). */
export function bulkOptions(stories: number) {
  let options = bulkOptionsCache.get(stories);
  if (!options) bulkOptionsCache.set(stories, (options = makeBulkOptions(stories)));
  return options;
}

function makeBulkOptions(stories: number) {
  const corpus = realCorpus(stories < 1_000_000 ? 200 : REAL_STORIES);
  const originals = corpus.items.filter((item) => item.kind === 'original');
  const prepared = prepareCorpusItems(originals);
  return {
    corpus,
    options: {
      stories, seed: 77, outlets: 20, spanMs: 30 * 86_400_000,
      realItems: prepared.map((item, i) => ({ sourceId: `real-${(originals[i] as CorpusItem).link.split('/')[2]?.split('.')[0] ?? 'x'}`, item })),
    },
  };
}

/** Stories of the bulk database: 1M (10k in quick mode, built in 2 s). */
export const bulkStories = (mode: BenchMode): number => (mode.quick ? 10_000 : 1_000_000);

export async function runDedup(mode: BenchMode, report: Reporter): Promise<void> {
  const stories = bulkStories(mode);
  await awaitCacheBuild(mode.cacheDir, `bulk:${stories}`, mode.log);
  const { corpus, options } = bulkOptions(stories);
  const bulk = ensureBulkDatabase(mode.cacheDir, options, mode.log);
  const store = new SqliteStore(bulk.path);
  const resolver = createStoryResolver(validateConfig({}).dedupe);
  const sourceOf = new Map(options.realItems.map((r) => [r.item.identity, r.sourceId]));
  try {
    // 400 copies/refiles and 300 new stories (default): enough for a median and a p99 of ingestBatch at ~13 ms each
    const copies = prepareCorpusItems(corpus.items.filter((item) => item.kind !== 'original').slice(0, mode.quick ? 150 : mode.full ? undefined : 400));
    const fresh = prepareCorpusItems(generateCorpus({ seed: 304, stories: mode.quick ? 100 : mode.full ? 500 : 320, refileShare: 0, copyShare: 0, outlets: 20, offset: 5_000_000 }).items);
    const window = 3 * 86_400_000;
    const now = new Date(bulk.now.getTime() + 60_000);
    // everything written below is rolled back: ingestBatch's own transaction becomes a SAVEPOINT inside this one
    store.db.exec('BEGIN');
    const measure = async (items: PreparedItem[], sourceOfItem: (item: PreparedItem) => string) => {
      const times: number[] = [];
      let joined = 0;
      for (const item of items) {
        const started = performance.now();
        const result = await store.ingestBatch(sourceOfItem(item), [item], resolver, { now, windowMs: window });
        times.push(performance.now() - started);
        if (result.itemsNew === 1 && !result.storiesTouched[0]?.startsWith('s_') === false && result.storiesTouched[0]?.startsWith('s_b')) joined++;
      }
      return { times, joined };
    };
    for (const item of fresh.slice(0, 20)) await store.ingestBatch('outlet-001', [item], resolver, { now, windowMs: window }); // warm-up
    const hits = await measure(copies, (item) => sourceOf.get(item.identity) ?? 'outlet-019');
    const misses = await measure(fresh.slice(20), () => 'outlet-002');
    store.db.exec('ROLLBACK');
    // The lookup alone: the two statements of findCandidates in src/store/sqlite/items.ts, copied here because that
    // function is private to the store (keep them in step). Read-only, so the same items can be looked up again.
    const findKeyMatches = store.db.prepare(`SELECT key, item_id FROM item_keys INDEXED BY item_keys_recent
      WHERE key = ? AND seen_at >= ? ORDER BY seen_at DESC LIMIT 40`);
    const loadCandidates = store.db.prepare(`SELECT i.id, i.story_id, i.source_id, s.attribution, i.title, i.link, i.canonical_url,
      i.guid, i.published, i.first_seen, i.signature FROM items i JOIN sources s ON s.id = i.source_id
      WHERE i.id IN (SELECT value FROM json_each(?))`);
    const since = new Date(now.getTime() - window).toISOString();
    const lookups: number[] = [];
    let candidates = 0;
    for (const item of [...copies, ...fresh]) {
      const started = performance.now();
      const ids = new Set<number>();
      for (const key of new Set(item.dedupeKeys)) {
        for (const row of findKeyMatches.all(key, since) as { item_id: number }[]) if (ids.size < 200) ids.add(row.item_id);
      }
      if (ids.size) candidates += loadCandidates.all(JSON.stringify([...ids])).length;
      lookups.push(performance.now() - started);
    }
    report.add({
      section: '3 dedup', metric: 'candidate lookup alone (the store\'s SQL), median', value: median(lookups), unit: 'ms',
      peers: { p99: quantile(lookups, 0.99) }, goal: '< 1 ms median at 1M', met: mode.quick ? undefined : median(lookups) < 1,
      note: `${(candidates / lookups.length).toFixed(1)} candidates per item on average`,
    });
    const rss = process.memoryUsage().rss / 1_048_576;
    const all = [...hits.times, ...misses.times];
    const note = `${bulk.stories.toLocaleString('en-US')} stories bulk-generated${mode.quick ? ' (quick mode: 10k, not 1M)' : ''}, ${bulk.keyRows > 0 ? `${(bulk.keyRows / 1e6).toFixed(1)}M key rows, ` : ''}${(bulk.bytes / 1_073_741_824).toFixed(1)} GB; ingestBatch of one item = candidate lookup + resolver + insert, rolled back`;
    report.add({ section: '3 dedup', metric: 'ingestBatch of one new item (lookup + resolve + write), median', value: median(all), unit: 'ms', note });
    report.add({ section: '3 dedup', metric: 'ingestBatch of one new item, p99', value: quantile(all, 0.99), unit: 'ms' });
    report.add({ section: '3 dedup', metric: `copies/refiles of stored stories (${hits.times.length}), median / p99`, value: median(hits.times), unit: 'ms', peers: { p99: quantile(hits.times, 0.99) } });
    report.add({ section: '3 dedup', metric: `new stories (${misses.times.length}), median / p99`, value: median(misses.times), unit: 'ms', peers: { p99: quantile(misses.times, 0.99) } });
    report.add({ section: '3 dedup', metric: 'bench process RSS after the lookups', value: rss, unit: 'MB' });
  } finally {
    if (store.db.inTransaction) store.db.exec('ROLLBACK');
    await store.close();
  }
}
