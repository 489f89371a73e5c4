// The items, item_keys, item_tags, story_tags and story_decisions tables: storing one source batch in one transaction.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { createStoryTagRefresher } from './story-tags.ts';
import type { DedupeCandidate, PreparedItem, StoryResolver } from '../../model/story.ts';
import type { IngestOptions, IngestResult } from '../types.ts';

/** At most this many stored items are offered to the resolver for one new item. */
const MAX_CANDIDATES = 200;
/** At most this many of the most recent items per key: a key shared by thousands (a templated headline) stays cheap. */
const MAX_PER_KEY = 40;

/** `s_` + a short hash of the story's first item identity: stable once published (DESIGN.md). */
export function storyIdFor(sourceId: string, identity: string): string {
  return `s_${createHash('sha256').update(`${sourceId}\u0000${identity}`).digest('hex').slice(0, 16)}`;
}

/** min(published, first seen): the date used for ranking and max_age; a future date never ranks above now. */
function rankDate(item: PreparedItem, firstSeen: string): string {
  return item.published && item.published < firstSeen ? item.published : firstSeen;
}

interface CandidateRow {
  id: number;
  story_id: string;
  source_id: string;
  attribution: string;
  title: string;
  link: string | null;
  canonical_url: string | null;
  guid: string | null;
  published: string | null;
  first_seen: string;
  signature: Buffer | null;
}

