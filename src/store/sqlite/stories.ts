// Reading stories: feed filters over stories and story_tags, and the StoryView each output item is rendered from.
import type Database from 'better-sqlite3';
import type { Category, Enclosure } from '../../model/item.ts';
import type { StoredItem, StoryItemRef, StoryView } from '../../model/story.ts';
import type { SourceRecord, StoredDecision, StoryQuery } from '../types.ts';
import { toFts5Query } from './fts-query.ts';

interface ItemRow {
  id: number;
  source_id: string;
  identity: string;
  story_id: string;
  guid: string | null;
  title: string;
  link: string | null;
  canonical_url: string | null;
  published: string | null;
  updated: string | null;
  author: string | null;
  summary: string | null;
  content_html: string | null;
  categories: string;
  enclosures: string;
  image: string | null;
  language: string | null;
  is_withdrawn: number;
  content_hash: string;
  signature: Buffer | null;
  version_kind: string | null;
  version_number: number | null;
  version_note: string | null;
  first_seen: string;
  last_seen: string;
  s_title: string;
  s_attribution: string;
  s_priority: number;
  s_republish: string;
}

interface StoryRow {
  id: string;
  date: string;
  updated_at: string;
}

const u = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function toItem(row: ItemRow, tags: { tag: string; origin: string }[]): StoredItem {
  return {
    id: row.id,
    sourceId: row.source_id,
    storyId: row.story_id,
    identity: row.identity,
    guid: u(row.guid),
    title: row.title,
    link: u(row.link),
    canonicalUrl: u(row.canonical_url),
    published: u(row.published),
    updated: u(row.updated),
    author: u(row.author),
    summary: u(row.summary),
    contentHtml: u(row.content_html),
    categories: JSON.parse(row.categories) as Category[],
    enclosures: JSON.parse(row.enclosures) as Enclosure[],
    image: u(row.image),
    language: u(row.language),
    withdrawn: row.is_withdrawn === 1 || undefined,
    contentHash: row.content_hash,
    signature: row.signature ? new Uint8Array(row.signature) : undefined,
    version: row.version_kind ? { kind: row.version_kind, number: u(row.version_number), note: u(row.version_note) } : undefined,
    dedupeKeys: [],
    tags,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
  };
}

const itemDate = (row: ItemRow) => row.published ?? row.first_seen;
const textLength = (row: ItemRow) => (row.content_html?.length ?? 0) + (row.summary?.length ?? 0);

/**
 * The canonical item: source priority, then earliest publication, then most complete text (DESIGN.md). Within the
 * canonical item's publisher the newest version is shown.
 */
export function chooseShownItem<T extends ItemRow>(rows: readonly T[]): T {
  const canonical = [...rows].sort(
    (a, b) => b.s_priority - a.s_priority || itemDate(a).localeCompare(itemDate(b)) || textLength(b) - textLength(a) || a.id - b.id,
  )[0] as T;
  const versions = rows.filter((row) => row.s_attribution === canonical.s_attribution);
  return versions.reduce((newest, row) => {
    const byVersion = (row.version_number ?? 0) - (newest.version_number ?? 0);
    const byDate = itemDate(row).localeCompare(itemDate(newest));
    return byDate > 0 || (byDate === 0 && byVersion > 0) ? row : newest;
  }, canonical);
}

function toRef(row: ItemRow): StoryItemRef {
  return {
    itemId: row.id,
    source: { id: row.source_id, title: row.s_title, attribution: row.s_attribution },
    url: u(row.link),
    title: row.title,
    published: u(row.published),
  };
}

const byPublished = (a: StoryItemRef, b: StoryItemRef) => (a.published ?? '').localeCompare(b.published ?? '') || a.itemId - b.itemId;

