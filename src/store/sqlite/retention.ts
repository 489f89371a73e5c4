// Retention: purges old stories in small batches, leaving a tombstone per item; and consistent online backups.
import type Database from 'better-sqlite3';
import type { PurgeOptions } from '../types.ts';

export function createRetention(db: Database.Database) {
  const candidates = db.prepare(`
    SELECT s.id FROM stories s
    WHERE s.date < @latestCutoff
      AND NOT EXISTS (
        SELECT 1 FROM items i WHERE i.story_id = s.id
          AND s.date >= COALESCE((SELECT c.value FROM json_each(@cutoffs) c WHERE c.key = i.source_id), @defaultCutoff))
      AND s.id NOT IN (SELECT value FROM json_each(@keep))
    LIMIT @batch`);
  const tombstone = db.prepare(`
    INSERT OR IGNORE INTO tombstones (source_id, identity, purged_at)
    SELECT source_id, identity, @now FROM items WHERE story_id = @id`);
  const deleteItems = db.prepare('DELETE FROM items WHERE story_id = ?');
  const deleteStory = db.prepare('DELETE FROM stories WHERE id = ?');

  // selection and deletion in one write transaction: an item stored meanwhile by another process is never lost
  const purgeBatch = db.transaction((options: PurgeOptions): string[] => {
    const cutoffs = Object.values(options.sourceCutoffs);
    const latestCutoff = [options.defaultCutoff, ...cutoffs].sort().at(-1) as string;
    const ids = (
      candidates.all({
        latestCutoff,
        defaultCutoff: options.defaultCutoff,
        cutoffs: JSON.stringify(options.sourceCutoffs),
        keep: JSON.stringify([...options.keep]),
        batch: options.batchSize,
      }) as { id: string }[]
    ).map((row) => row.id);
    const now = options.now.toISOString();
    for (const id of ids) {
      tombstone.run({ id, now });
      deleteItems.run(id); // keys, tags, decisions go with their items (ON DELETE CASCADE)
      deleteStory.run(id);
    }
    return ids;
  });

  return {
    /** One batch: the ids purged (empty when nothing is left to purge). */
    purgeBatch(options: PurgeOptions): string[] {
      return purgeBatch.immediate(options);
    },
    /** A consistent copy of the database, also while another process writes (SQLite VACUUM INTO). */
    backupTo(path: string): void {
      db.prepare('VACUUM INTO ?').run(path);
    },
  };
}
