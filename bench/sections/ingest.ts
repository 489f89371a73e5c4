// Section 2: items/s through parse → dedupe → tag → store (then related posts) at 10k and 100k stored stories,
// split by stage; peer: Debian's python3-feedparser, parse only, on the same documents.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { createStoryResolver, prepareItems } from '../../src/dedupe/index.ts';
import { htmlToText, parseFeed } from '../../src/parse/index.ts';
import type { PreparedItem } from '../../src/model/story.ts';
import { computeRelated, refreshRelated, resolveRelateOptions } from '../../src/relate/index.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { createTagger } from '../../src/tag/index.ts';
import { generateCorpus, outletId, renderAtomDocument, renderRssDocument } from '../lib/corpus.ts';
import { baseDatabaseCopy } from '../lib/base.ts';
import { awaitCacheBuild } from '../lib/prebuild.ts';
import { median, quantile, type Reporter } from '../lib/stats.ts';
import type { BenchMode } from '../lib/mode.ts';

const OUTLETS = 20;

export function benchConfig(database: string, extra: Record<string, unknown> = {}): Config {
  return validateConfig({
    database,
    log: { level: 'silent' },
    sources: Array.from({ length: OUTLETS }, (_, i) => ({ id: outletId(i), title: `Outlet ${i}`, url: `http://127.0.0.1:9/${outletId(i)}.xml` })),
    ...extra,
  });
}

/** The measured documents: each outlet's items in feeds of at most 50, RSS for most outlets and Atom for every fourth. */
function measuredDocuments(stories: number, seed: number): { sourceId: string; text: string; items: number }[] {
  const corpus = generateCorpus({ seed, stories, refileShare: 0.1, copyShare: 0.15, outlets: OUTLETS, offset: 1_000_000 * seed });
  const docs: { sourceId: string; text: string; items: number }[] = [];
  for (const [sourceId, items] of corpus.byOutlet) {
    for (let i = 0; i < items.length; i += 50) {
      const chunk = items.slice(i, i + 50);
      const index = Number(sourceId.split('-')[1] ?? 0);
      docs.push({ sourceId, text: index % 4 === 3 ? renderAtomDocument(sourceId, chunk) : renderRssDocument(sourceId, chunk), items: chunk.length });
    }
  }
  // interleave sources as a fetch cycle would
  return docs.sort((a, b) => (a.text.length % 7) - (b.text.length % 7));
}

interface StageTimes { parse: number; dedupe: number; tag: number; store: number; relate: number }

