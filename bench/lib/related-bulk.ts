// The related-posts index of a bulk-generated base filled with set-based SQL: the rows that SqliteStore.indexStories
// writes one story at a time (index row, FTS5 text, tag and word counts, tag postings), for every story at once.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { extractTerms } from '../../src/relate/index.ts';
import { NEWEST_POSTINGS, postingDate } from '../../src/store/sqlite/related-terms.ts';
import { weighTerms } from '../../src/store/term-weights.ts';

/**
 * The related tables' SQL this fill was written against, with whether it has weighted-word postings. Earlier fills
 * were checked against indexStories under migrations 0001–0005 (commit 09a0fe8), 0001–0006 (a8e078a), 0001–0007 and
 * 0001–0008 (the same rows as indexStories on 3,000 stories, and the same lists from computeRelated). This one writes
 * 0009's stories' words and word blocks (tests/store/term-blocks.test.ts checks that blocks of any split hold the
 * same postings and give the same sums). Another schema (the related-posts code is still changing) makes
 * `fillRelatedIndex` decline, and the caller goes through indexStories.
 */
export const RELATED_SCHEMAS: Record<string, { termPostings: boolean }> = {
  // 0001–0009: 0007's subject space and word counts are left empty (NULL counts: once each, as the indexStories path
  // of the base writes them; persistNewestRelated fits the space)
  'ce361eec34d4': { termPostings: true },
};

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
  const schema = RELATED_SCHEMAS[relatedSchemaHash(db)];
  if (!schema) return false;
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
    if (schema.termPostings) fillTermPostings(db);
  })();
  return true;
}

/**
 * The weighted-word postings as indexStories writes them one story at a time, in the same order: each story's words
 * (counted once: the base's documents carry no counts) weighed by weighTerms with the word counts and the number of
 * stories as they stood when it was indexed. Written as 0009 stores them: the stories' words, and each word's postings
 * in date-ordered blocks of NEWEST_POSTINGS counted from the newest (as migration 0009 cuts them).
 */
function fillTermPostings(db: Database.Database): void {
  const df = new Map<string, number>();
  const rows: [string, string, string, number][] = [];
  let n = 0;
  for (const row of db.prepare('SELECT story_id, date, terms FROM related_index ORDER BY rowid').iterate() as IterableIterator<{ story_id: string; date: string; terms: string }>) {
    const terms = JSON.parse(row.terms) as string[];
    n++;
    for (const term of terms) df.set(term, (df.get(term) ?? 0) + 1);
    const date = postingDate(row.date);
    for (const [term, weight] of weighTerms(terms.map((t): [string, number] => [t, 1]), (t) => df.get(t) ?? 1, n)) rows.push([term, date, row.story_id, weight]);
  }
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
  const story = db.prepare('INSERT INTO related_story_terms (story_id, term, date, weight, share) VALUES (?, ?, ?, ?, ?)');
  for (const r of [...rows].sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : a[0] < b[0] ? -1 : 1))) story.run(r[2], r[0], r[1], r[3], String(r[3]));
  const block = db.prepare(`INSERT INTO related_term_blocks (term, first_date, first_story, head, n, last_date, last_story, postings)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  for (let start = 0; start < rows.length; ) {
    const term = rows[start]![0];
    let end = start;
    while (end < rows.length && rows[end]![0] === term) end++;
    // as migration 0009 cuts them: blocks of NEWEST_POSTINGS counted from the newest, the oldest one the head
    for (let to = end; to > start; to -= NEWEST_POSTINGS) {
      const chunk = rows.slice(Math.max(start, to - NEWEST_POSTINGS), to);
      block.run(term, chunk[0]![1], chunk[0]![2], to - NEWEST_POSTINGS <= start ? 1 : 0, chunk.length, chunk.at(-1)![1], chunk.at(-1)![2],
        ` ${chunk.map((r) => `${r[1]} ${r[2]} ${String(r[3])}`).join(' ')} `);
    }
    start = end;
  }
}
