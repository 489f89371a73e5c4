-- 0009: word postings stored once, in date-ordered blocks per word, so that relating a new story reads one or two rows
-- per word (its newest block) instead of ~50 postings rows, and indexing still writes one page per word.
--
-- related_story_terms: a story's weighted words (its vector, and what to take out of the blocks when it goes).
-- `share` is the weight exactly as its block's text holds it.
CREATE TABLE related_story_terms (
  story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
  term     TEXT NOT NULL,
  date     TEXT NOT NULL,
  weight   REAL NOT NULL,
  share    TEXT NOT NULL,
  PRIMARY KEY (story_id, term)
) WITHOUT ROWID;

-- related_term_blocks: a word's postings as "date story_id share" triples, space-separated with a space at each end,
-- oldest first; blocks of one word cover consecutive ranges of (date, story_id), and a block's key is the first
-- posting it was given (its postings are never before it). `head` = 1: no block of the word before it.
-- src/store/sqlite/related-terms.ts splits a block past 84 postings, keeping the newest 56 together, so that a
-- word's newest postings are one row.
CREATE TABLE related_term_blocks (
  id          INTEGER PRIMARY KEY,
  term        TEXT NOT NULL,
  first_date  TEXT NOT NULL,
  first_story TEXT NOT NULL,
  head        INTEGER NOT NULL DEFAULT 0,
  -- how many postings, and the last one's key (the last may have been deleted since: never before the true last)
  n           INTEGER NOT NULL,
  last_date   TEXT NOT NULL,
  last_story  TEXT NOT NULL,
  postings    TEXT NOT NULL
);
CREATE UNIQUE INDEX related_term_blocks_key ON related_term_blocks (term, first_date, first_story);

INSERT INTO related_story_terms (story_id, term, date, weight, share)
  SELECT story_id, term, date, weight, CAST(weight AS TEXT) FROM related_terms;

-- blocks of 56 (what a split keeps together) counted from each word's newest posting, so that the newest 56 are one
-- row; each keyed by its first posting, the oldest one the head
INSERT INTO related_term_blocks (term, first_date, first_story, head, n, last_date, last_story, postings)
  SELECT term, MAX(CASE WHEN k = 1 THEN date END), MAX(CASE WHEN k = 1 THEN story_id END), block = MAX(last), COUNT(*),
    MAX(CASE WHEN j = 1 THEN date END), MAX(CASE WHEN j = 1 THEN story_id END),
    ' ' || group_concat(date || ' ' || story_id || ' ' || CAST(weight AS TEXT), ' ' ORDER BY date, story_id) || ' '
  FROM (SELECT term, date, story_id, weight, block, MAX(block) OVER (PARTITION BY term) AS last,
      row_number() OVER (PARTITION BY term, block ORDER BY date, story_id) AS k,
      row_number() OVER (PARTITION BY term, block ORDER BY date DESC, story_id DESC) AS j
    FROM (SELECT term, date, story_id, weight, (row_number() OVER (PARTITION BY term ORDER BY date DESC, story_id DESC) - 1) / 56 AS block
      FROM related_terms))
  GROUP BY term, block;

DROP TABLE related_terms;

-- A story deleted by anything but the code that keeps the blocks (retention, a merge: the stories cascade) takes its
-- postings out of the block that holds each of them; an emptied block goes too.
CREATE TRIGGER related_story_terms_delete AFTER DELETE ON related_story_terms BEGIN
  UPDATE related_term_blocks SET postings = replace(postings, ' ' || old.date || ' ' || old.story_id || ' ' || old.share || ' ', ' '),
    n = n - (instr(postings, ' ' || old.date || ' ' || old.story_id || ' ' || old.share || ' ') > 0)
  WHERE id = (SELECT id FROM related_term_blocks WHERE term = old.term AND (first_date, first_story) <= (old.date, old.story_id)
    ORDER BY first_date DESC, first_story DESC LIMIT 1);
  DELETE FROM related_term_blocks WHERE term = old.term AND postings = ' '
    AND id = (SELECT id FROM related_term_blocks WHERE term = old.term AND (first_date, first_story) <= (old.date, old.story_id)
      ORDER BY first_date DESC, first_story DESC LIMIT 1);
END;
