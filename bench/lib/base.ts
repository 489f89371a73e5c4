// A base of stored stories for the ingest benchmark, written through the store's own ingestBatch in big batches
// (synthetic dedupe keys and signatures, the generator's tags; the related-posts index filled through indexStories).
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createStoryResolver } from '../../src/dedupe/index.ts';
import type { PreparedItem } from '../../src/model/story.ts';
import type { Config } from '../../src/config/schema.ts';
import { toSourceRecord } from '../../src/app.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { computeRelated, extractTerms, refitSubjects, resolveRelateOptions } from '../../src/relate/index.ts';
import type { RelatedDoc } from '../../src/store/types.ts';
import { createRandom, pickOne } from './stats.ts';
import { generateStory, outletId, tagsOf } from './corpus.ts';
import { ensureBulkDatabase } from './bulk.ts';
import { bulkOptions } from '../sections/dedup.ts';
import { fillRelatedIndex, leadOfSummary } from './related-bulk.ts';

/**
 * Bumped when a base must be rebuilt: 4 = the subject space of migration 0007 (fitted while the base is built); 5 =
 * the indexes of 0008 (built with the base, not at every copy's first open); 6 = the word blocks of 0009.
 */
export const BASE_VERSION = 6;
const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** Cheap items: unique titles, bodies assembled from a pool of generated paragraphs, random keys (no MinHash work). */
function baseItems(count: number, seed: number, now: Date, outlets: number): { sourceId: string; item: PreparedItem; lead: string }[] {
  const random = createRandom(seed);
  const pool = Array.from({ length: 300 }, (_, i) => generateStory(random, 9_000_000 + i, now));
  const out: { sourceId: string; item: PreparedItem; lead: string }[] = [];
  for (let i = 0; i < count; i++) {
    const story = pickOne(random, pool);
    const other = pickOne(random, pool);
    const sourceId = outletId(Math.floor(random() * outlets));
    const title = `${story.title.split(' ').slice(0, 5).join(' ')} ${other.title.split(' ').slice(-3).join(' ')} (${i})`;
    const paragraphs = [...story.paragraphs.slice(0, 3), ...other.paragraphs.slice(0, 3)];
    const html = paragraphs.map((p) => `<p>${p}</p>`).join('\n');
    const published = new Date(now.getTime() - Math.floor(((count - i) / count) * 30 * 86_400_000)).toISOString();
    const link = `https://${sourceId}.example/base/${i}`;
    const signature = new Uint8Array(560);
    for (let k = 0; k < signature.length; k++) signature[k] = Math.floor(random() * 256);
    const keys = [`u:${link}`, `g:${hex8(random() * 2 ** 32)}${hex8(i)}`, `h:${hex8(random() * 2 ** 32)}`];
    for (let b = 0; b < 20; b++) keys.push(`b:${b}:${hex8(random() * 2 ** 32)}`);
    for (let t = 0; t < 6; t++) keys.push(`t:${hex8(random() * 2 ** 32)}`);
    out.push({
      sourceId,
      lead: paragraphs.join(' ').slice(0, 300),
      item: {
        guid: `${sourceId}-base-${i}`, title, link, published, contentHtml: html, summary: `<p>${paragraphs[0] ?? ''}</p>`,
        categories: [{ term: story.topic }], enclosures: [], identity: `guid:${sourceId}-base-${i}`, canonicalUrl: link,
        contentHash: `${hex8(i)}${hex8(random() * 2 ** 32)}`, dedupeKeys: keys, signature, tags: tagsOf(story),
      },
    });
  }
  return out;
}

/** A working copy of a base database holding `count` stories (built once, then cached in `cacheDir`). */
/** Where the base of `count` stories is cached. */
export const baseCachePath = (cacheDir: string, count: number): string =>
  count >= 50_000 ? `${cacheDir}/base-bulk-v${BASE_VERSION}-${count}.sqlite` : `${cacheDir}/base-v${BASE_VERSION}-${count}.sqlite`;

/** Copies the cached base to `target` (null: only builds the cache, as bench/build-bulk.ts does). */
function copyTo(cached: string, target: string | null): void {
  if (target === null) return;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  copyFileSync(cached, target);
}

export async function baseDatabaseCopy(cacheDir: string, target: string | null, count: number, config: Config, log: (line: string) => void): Promise<{ seconds: number; cached: boolean; how: string }> {
  if (count >= 50_000) return bulkBaseCopy(cacheDir, target, count, config, log);
  const cached = baseCachePath(cacheDir, count);
  let seconds = 0;
  const isCached = existsSync(cached);
  if (!isCached) {
    mkdirSync(cacheDir, { recursive: true });
    log(`    storing a base of ${count.toLocaleString('en-US')} stories through ingestBatch in batches of 1,000 (cached in ${cacheDir})...`);
    const started = performance.now();
    rmSync(`${cached}.tmp`, { force: true });
    const store = new SqliteStore(`${cached}.tmp`);
    store.db.pragma('synchronous = OFF'); // this connection only: a scratch file, rebuilt if lost
    await store.syncSources(config.sources.map(toSourceRecord));
    const resolver = createStoryResolver(config.dedupe);
    const now = new Date();
    const items = baseItems(count, 4242, now, config.sources.length);
    for (let from = 0; from < items.length; from += 1000) {
      const batch = items.slice(from, from + 1000);
      const bySource = new Map<string, typeof batch>();
      for (const entry of batch) bySource.set(entry.sourceId, [...(bySource.get(entry.sourceId) ?? []), entry]);
      const docs: RelatedDoc[] = [];
      for (const [sourceId, entries] of bySource) {
        const result = await store.ingestBatch(sourceId, entries.map((e) => e.item), resolver, { now, windowMs: 3 * 86_400_000 });
        if (result.storiesTouched.length !== entries.length) continue; // a base item joined another: leave it out of the index
        entries.forEach((e, k) => {
          docs.push({
            storyId: result.storiesTouched[k] as string, date: e.item.published as string, title: e.item.title, link: e.item.link,
            sourceTitle: sourceId, lead: e.lead, tags: e.item.tags.map((t) => t.tag), terms: extractTerms(e.item.title, e.lead),
          });
        });
      }
      await store.indexStories(docs);
    }
    await persistNewestRelated(store);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    await store.close();
    renameSync(`${cached}.tmp`, cached);
    seconds = (performance.now() - started) / 1000;
    log(`    stored in ${seconds.toFixed(0)} s (${Math.round(count / seconds)} items/s through ingestBatch + indexStories)`);
  }
  copyTo(cached, target);
  return { seconds, cached: isCached, how: 'stored through ingestBatch' };
}

