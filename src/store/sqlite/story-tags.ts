// story_tags: the union of a story's item tags, rebuilt after any write that changes a story's items or their tags.
import type Database from 'better-sqlite3';

/** Returns a function that rebuilds one story's row set in story_tags (call inside the writing transaction). */
export function createStoryTagRefresher(db: Database.Database): (storyId: string) => void {
  const clear = db.prepare('DELETE FROM story_tags WHERE story_id = ?');
  const fill = db.prepare(`
    INSERT OR IGNORE INTO story_tags (story_id, tag)
    SELECT DISTINCT i.story_id, t.tag FROM item_tags t JOIN items i ON i.id = t.item_id WHERE i.story_id = ?`);
  return (storyId) => {
    clear.run(storyId);
    fill.run(storyId);
  };
}
