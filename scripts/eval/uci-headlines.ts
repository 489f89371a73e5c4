// Info report: headline-only grouping of the UCI News Aggregator rows against its STORY ids (same event, not same text).
import { readFileSync } from 'node:fs';
import { createStoryResolver, parseWireVersion } from '../../src/dedupe/index.ts';
import type { ParsedItem } from '../../src/model/item.ts';
import { MemoryDedupeStore } from './memory-store.ts';
import { scorePairwise } from './metrics.ts';
import { ingestInPolls } from './run-corpus.ts';

export async function reportUciHeadlines(path: string, thresholds: { window: number; text_threshold: number; title_threshold: number }): Promise<void> {
  const rows = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => line.split('\t'));
  const store = new MemoryDedupeStore(createStoryResolver(thresholds), thresholds.window);
  const storyOf = new Map<ParsedItem, string>();
  const entries = rows.map(([id, title, url, publisher, , story, , timestamp]) => {
    const item: ParsedItem = { guid: `uci-${id}`, title: title ?? '', link: url ?? '', published: new Date(Number(timestamp)).toISOString(), categories: [], enclosures: [] };
    storyOf.set(item, story ?? '');
    return { sourceId: (publisher ?? 'unknown').toLowerCase().replace(/[^a-z0-9]+/g, '-'), attribution: publisher ?? '', item };
  });
  const predicted = new Map<ParsedItem, string>();
  await ingestInPolls(entries, {
    ingest(source, items, now) {
      const ids = store.ingestFeed(source, items, now);
      items.forEach((item, i) => predicted.set(item, store.items[ids[i] ?? -1]?.storyId ?? `unstored-${i}`));
    },
  });
  const truth = entries.map((e) => storyOf.get(e.item) ?? '');
  const guess = entries.map((e, i) => predicted.get(e.item) ?? `missing-${i}`);
  const score = scorePairwise(truth, guess);
  console.log(`\n## UCI News Aggregator headlines (${rows.length} rows, info only: STORY = same event, not same text)`);
  console.log(`pairwise precision ${(score.precision * 100).toFixed(2)}%  recall ${(score.recall * 100).toFixed(2)}%  (true pairs ${score.truePairs}, predicted ${score.predictedPairs})`);
  const versions = entries.filter((e) => /^(UPDATE \d+|REFILE|CORRECTED)\s*-/i.test(e.item.title));
  const detected = versions.filter((e) => parseWireVersion(e.item.title).version !== undefined).length;
  console.log(`Reuters version prefixes (UPDATE n-, REFILE-, CORRECTED-) parsed: ${detected}/${versions.length}`);
}
