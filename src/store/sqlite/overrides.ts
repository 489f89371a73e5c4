// Editorial overrides: merge two stories, split an item out, hide or unhide a story. Automatic grouping never undoes them.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { createStoryTagRefresher } from './story-tags.ts';
import { StoreError } from '../errors.ts';

export function createOverrideTable(db: Database.Database) {
  const story = db.prepare('SELECT id, created_at, date FROM stories WHERE id = ?');
  const alias = db.prepare('SELECT new_id FROM story_aliases WHERE old_id = ?');
  const item = db.prepare('SELECT id, story_id, source_id, identity FROM items WHERE id = ?');
  const itemCount = db.prepare('SELECT COUNT(*) AS n FROM items WHERE story_id = ?');
  const moveItems = db.prepare('UPDATE items SET story_id = @to WHERE story_id = @from');
  const moveItem = db.prepare('UPDATE items SET story_id = ? WHERE id = ?');
  const redecideStory = db.prepare(`UPDATE story_decisions SET story_id = @to, rule = 'manual-merge', score = NULL, matched_item_id = NULL, decided_at = @now WHERE story_id = @from`);
  const redecideItem = db.prepare(`UPDATE story_decisions SET story_id = ?, rule = 'manual-split', score = NULL, matched_item_id = NULL, decided_at = ? WHERE item_id = ?`);
  const mergeDates = db.prepare('UPDATE stories SET date = MIN(date, @date), updated_at = @now, is_withdrawn = MAX(is_withdrawn, @withdrawn) WHERE id = @id');
  const storyWithdrawn = db.prepare('SELECT is_withdrawn FROM stories WHERE id = ?');
  const deleteStory = db.prepare('DELETE FROM stories WHERE id = ?');
  const insertAlias = db.prepare('INSERT OR REPLACE INTO story_aliases (old_id, new_id) VALUES (?, ?)');
  const repointAliases = db.prepare('UPDATE story_aliases SET new_id = ? WHERE new_id = ?');
  const insertStory = db.prepare('INSERT INTO stories (id, created_at, updated_at, date) VALUES (?, ?, ?, ?)');
  const itemDate = db.prepare('SELECT MIN(COALESCE(MIN(published, first_seen), first_seen)) AS d FROM items WHERE story_id = ?');
  const setDate = db.prepare('UPDATE stories SET date = ?, updated_at = ? WHERE id = ?');
  const setHidden = db.prepare('UPDATE stories SET is_hidden = ?, updated_at = ? WHERE id = ?');
  const record = db.prepare('INSERT INTO story_overrides (kind, story_id, other_id, item_id, decided_at) VALUES (?, ?, ?, ?, ?)');
  const history = db.prepare('SELECT kind, story_id, other_id, item_id, decided_at FROM story_overrides WHERE story_id = ? OR other_id = ? ORDER BY id');

  const refreshTags = createStoryTagRefresher(db);

  /** A story id, following merges; throws a named error for an unknown id. */
  const resolveStory = (id: string): { id: string; created_at: string; date: string } => {
    const target = (alias.get(id) as { new_id: string } | undefined)?.new_id ?? id;
    const row = story.get(target) as { id: string; created_at: string; date: string } | undefined;
    if (!row) throw new StoreError('STORE_NOT_FOUND', `no story ${id}`);
    return row;
  };

  return {
    resolveStoryId: (id: string): string | undefined => {
      try {
        return resolveStory(id).id;
      } catch {
        return undefined;
      }
    },
    /** Merges two stories; the older id survives (DESIGN.md). Returns the surviving id. */
    merge: db.transaction((a: string, b: string, now: string): string => {
      const [first, second] = [resolveStory(a), resolveStory(b)];
      if (first.id === second.id) return first.id;
      const [keep, gone] = first.created_at <= second.created_at ? [first, second] : [second, first];
      const withdrawn = (storyWithdrawn.get(gone.id) as { is_withdrawn: number }).is_withdrawn;
      moveItems.run({ from: gone.id, to: keep.id });
      redecideStory.run({ from: gone.id, to: keep.id, now });
      mergeDates.run({ id: keep.id, date: gone.date, now, withdrawn });
      refreshTags(keep.id);
      deleteStory.run(gone.id);
      repointAliases.run(keep.id, gone.id);
      insertAlias.run(gone.id, keep.id);
      record.run('merge', keep.id, gone.id, null, now);
      return keep.id;
    }).immediate,
    /** Moves one item out of its story into a story of its own; returns the new story id. */
    split: db.transaction((itemId: number, now: string): string => {
      const row = item.get(itemId) as { id: number; story_id: string; source_id: string; identity: string } | undefined;
      if (!row) throw new StoreError('STORE_NOT_FOUND', `no item ${itemId}`);
      if ((itemCount.get(row.story_id) as { n: number }).n < 2) throw new StoreError('STORE_NOT_FOUND', `item ${itemId} is alone in story ${row.story_id}: nothing to split`);
      const newId = `s_${createHash('sha256').update(`${row.source_id}\u0000${row.identity}\u0000split\u0000${now}`).digest('hex').slice(0, 16)}`;
      insertStory.run(newId, now, now, now);
      moveItem.run(newId, itemId);
      redecideItem.run(newId, now, itemId);
      for (const id of [newId, row.story_id]) {
        setDate.run((itemDate.get(id) as { d: string }).d, now, id);
        refreshTags(id);
      }
      record.run('split', row.story_id, newId, itemId, now);
      return newId;
    }).immediate,
    setHidden: db.transaction((id: string, hidden: boolean, now: string): string => {
      const target = resolveStory(id);
      setHidden.run(hidden ? 1 : 0, now, target.id);
      record.run(hidden ? 'hide' : 'unhide', target.id, null, null, now);
      return target.id;
    }).immediate,
    history(storyId: string) {
      return history.all(storyId, storyId) as { kind: string; story_id: string; other_id: string | null; item_id: number | null; decided_at: string }[];
    },
  };
}
