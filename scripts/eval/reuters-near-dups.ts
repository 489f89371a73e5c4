// Info report: groups of identical or near-identical bodies inside Reuters-21578, with a seeded sample of 20 to read.
import { createStoryResolver } from '../../src/dedupe/index.ts';
import type { ParsedItem } from '../../src/model/item.ts';
import { createRandom } from './random.ts';
import { MemoryDedupeStore } from './memory-store.ts';
import { ingestInPolls } from './run-corpus.ts';
import type { ReutersRow } from './dedup-corpus.ts';

export async function reportReutersNearDuplicates(rows: ReutersRow[], thresholds: { window: number; text_threshold: number; title_threshold: number }, seed: number): Promise<void> {
  const store = new MemoryDedupeStore(createStoryResolver(thresholds), thresholds.window);
  const byItem = new Map<ParsedItem, ReutersRow>();
  const entries = rows.map((row) => {
    const item: ParsedItem = {
      guid: `reuters-${row.newid}`, title: row.title, published: row.date,
      contentHtml: row.body.replace(/&/g, '&amp;').replace(/</g, '&lt;'), categories: [], enclosures: [],
    };
    byItem.set(item, row);
    return { sourceId: 'reuters', attribution: 'Reuters', item };
  });
  const rowOf: ReutersRow[] = [];
  await ingestInPolls(entries, {
    ingest(source, items, now) {
      const ids = store.ingestFeed(source, items, now);
      items.forEach((item, i) => {
        const row = byItem.get(item);
        if (row) rowOf[ids[i] ?? -1] = row;
      });
    },
  });
  const groups = new Map<string, number[]>();
  for (const item of store.items) groups.set(item.storyId, [...(groups.get(item.storyId) ?? []), item.itemId]);
  const multi = [...groups.values()].filter((ids) => ids.length > 1);
  const exact = multi.filter((ids) => new Set(ids.map((id) => (rowOf[id]?.body ?? '').replace(/\s+/g, ' ').trim())).size === 1);
  const rules = new Map<string, number>();
  for (const ids of multi) for (const id of ids.slice(1)) {
    const rule = store.items[id]?.decision.rule ?? '?';
    rules.set(rule, (rules.get(rule) ?? 0) + 1);
  }
  console.log(`\n## Near-identical stories inside Reuters-21578 (${rows.length} stories as one wire, window 3d)`);
  console.log(`groups with more than one story: ${multi.length} (${multi.reduce((n, ids) => n + ids.length, 0)} stories); with byte-identical bodies: ${exact.length}`);
  console.log(`joins by rule: ${[...rules].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  console.log('\nA seeded sample of 20 groups for a person to read (title | first words of the body):');
  const random = createRandom(seed + 1);
  for (const ids of random.shuffle([...multi]).slice(0, 20)) {
    console.log('');
    for (const id of ids.slice(0, 4)) {
      const row = rowOf[id];
      const decision = store.items[id]?.decision;
      const how = decision?.storyId ? ` [${decision.rule} ${decision.score ?? ''}]` : '';
      console.log(`  #${row?.newid} ${row?.date.slice(0, 16)} ${row?.title}${how}\n      ${(row?.body ?? '').replace(/\s+/g, ' ').slice(0, 140)}`);
    }
  }
}
