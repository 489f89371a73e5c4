-- 0006: related posts by weighted words: each indexed story keeps its most telling words (tf-idf, unit length) as
-- postings by date, so text similarity is a bounded dot product over the nearest postings of each word (replaces a
-- bm25 query over FTS5, which had to drop common words to stay fast; FTS5 stays for feeds' `query:` filter).
CREATE TABLE related_terms (
  term     TEXT NOT NULL,
  date     TEXT NOT NULL,
  story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
  weight   REAL NOT NULL,
  PRIMARY KEY (term, date, story_id)
) WITHOUT ROWID;
CREATE INDEX related_terms_story ON related_terms (story_id);

-- Stories indexed before this migration: their word lists with equal weights, until the relate stage re-indexes them.
INSERT OR IGNORE INTO related_terms (term, date, story_id, weight)
  SELECT j.value, i.date, i.story_id, 1.0 / sqrt(json_array_length(i.terms))
  FROM related_index i, json_each(i.terms) j
  WHERE json_array_length(i.terms) > 0;

-- A related list is written as one delete and up to 20 inserts: the change counter (0005) now moves once per list,
-- in the same transaction (src/store/sqlite/related.ts), instead of once per row. Rows removed with their story
-- move it through the stories trigger.
DROP TRIGGER story_related_changed_insert;
DROP TRIGGER story_related_changed_delete;
