// Re-tagging stored items: walks items in id order and replaces their tags, keeping story_tags in step.
import type Database from 'better-sqlite3';
import { createStoryTagRefresher } from './story-tags.ts';
import type { TagAssignment } from '../../model/story.ts';
import type { RetagItem } from '../types.ts';

export function createRetagTable(db: Database.Database) {
  const page = db.prepare(`
    SELECT id, story_id, source_id, title, COALESCE(content_html, summary, '') AS html, categories FROM items
    WHERE id > @afterId AND (@since IS NULL OR first_seen >= @since) ORDER BY id LIMIT @limit`);
  const count = db.prepare('SELECT COUNT(*) AS n FROM items WHERE (@since IS NULL OR first_seen >= @since)');
  const storyOf = db.prepare('SELECT story_id FROM items WHERE id = ?');
  const deleteTags = db.prepare('DELETE FROM item_tags WHERE item_id = ?');
  const insertTag = db.prepare('INSERT OR IGNORE INTO item_tags (item_id, tag, origin) VALUES (?, ?, ?)');
  const storyTags = db.prepare('SELECT tag FROM story_tags WHERE story_id = ? ORDER BY tag');
  const refreshStoryTags = createStoryTagRefresher(db);
  const touchStory = db.prepare('UPDATE stories SET updated_at = ? WHERE id = ?');

  const replace = db.transaction((batch: readonly { itemId: number; tags: readonly TagAssignment[] }[], now: string) => {
    const stories = new Set<string>();
    for (const { itemId, tags } of batch) {
      const row = storyOf.get(itemId) as { story_id: string } | undefined;
      if (!row) continue;
      stories.add(row.story_id);
      deleteTags.run(itemId);
      for (const t of tags) insertTag.run(itemId, t.tag, t.origin);
    }
    const changed: string[] = [];
    for (const storyId of stories) {
      const before = (storyTags.all(storyId) as { tag: string }[]).map((r) => r.tag).join('\n');
      refreshStoryTags(storyId);
      const after = (storyTags.all(storyId) as { tag: string }[]).map((r) => r.tag).join('\n');
      if (before !== after) {
        touchStory.run(now, storyId); // outputs re-render when a story's tags change
        changed.push(storyId);
      }
    }
    return { storiesChanged: changed };
  });

  return {
    page(query: { since?: string; afterId: number; limit: number }): RetagItem[] {
      const rows = page.all({ since: query.since ?? null, afterId: query.afterId, limit: query.limit }) as {
        id: number; story_id: string; source_id: string; title: string; html: string; categories: string;
      }[];
      return rows.map((row) => ({
        id: row.id, storyId: row.story_id, sourceId: row.source_id, title: row.title, html: row.html,
        categories: JSON.parse(row.categories) as RetagItem['categories'],
      }));
    },
    count(since?: string): number {
      return (count.get({ since: since ?? null }) as { n: number }).n;
    },
    replace(batch: readonly { itemId: number; tags: readonly TagAssignment[] }[], now: Date) {
      return replace.immediate(batch, now.toISOString());
    },
  };
}
