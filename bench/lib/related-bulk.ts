// The related-posts index of a bulk-generated base filled with set-based SQL: the rows that SqliteStore.indexStories
// writes one story at a time (index row, FTS5 text, tag and word counts, tag postings), for every story at once.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { extractTerms } from '../../src/relate/index.ts';

/**
 * The related tables' SQL this fill was written against (migrations 0001–0005 at commit 09a0fe8, where it wrote the
 * same rows as indexStories on 3,000 stories and computeRelated gave the same lists). Another schema (the related-posts
 * code is still changing) makes `fillRelatedIndex` decline, and the caller goes through indexStories.
 */
export const RELATED_SCHEMA_HASH = 'f49038a9d78e';

export function relatedSchemaHash(db: Database.Database): string {
  const sql = (db.prepare("SELECT name, sql FROM sqlite_master WHERE name LIKE 'related%' AND sql IS NOT NULL ORDER BY name").all() as { name: string; sql: string }[])
    .map((r) => `${r.name}:${r.sql.replace(/\s+/g, ' ')}`).join('\n');
  return createHash('sha256').update(sql).digest('hex').slice(0, 12);
}

/** The lead the base indexes for a stored summary (the same text the indexStories path of bench/lib/base.ts builds). */
export const leadOfSummary = (summary: string | null): string => (summary ?? '').replace(/<[^>]*>/g, ' ').slice(0, 300);

/**
 * Indexes every stored story (the index must be empty): one statement per table, in story order, inside one
 * transaction. Returns false, writing nothing, when the schema is not the one this was written for.
 */
export function fillRelatedIndex(db: Database.Database, now: Date): boolean {
  if (relatedSchemaHash(db) !== RELATED_SCHEMA_HASH) return false;
  if ((db.prepare('SELECT COUNT(*) AS n FROM related_index').get() as { n: number }).n !== 0) return false;
  db.function('bench_lead', { deterministic: true }, (summary: unknown) => leadOfSummary(summary as string | null));
  db.function('bench_terms', { deterministic: true }, (title: unknown, lead: unknown) => JSON.stringify([...new Set(extractTerms(String(title), String(lead)))]));
  db.transaction(() => {
    // one item per bulk story: its first item gives the title, link and lead, as in the indexStories path
    db.exec(`CREATE TEMP TABLE bench_docs AS
      SELECT s.id AS story_id, s.date, i.title, i.link, i.source_id AS source_title, bench_lead(i.summary) AS lead,
        (SELECT json_group_array(tag) FROM story_tags t WHERE t.story_id = s.id) AS tags
      FROM stories s JOIN items i ON i.story_id = s.id ORDER BY s.rowid`);
    db.prepare(`INSERT INTO related_index (story_id, date, title, link, source_title, tags, terms, indexed_at)
      SELECT story_id, date, title, link, source_title, tags, bench_terms(title, lead), ? FROM bench_docs ORDER BY rowid`).run(now.toISOString());
    db.exec(`INSERT INTO related_fts (rowid, title, lead)
      SELECT r.rowid, d.title, d.lead FROM bench_docs d JOIN related_index r ON r.story_id = d.story_id ORDER BY r.rowid`);
    db.exec(`INSERT INTO related_tag_counts (tag, stories)
      SELECT min(j.value), COUNT(*) FROM related_index r, json_each(r.tags) j GROUP BY j.value COLLATE NOCASE`);
    db.exec("UPDATE related_tag_counts SET stories = stories + (SELECT COUNT(*) FROM related_index) WHERE tag = ''");
    db.exec(`INSERT INTO related_term_counts (term, stories)
      SELECT j.value, COUNT(*) FROM related_index r, json_each(r.terms) j GROUP BY j.value`);
    db.exec(`INSERT OR IGNORE INTO related_postings (tag, date, story_id)
      SELECT j.value, r.date, r.story_id FROM related_index r, json_each(r.tags) j ORDER BY 1, 2, 3`);
    db.exec('DROP TABLE bench_docs');
  })();
  return true;
}