export function createStoryTable(db: Database.Database) {
  const storyRows = db.prepare('SELECT id, date, updated_at FROM stories WHERE id IN (SELECT value FROM json_each(?))');
  const itemRows = db.prepare(`
    SELECT i.*, s.title AS s_title, s.attribution AS s_attribution, s.priority AS s_priority, s.republish AS s_republish
    FROM items i JOIN sources s ON s.id = i.source_id
    WHERE i.story_id IN (SELECT value FROM json_each(?))`);
  const tagRows = db.prepare(`
    SELECT t.item_id, t.tag, t.origin FROM item_tags t JOIN items i ON i.id = t.item_id
    WHERE i.story_id IN (SELECT value FROM json_each(?)) ORDER BY t.tag`);
  const findItem = db.prepare(`
    SELECT i.*, s.title AS s_title, s.attribution AS s_attribution, s.priority AS s_priority, s.republish AS s_republish
    FROM items i JOIN sources s ON s.id = i.source_id
    WHERE i.id = ? OR i.guid = ? OR i.link = ? OR i.canonical_url = ? ORDER BY i.id LIMIT 1`);
  const itemTags = db.prepare('SELECT tag, origin FROM item_tags WHERE item_id = ? ORDER BY tag, origin');
  const decision = db.prepare('SELECT * FROM story_decisions WHERE item_id = ?');
  const lastChange = db.prepare('SELECT MAX(updated_at) AS at FROM stories');
  const tagList = db.prepare(`
    SELECT t.tag, COUNT(*) AS stories FROM story_tags t JOIN stories s ON s.id = t.story_id
    WHERE s.is_hidden = 0 AND s.is_withdrawn = 0 AND (@prefix IS NULL OR t.tag LIKE @prefix || '%')
    GROUP BY t.tag ORDER BY stories DESC, t.tag`);
  const filterStatements = new Map<string, Database.Statement>();

  /** Builds StoryViews for the given ids, keeping their order; one read transaction, so one snapshot. */
  const views = db.transaction((ids: readonly string[], preferSources?: readonly string[] | null): StoryView[] => {
    if (ids.length === 0) return [];
    const json = JSON.stringify(ids);
    const stories = new Map((storyRows.all(json) as StoryRow[]).map((row) => [row.id, row]));
    const tagsByItem = new Map<number, { tag: string; origin: string }[]>();
    for (const row of tagRows.all(json) as { item_id: number; tag: string; origin: string }[]) {
      const list = tagsByItem.get(row.item_id) ?? [];
      list.push({ tag: row.tag, origin: row.origin });
      tagsByItem.set(row.item_id, list);
    }
    const itemsByStory = new Map<string, ItemRow[]>();
    for (const row of itemRows.all(json) as ItemRow[]) {
      const list = itemsByStory.get(row.story_id) ?? [];
      list.push(row);
      itemsByStory.set(row.story_id, list);
    }
    const result: StoryView[] = [];
    for (const id of ids) {
      const story = stories.get(id);
      const rows = itemsByStory.get(id);
      if (!story || !rows || rows.length === 0) continue;
      const preferred = preferSources ? rows.filter((row) => preferSources.includes(row.source_id)) : [];
      const shownRow = chooseShownItem(preferred.length > 0 ? preferred : rows);
      const tags = [...new Set(rows.flatMap((row) => (tagsByItem.get(row.id) ?? []).map((t) => t.tag)))].sort();
      const others = rows.filter((row) => row.id !== shownRow.id);
      result.push({
        id,
        shown: toItem(shownRow, tagsByItem.get(shownRow.id) ?? []),
        source: { id: shownRow.source_id, title: shownRow.s_title, attribution: shownRow.s_attribution },
        republish: shownRow.s_republish as SourceRecord['republish'],
        versions: others.filter((row) => row.s_attribution === shownRow.s_attribution).map(toRef).sort(byPublished),
        alsoReportedBy: others.filter((row) => row.s_attribution !== shownRow.s_attribution).map(toRef).sort(byPublished),
        tags,
        related: [],
        date: story.date,
        updated: story.updated_at,
      });
    }
    return result;
  });

  function filterSql(query: StoryQuery): string {
    const where: string[] = [];
    if (!query.includeHidden) where.push('s.is_hidden = 0 AND s.is_withdrawn = 0');
    if (query.since) where.push('s.date >= @since');
    if (query.tagsAny?.length) {
      where.push('EXISTS (SELECT 1 FROM story_tags t WHERE t.story_id = s.id AND t.tag IN (SELECT value FROM json_each(@tagsAny)))');
    }
    if (query.tagsAll?.length) {
      where.push(`(SELECT COUNT(DISTINCT t.tag) FROM story_tags t WHERE t.story_id = s.id
        AND t.tag IN (SELECT value FROM json_each(@tagsAll))) = @tagsAllCount`);
    }
    if (query.excludeTags?.length) {
      where.push('NOT EXISTS (SELECT 1 FROM story_tags t WHERE t.story_id = s.id AND t.tag IN (SELECT value FROM json_each(@excludeTags)))');
    }
    if (query.sources?.length) {
      where.push('EXISTS (SELECT 1 FROM items i WHERE i.story_id = s.id AND i.source_id IN (SELECT value FROM json_each(@sources)))');
    }
    if (query.query) {
      // the related-posts index holds title + lead of every story in FTS5 (0002_related.sql)
      where.push('s.id IN (SELECT r.story_id FROM related_index r WHERE r.rowid IN (SELECT rowid FROM related_fts WHERE related_fts MATCH @match))');
    }
    return `SELECT s.id FROM stories s ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.date DESC, s.id LIMIT @limit`;
  }

  return {
    query(query: StoryQuery): StoryView[] {
      const sql = filterSql(query);
      let statement = filterStatements.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        filterStatements.set(sql, statement);
      }
      // story_tags compares tags without case: count distinct tags the same way
      const tagsAll = [...new Map((query.tagsAll ?? []).map((tag) => [tag.toLowerCase(), tag])).values()];
      const params: Record<string, unknown> = { limit: query.limit };
      if (query.since) params.since = query.since;
      if (query.tagsAny?.length) params.tagsAny = JSON.stringify(query.tagsAny);
      if (tagsAll.length) Object.assign(params, { tagsAll: JSON.stringify(tagsAll), tagsAllCount: tagsAll.length });
      if (query.excludeTags?.length) params.excludeTags = JSON.stringify(query.excludeTags);
      if (query.sources?.length) params.sources = JSON.stringify(query.sources);
      if (query.query) params.match = toFts5Query(query.query);
      const ids = (statement.all(params) as { id: string }[]).map((row) => row.id);
      return views(ids, query.sources);
    },
    get(storyId: string): StoryView | undefined {
      return views([storyId])[0];
    },
    findItem(ref: string): StoredItem | undefined {
      const numeric = /^\d+$/.test(ref) ? Number(ref) : -1;
      const row = findItem.get(numeric, ref, ref, ref) as ItemRow | undefined;
      return row ? toItem(row, itemTags.all(row.id) as { tag: string; origin: string }[]) : undefined;
    },
    itemTagOrigins(itemId: number): { tag: string; origin: string }[] {
      return itemTags.all(itemId) as { tag: string; origin: string }[];
    },
    decision(itemId: number): StoredDecision | undefined {
      const row = decision.get(itemId) as
        | { item_id: number; story_id: string; rule: string; score: number | null; matched_item_id: number | null; decided_at: string }
        | undefined;
      if (!row) return undefined;
      return {
        itemId: row.item_id,
        storyId: row.story_id,
        rule: row.rule,
        score: u(row.score),
        matchedItemId: u(row.matched_item_id),
        decidedAt: row.decided_at,
      };
    },
    listTags(type?: string): { tag: string; stories: number }[] {
      return tagList.all({ prefix: type ? `${type}:` : null }) as { tag: string; stories: number }[];
    },
    lastChange(): string | undefined {
      return (lastChange.get() as { at: string | null }).at ?? undefined;
    },
  };
}
