// Section 1: parse throughput of Wiredesk's parseFeed against raw rss-parser, feedsmith and raw fast-xml-parser.
import Parser from 'rss-parser';
import { parseFeed as parseWithFeedsmith } from 'feedsmith';
import { XMLParser } from 'fast-xml-parser';
import { parseFeed } from '../../src/parse/index.ts';
import { generateCorpus, renderAtomDocument, renderRssDocument, takeUpToBytes, type CorpusItem } from '../lib/corpus.ts';
import { median, type Reporter } from '../lib/stats.ts';
import type { BenchMode } from '../lib/mode.ts';

type Reader = (text: string) => Promise<number> | number;

const rssParser = new Parser();
const xmlParser = new XMLParser({ ignoreAttributes: false });

/** Each reader returns how many items it read, so a parser that silently drops items shows up. */
export const PARSERS: Record<string, Reader> = {
  wiredesk: (text) => parseFeed(text).items.length,
  'rss-parser': async (text) => (await rssParser.parseString(text)).items.length,
  feedsmith: (text) => {
    const { feed } = parseWithFeedsmith(text) as { feed: { items?: unknown[]; entries?: unknown[] } };
    return (feed.items ?? feed.entries ?? []).length;
  },
  'fast-xml-parser': (text) => {
    const doc = xmlParser.parse(text) as { rss?: { channel?: { item?: unknown[] } }; feed?: { entry?: unknown[] } };
    return (doc.rss?.channel?.item ?? doc.feed?.entry ?? []).length;
  },
};

interface DocSet {
  name: string;
  docs: string[];
  items: number;
  bytes: number;
}

async function measure(read: Reader, set: DocSet, rounds: number, warmUp: number): Promise<{ itemsPerSec: number[]; mbPerSec: number[]; itemsRead: number }> {
  let itemsRead = 0;
  for (const doc of set.docs.slice(0, warmUp)) itemsRead += await read(doc); // warm-up (and a count check)
  const itemsPerSec: number[] = [];
  const mbPerSec: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    for (const doc of set.docs) await read(doc);
    const seconds = (performance.now() - started) / 1000;
    itemsPerSec.push(set.items / seconds);
    mbPerSec.push(set.bytes / 1_048_576 / seconds);
  }
  return { itemsPerSec, mbPerSec, itemsRead };
}

export async function runParse(mode: BenchMode, report: Reporter): Promise<void> {
  const corpus = generateCorpus({ seed: 101, stories: mode.quick ? 400 : 3000, refileShare: 0.1, copyShare: 0.15, outlets: 20 });
  const rssItems = takeUpToBytes(corpus.items, 1_048_576, (items) => renderRssDocument('Bench Wire', items));
  const atomItems = takeUpToBytes(corpus.items, 1_048_576, (items) => renderAtomDocument('Bench Wire', items));
  const smallCount = mode.quick ? 50 : 1000;
  const small: string[] = [];
  let smallItems = 0;
  for (let i = 0; i < smallCount; i++) {
    const count = 5 + (i % 11);
    const start = (i * 7) % Math.max(1, corpus.items.length - count);
    const items: CorpusItem[] = corpus.items.slice(start, start + count);
    small.push(i % 4 === 3 ? renderAtomDocument(`Feed ${i}`, items) : renderRssDocument(`Feed ${i}`, items));
    smallItems += items.length;
  }
  const rssDoc = renderRssDocument('Bench Wire', rssItems);
  const atomDoc = renderAtomDocument('Bench Wire', atomItems);
  // a round parses each 1 MB document twice (default; medians over 5 rounds were stable to a few % with 6)
  const repeat = mode.quick ? 1 : 2;
  const sets: DocSet[] = [
    { name: `1 MB RSS (${rssItems.length} items)`, docs: Array(repeat).fill(rssDoc), items: rssItems.length * repeat, bytes: Buffer.byteLength(rssDoc) * repeat },
    { name: `1 MB Atom (${atomItems.length} items)`, docs: Array(repeat).fill(atomDoc), items: atomItems.length * repeat, bytes: Buffer.byteLength(atomDoc) * repeat },
    { name: `${smallCount} small feeds (${smallItems} items)`, docs: small, items: smallItems, bytes: small.reduce((n, d) => n + Buffer.byteLength(d), 0) },
  ];
  for (const set of sets) {
    // the 1,000 small feeds hold 10k items a round: 3 rounds (default) say as much as 5 rounds of the 1 MB documents
    const rounds = mode.quick ? 2 : mode.full ? 9 : set === sets[2] ? 3 : 5;
    const results: Record<string, { itemsPerSec: number[]; mbPerSec: number[]; itemsRead: number }> = {};
    // interleave the parsers round by round would be fairer on a noisy machine; a round each in turn is close enough
    for (const [name, read] of Object.entries(PARSERS)) {
      try {
        results[name] = await measure(read, set, rounds, mode.quick ? 10 : 50);
      } catch (error) {
        report.note(`parse ${set.name}: ${name} failed: ${(error as Error).message}`);
      }
    }
    const own = results['wiredesk'];
    const peerOf = (key: 'itemsPerSec' | 'mbPerSec') =>
      Object.fromEntries(Object.entries(results).filter(([n]) => n !== 'wiredesk').map(([n, r]) => [n, median(r[key])]));
    const feedsmith = results['feedsmith'];
    const ratio = own && feedsmith ? median(own.itemsPerSec) / median(feedsmith.itemsPerSec) : undefined;
    report.add({
      section: '1 parse', metric: `${set.name} items/s`, value: own ? median(own.itemsPerSec) : null, unit: 'items/s',
      min: own ? Math.min(...own.itemsPerSec) : undefined, max: own ? Math.max(...own.itemsPerSec) : undefined, runs: rounds,
      peers: peerOf('itemsPerSec'), ratio: ratio === undefined ? undefined : { to: 'feedsmith', value: ratio },
      goal: '≥ 0.80 × feedsmith', met: ratio === undefined ? undefined : ratio >= 0.8,
    });
    report.add({ section: '1 parse', metric: `${set.name} MB/s`, value: own ? median(own.mbPerSec) : null, unit: 'MB/s', peers: peerOf('mbPerSec') });
    const dropped = Object.entries(results).filter(([, r]) => r.itemsRead !== Object.values(results)[0]?.itemsRead);
    if (dropped.length) report.note(`parse ${set.name}: item counts differ: ${Object.entries(results).map(([n, r]) => `${n} ${r.itemsRead}`).join(', ')}`);
  }
}