/**
 * The subject space and persisted related lists for the newest `count` stories (computeRelated + saveRelated, as the relate stage stores
 * them at ingest): the render, serve and memory sections show the newest 100. Without them every cold render computed
 * 100 lists (0.5–1.3 s for a 100-item feed), which a store filled by the pipeline does not do.
 */
async function persistNewestRelated(store: SqliteStore, count = 300): Promise<void> {
  const options = resolveRelateOptions();
  // the subject space the relate stage would have fitted by now (on the latest stories, as it refits)
  await refitSubjects(store, options);
  const ids = store.db.prepare('SELECT id FROM stories ORDER BY date DESC LIMIT ?').pluck().all(count) as string[];
  for (const id of ids) await store.saveRelated(id, await computeRelated(store, id, options));
}

/** The related-posts index of every stored story through the store's own indexStories, 1,000 stories a call. */
async function indexThroughStore(store: SqliteStore): Promise<void> {
  const rows = store.db.prepare(`SELECT s.id AS story_id, s.date, i.title, i.link, i.summary, i.source_id,
      (SELECT json_group_array(tag) FROM story_tags t WHERE t.story_id = s.id) AS tags
    FROM stories s JOIN items i ON i.story_id = s.id WHERE s.rowid > ? ORDER BY s.rowid LIMIT 1000`);
  const rowid = store.db.prepare('SELECT rowid FROM stories WHERE id = ?');
  let last = 0;
  for (;;) {
    const batch = rows.all(last) as { story_id: string; date: string; title: string; link: string | null; summary: string | null; source_id: string; tags: string }[];
    if (batch.length === 0) break;
    await store.indexStories(batch.map((r) => {
      const lead = leadOfSummary(r.summary);
      return { storyId: r.story_id, date: r.date, title: r.title, link: r.link ?? undefined, sourceTitle: r.source_id, lead, tags: JSON.parse(r.tags) as string[], terms: extractTerms(r.title, lead) };
    }));
    last = (rowid.get((batch.at(-1) as { story_id: string }).story_id) as { rowid: number }).rowid;
  }
}

/**
 * Large bases: ingestBatch ran at about 90 items/s on this shared machine, so 100k stories would take 20 minutes. These
 * use the bulk-generated database (SQL inserts into the real schema) and fill the related-posts index in bulk SQL
 * (bench/lib/related-bulk.ts: the same rows as indexStories, checked equal on 3,000 stories; 52 s → 9 s at 100k), or
 * through the store's own indexStories when the related tables' schema is not the one that fill was written for.
 */
async function bulkBaseCopy(cacheDir: string, target: string | null, count: number, config: Config, log: (line: string) => void): Promise<{ seconds: number; cached: boolean; how: string }> {
  const cached = baseCachePath(cacheDir, count);
  const isCached = existsSync(cached);
  let seconds = 0;
  if (!isCached) {
    const started = performance.now();
    const bulk = ensureBulkDatabase(cacheDir, bulkOptions(count).options, log);
    rmSync(`${cached}.tmp`, { force: true });
    copyFileSync(bulk.path, `${cached}.tmp`);
    const store = new SqliteStore(`${cached}.tmp`);
    store.db.pragma('synchronous = OFF'); // this connection only: a scratch file, rebuilt if lost
    await store.syncSources(config.sources.map(toSourceRecord));
    const indexStarted = performance.now();
    const filled = fillRelatedIndex(store.db, new Date());
    writeFileSync(`${cached}.json`, JSON.stringify({ how: `bulk-generated, related-posts index filled ${filled ? 'in bulk SQL' : 'through indexStories'}` }));
    if (filled) {
      log(`    related-posts index of the ${count.toLocaleString('en-US')} stories filled in bulk SQL in ${((performance.now() - indexStarted) / 1000).toFixed(0)} s`);
    } else {
      log(`    the related tables' schema changed (see bench/lib/related-bulk.ts): indexing the ${count.toLocaleString('en-US')} stories through indexStories...`);
      await indexThroughStore(store);
      log(`    indexed in ${((performance.now() - indexStarted) / 1000).toFixed(0)} s`);
    }
    await persistNewestRelated(store);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    await store.close();
    renameSync(`${cached}.tmp`, cached);
    seconds = (performance.now() - started) / 1000;
    log(`    base ready in ${seconds.toFixed(0)} s`);
  }
  copyTo(cached, target);
  const how = existsSync(`${cached}.json`) ? (JSON.parse(readFileSync(`${cached}.json`, 'utf8')) as { how: string }).how : 'bulk-generated';
  return { seconds, cached: isCached, how };
}