export function createItemTable(db: Database.Database) {
  const findExisting = db.prepare('SELECT id, story_id, content_hash FROM items WHERE source_id = ? AND identity = ?');
  const isTombstoned = db.prepare('SELECT 1 FROM tombstones WHERE source_id = ? AND identity = ?');
  const knownHashes = db.prepare(`
    SELECT identity, content_hash AS hash FROM items WHERE source_id = @source AND identity IN (SELECT value FROM json_each(@ids))
    UNION ALL
    SELECT identity, '*' AS hash FROM tombstones WHERE source_id = @source AND identity IN (SELECT value FROM json_each(@ids))`);
  const findKeyMatches = db.prepare(`
    SELECT key, item_id FROM item_keys INDEXED BY item_keys_recent
    WHERE key = ? AND seen_at >= ? ORDER BY seen_at DESC LIMIT ${MAX_PER_KEY}`);
  const loadCandidates = db.prepare(`
    SELECT i.id, i.story_id, i.source_id, s.attribution, i.title, i.link, i.canonical_url, i.guid, i.published,
           i.first_seen, i.signature
    FROM items i JOIN sources s ON s.id = i.source_id
    WHERE i.id IN (SELECT value FROM json_each(?))`);
  const sourceAttribution = db.prepare('SELECT attribution FROM sources WHERE id = ?');
  const insertStory = db.prepare(`
    INSERT INTO stories (id, created_at, updated_at, date) VALUES (?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, date = MIN(stories.date, excluded.date)`);
  const touchStory = db.prepare('UPDATE stories SET updated_at = ?, date = MIN(date, ?) WHERE id = ?');
  const withdrawStory = db.prepare('UPDATE stories SET is_withdrawn = 1, withdrawn_reason = ?, updated_at = ? WHERE id = ?');
  const insertItem = db.prepare(`
    INSERT INTO items (source_id, identity, story_id, guid, title, link, canonical_url, published, updated, author,
      summary, content_html, categories, enclosures, image, language, is_withdrawn, content_hash, signature,
      version_kind, version_number, version_note, first_seen, last_seen)
    VALUES (@sourceId, @identity, @storyId, @guid, @title, @link, @canonicalUrl, @published, @updated, @author,
      @summary, @contentHtml, @categories, @enclosures, @image, @language, @isWithdrawn, @contentHash, @signature,
      @versionKind, @versionNumber, @versionNote, @now, @now)`);
  const updateItem = db.prepare(`
    UPDATE items SET guid = @guid, title = @title, link = @link, canonical_url = @canonicalUrl, published = @published,
      updated = @updated, author = @author, summary = @summary, content_html = @contentHtml, categories = @categories,
      enclosures = @enclosures, image = @image, language = @language, is_withdrawn = @isWithdrawn,
      content_hash = @contentHash, signature = @signature, version_kind = @versionKind,
      version_number = @versionNumber, version_note = @versionNote, last_seen = @now
    WHERE id = @id`);
  const insertKey = db.prepare('INSERT OR IGNORE INTO item_keys (key, item_id, seen_at) VALUES (?, ?, ?)');
  const deleteKeys = db.prepare('DELETE FROM item_keys WHERE item_id = ?');
  const insertTag = db.prepare('INSERT OR IGNORE INTO item_tags (item_id, tag, origin) VALUES (?, ?, ?)');
  const deleteTags = db.prepare('DELETE FROM item_tags WHERE item_id = ?');
  const insertDecision = db.prepare(`
    INSERT OR REPLACE INTO story_decisions (item_id, story_id, rule, score, matched_item_id, decided_at)
    VALUES (?, ?, ?, ?, ?, ?)`);
  const refreshStoryTags = createStoryTagRefresher(db);

  function itemParams(sourceId: string, item: PreparedItem, now: string) {
    return {
      sourceId,
      identity: item.identity,
      guid: item.guid ?? null,
      title: item.title,
      link: item.link ?? null,
      canonicalUrl: item.canonicalUrl ?? null,
      published: item.published ?? null,
      updated: item.updated ?? null,
      author: item.author ?? null,
      summary: item.summary ?? null,
      contentHtml: item.contentHtml ?? null,
      categories: JSON.stringify(item.categories),
      enclosures: JSON.stringify(item.enclosures),
      image: item.image ?? null,
      language: item.language ?? null,
      isWithdrawn: item.withdrawn ? 1 : 0,
      contentHash: item.contentHash,
      signature: item.signature ? Buffer.from(item.signature) : null,
      versionKind: item.version?.kind ?? null,
      versionNumber: item.version?.number ?? null,
      versionNote: item.version?.note ?? null,
      now,
    };
  }

  function writeKeysAndTags(itemId: number, item: PreparedItem, now: string): void {
    for (const key of new Set(item.dedupeKeys)) insertKey.run(key, itemId, now);
    for (const assignment of item.tags) insertTag.run(itemId, assignment.tag, assignment.origin);
  }

  function findCandidates(item: PreparedItem, since: string): DedupeCandidate[] {
    if (item.dedupeKeys.length === 0) return [];
    const shared = new Map<number, string[]>();
    for (const key of new Set(item.dedupeKeys)) {
      for (const row of findKeyMatches.all(key, since) as { key: string; item_id: number }[]) {
        const keys = shared.get(row.item_id);
        if (keys) keys.push(row.key);
        else if (shared.size < MAX_CANDIDATES) shared.set(row.item_id, [row.key]);
      }
    }
    if (shared.size === 0) return [];
    const rows = loadCandidates.all(JSON.stringify([...shared.keys()])) as CandidateRow[];
    return rows.map((row) => ({
      itemId: row.id,
      storyId: row.story_id,
      sourceId: row.source_id,
      attribution: row.attribution,
      title: row.title,
      link: row.link ?? undefined,
      canonicalUrl: row.canonical_url ?? undefined,
      guid: row.guid ?? undefined,
      published: row.published ?? undefined,
      firstSeen: row.first_seen,
      signature: row.signature ? new Uint8Array(row.signature) : undefined,
      sharedKeys: shared.get(row.id) ?? [],
    }));
  }

  const ingest = db.transaction(
    (sourceId: string, items: readonly PreparedItem[], resolver: StoryResolver, options: IngestOptions): IngestResult => {
      const now = options.now.toISOString();
      const since = new Date(options.now.getTime() - options.windowMs).toISOString();
      const attribution = (sourceAttribution.get(sourceId) as { attribution: string } | undefined)?.attribution ?? sourceId;
      const touched = new Set<string>();
      let itemsNew = 0;
      let itemsUpdated = 0;
      for (const item of items) {
        const existing = findExisting.get(sourceId, item.identity) as { id: number; story_id: string; content_hash: string } | undefined;
        if (existing) {
          if (existing.content_hash === item.contentHash) continue;
          updateItem.run({ ...itemParams(sourceId, item, now), id: existing.id });
          deleteKeys.run(existing.id);
          deleteTags.run(existing.id);
          writeKeysAndTags(existing.id, item, now);
          touchStory.run(now, rankDate(item, now), existing.story_id);
          if (item.withdrawn) withdrawStory.run(`withdrawn by ${sourceId}: ${item.title}`, now, existing.story_id);
          touched.add(existing.story_id);
          itemsUpdated++;
          continue;
        }
        // purged by retention: a feed that still lists it must not bring it back
        if (isTombstoned.get(sourceId, item.identity)) continue;
        const decision = resolver({ ...item, sourceId, attribution }, findCandidates(item, since));
        const storyId = decision.storyId ?? storyIdFor(sourceId, item.identity);
        insertStory.run(storyId, now, now, rankDate(item, now));
        const itemId = Number(insertItem.run({ ...itemParams(sourceId, item, now), storyId }).lastInsertRowid);
        writeKeysAndTags(itemId, item, now);
        insertDecision.run(itemId, storyId, decision.rule, decision.score ?? null, decision.matchedItemId ?? null, now);
        if (item.withdrawn) withdrawStory.run(`withdrawn by ${sourceId}: ${item.title}`, now, storyId);
        touched.add(storyId);
        itemsNew++;
      }
      for (const storyId of touched) {
        refreshStoryTags(storyId);
      }
      return { itemsNew, itemsUpdated, storiesTouched: [...touched] };
    },
  );

  return {
    knownContentHashes(sourceId: string, identities: readonly string[]): Map<string, string> {
      const rows = knownHashes.all({ source: sourceId, ids: JSON.stringify(identities) }) as { identity: string; hash: string }[];
      return new Map(rows.map((row) => [row.identity, row.hash]));
    },
    ingest(sourceId: string, items: readonly PreparedItem[], resolver: StoryResolver, options: IngestOptions): IngestResult {
      // BEGIN IMMEDIATE: a CLI `fetch` beside the daemon waits for the write lock instead of failing mid-batch.
      return ingest.immediate(sourceId, items, resolver, options);
    },
  };
}
