// Feeds an evaluation corpus to the dedupe seam in publication order, one feed document per source per poll.
import type { ParsedItem } from '../../src/model/item.ts';

export interface CorpusEntry {
  sourceId: string;
  attribution: string;
  item: ParsedItem;
}

export interface Ingestor {
  /** Ingests one feed document; returns nothing: the caller reads the grouping afterwards. */
  ingest(source: { id: string; attribution: string }, items: ParsedItem[], now: Date): Promise<void> | void;
}

/** Groups items into polls (per source, per `pollMs` of publication time) and ingests them in time order. */
export async function ingestInPolls(entries: CorpusEntry[], ingestor: Ingestor, pollMs = 3_600_000): Promise<number> {
  const polls = new Map<string, { bucket: number; sourceId: string; attribution: string; items: ParsedItem[] }>();
  for (const entry of entries) {
    const bucket = Math.floor(Date.parse(entry.item.published ?? '1970-01-01T00:00:00Z') / pollMs);
    const key = `${bucket}\u0000${entry.sourceId}`;
    const poll = polls.get(key) ?? { bucket, sourceId: entry.sourceId, attribution: entry.attribution, items: [] };
    poll.items.push(entry.item);
    polls.set(key, poll);
  }
  const ordered = [...polls.values()].sort((a, b) => a.bucket - b.bucket || (a.sourceId < b.sourceId ? -1 : 1));
  for (const poll of ordered) {
    poll.items.sort((a, b) => (a.published ?? '').localeCompare(b.published ?? ''));
    await ingestor.ingest({ id: poll.sourceId, attribution: poll.attribution }, poll.items, new Date((poll.bucket + 1) * pollMs));
  }
  return ordered.length;
}