async function measureAt(mode: BenchMode, report: Reporter, base: number, newStories: number): Promise<{ docs: { text: string; items: number }[]; parseItemsPerSec: number }> {
  const path = join(mode.workDir, `ingest-${base}.sqlite`);
  const config = benchConfig(path);
  await awaitCacheBuild(mode.cacheDir, `base:${base}`, mode.log);
  const built = await baseDatabaseCopy(mode.cacheDir, path, base, config, mode.log);
  const store = new SqliteStore(path);
  const tagger = createTagger(config.tagging);
  const resolver = createStoryResolver(config.dedupe);
  const relateOptions = resolveRelateOptions();
  const sources = new Map(config.sources.map((s) => [s.id, s]));
  const docs = measuredDocuments(newStories, base < 100_000 ? 21 : 22);
  const times: StageTimes = { parse: 0, dedupe: 0, tag: 0, store: 0, relate: 0 };
  let items = 0;
  let stored = 0;
  let touchedTotal = 0;
  const now = new Date();
  try {
    // warm-up on one document outside the timings (JIT, prepared statements, gazetteer)
    for (const doc of docs.slice(0, 1)) tagger.tag({ title: 'x', text: htmlToText(doc.text.slice(0, 2000)), categories: [], sourceId: doc.sourceId, sourceTags: [], mapCategories: true });
    for (const doc of docs) {
      const source = sources.get(doc.sourceId);
      if (!source) continue;
      let t = performance.now();
      const feed = parseFeed(Buffer.from(doc.text), { contentType: 'application/rss+xml; charset=utf-8' });
      times.parse += performance.now() - t;
      t = performance.now();
      const { prepared } = prepareItems(feed.items);
      times.dedupe += performance.now() - t;
      t = performance.now();
      // the same calls as src/pipeline/ingest.ts ingestDocuments, timed one by one
      const tagged: PreparedItem[] = prepared.map((item) => ({
        ...item,
        tags: tagger.tag({ title: item.title, text: htmlToText(item.contentHtml ?? item.summary ?? ''), categories: item.categories, sourceId: source.id, sourceTags: [...source.tags], mapCategories: source.categories }),
      }));
      times.tag += performance.now() - t;
      t = performance.now();
      const result = await store.ingestBatch(source.id, tagged, resolver, { now, windowMs: config.dedupe.window });
      times.store += performance.now() - t;
      t = performance.now();
      await refreshRelated(store, result.storiesTouched, relateOptions);
      times.relate += performance.now() - t;
      items += tagged.length;
      stored += result.itemsNew;
      touchedTotal += result.storiesTouched.length;
    }
    const pipelineMs = times.parse + times.dedupe + times.tag + times.store;
    const rate = items / (pipelineMs / 1000);
    const label = `at ${base / 1000}k stored`;
    const joined = (store.db.prepare("SELECT COUNT(*) AS n FROM story_decisions WHERE rule NOT LIKE 'new-story%' AND decided_at = ?").get(now.toISOString()) as { n: number }).n;
    const baseNote = `base of ${base.toLocaleString('en-US')} stories ${built.how}${built.cached ? ' (cached)' : ''}; ${items} measured items of which ${joined} joined an existing story (refiles, copies)`;
    report.add({
      section: '2 ingest', metric: `${label}: parse → dedupe → tag → store`, value: rate, unit: 'items/s',
      goal: base >= 100_000 ? '≥ 500 items/s at 100k' : undefined, met: base >= 100_000 ? rate >= 500 : undefined, note: baseNote,
    });
    report.add({ section: '2 ingest', metric: `${label}: with related posts after each batch`, value: items / ((pipelineMs + times.relate) / 1000), unit: 'items/s' });
    for (const stage of Object.keys(times) as (keyof StageTimes)[]) {
      report.add({ section: '2 ingest', metric: `${label}: stage ${stage}`, value: times[stage] / items, unit: 'ms/item', note: `${((100 * times[stage]) / (pipelineMs + times.relate)).toFixed(0)}% of the time` });
    }
    // related posts per story, one at a time, on the stories just stored (what refreshRelated computes for each)
    const sample = (store.db.prepare('SELECT story_id FROM related_index ORDER BY rowid DESC LIMIT ?').all(mode.quick ? 50 : 200) as { story_id: string }[]).map((r) => r.story_id);
    const relTimes: number[] = [];
    for (const id of sample) {
      const t = performance.now();
      await computeRelated(store, id, relateOptions);
      relTimes.push(performance.now() - t);
    }
    const relMedian = median(relTimes);
    report.add({
      section: '2 ingest', metric: `${label}: related posts for one story (computeRelated), median`, value: relMedian, unit: 'ms',
      peers: { p99: quantile(relTimes, 0.99) }, goal: base >= 100_000 ? '< 5 ms median at 100k' : undefined, met: base >= 100_000 ? relMedian < 5 : undefined,
    });
    if (touchedTotal === 0) report.note('ingest: no story touched?');
    return { docs, parseItemsPerSec: items / (times.parse / 1000) };
  } finally {
    await store.close();
  }
}

/** Debian's python3-feedparser on the same documents, parse only (the Planet-style reference). */
function measureFeedparser(mode: BenchMode, report: Reporter, docs: { text: string; items: number }[], ownItemsPerSec: number): void {
  const python = '/usr/bin/python3';
  const script = join(mode.root, 'bench', 'feedparser_peer.py');
  const hasFeedparser = existsSync(python) && (() => {
    try {
      execFileSync(python, ['-c', 'import feedparser'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!hasFeedparser) {
    report.note('python3-feedparser peer skipped: /usr/bin/python3 with feedparser is missing (apt-get install python3-feedparser)');
    return;
  }
  const dir = join(mode.workDir, 'feedparser-docs');
  mkdirSync(dir, { recursive: true });
  docs.forEach((doc, i) => writeFileSync(join(dir, `${String(i).padStart(5, '0')}.xml`), doc.text));
  const out = JSON.parse(execFileSync(python, [script, dir, String(mode.quick ? 1 : 3)], { encoding: 'utf8', maxBuffer: 1 << 24 })) as { items: number; seconds: number[]; version: string };
  const itemsPerSec = out.items / median(out.seconds);
  report.add({
    section: '2 ingest', metric: 'parse only, same documents', value: ownItemsPerSec, unit: 'items/s',
    peers: { [`python3-feedparser ${out.version}`]: itemsPerSec }, ratio: { to: 'feedparser', value: ownItemsPerSec / itemsPerSec },
  });
}

/** Stored stories of the small base: 10k (2k in quick mode, built in seconds). */
export const smallBase = (mode: BenchMode): number => (mode.quick ? 2_000 : 10_000);

export async function runIngest(mode: BenchMode, report: Reporter): Promise<void> {
  // 300 new stories (~370 items with refiles and copies) per size: the rate is a total over all of them, and the
  // related posts stage (~20 ms an item) makes every extra item cost; 1,500 took 2 minutes a size on this machine
  const small = await measureAt(mode, report, smallBase(mode), mode.quick ? 80 : mode.full ? 1500 : 300);
  measureFeedparser(mode, report, small.docs, small.parseItemsPerSec);
  if (mode.quick) {
    report.note('ingest at 100k stored stories skipped in quick mode (run the default mode)');
    return;
  }
  await measureAt(mode, report, 100_000, mode.full ? 1500 : 300);
}
