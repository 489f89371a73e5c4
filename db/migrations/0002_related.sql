-- 0002: related posts: a per-story index (shown title and link, tags, terms), tag and term counts, FTS5 over title
-- and lead, tag postings by date, and the persisted related lists with the parts of each score.

-- One row per indexed story; its rowid is the story's FTS5 rowid. `tags` and `terms` are the snapshot that the
-- counts below were built from, so that re-indexing a story can take its old contribution back out.
CREATE TABLE related_index (
  rowid        INTEGER PRIMARY KEY,
  story_id     TEXT NOT NULL UNIQUE REFERENCES stories (id) ON DELETE CASCADE,
  date         TEXT NOT NULL,
  title        TEXT NOT NULL,
  link         TEXT,
  source_title TEXT,
  tags         TEXT NOT NULL DEFAULT '[]',
  terms        TEXT NOT NULL DEFAULT '[]',
  is_listed    INTEGER NOT NULL DEFAULT 1,
  indexed_at   TEXT NOT NULL
);

-- Title and lead only (STACK.md: whole-body FTS is the ingest bottleneck). Contentless: the text lives in items.
CREATE VIRTUAL TABLE related_fts USING fts5 (
  title, lead,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO related_fts (related_fts, rank) VALUES ('automerge', 8);
INSERT INTO related_fts (related_fts, rank) VALUES ('crisismerge', 64);

-- Stories per tag (IDF) and per term (to leave out words too common to tell stories apart). Key '' of
-- related_tag_counts holds the number of indexed stories.
CREATE TABLE related_tag_counts (
  tag     TEXT PRIMARY KEY COLLATE NOCASE,
  stories INTEGER NOT NULL
);
INSERT INTO related_tag_counts (tag, stories) VALUES ('', 0);
CREATE TABLE related_term_counts (
  term    TEXT PRIMARY KEY,
  stories INTEGER NOT NULL
);

-- Tag postings ordered by story date: a common tag yields only the stories nearest in time.
CREATE TABLE related_postings (
  tag      TEXT NOT NULL COLLATE NOCASE,
  date     TEXT NOT NULL,
  story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, date, story_id)
) WITHOUT ROWID;
CREATE INDEX related_postings_story ON related_postings (story_id);

-- The persisted related list of each story, best first.
CREATE TABLE story_related (
  story_id    TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
  rank        INTEGER NOT NULL,
  related_id  TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
  score       REAL NOT NULL,
  parts       TEXT NOT NULL,
  computed_at TEXT NOT NULL,
  PRIMARY KEY (story_id, rank)
) WITHOUT ROWID;
CREATE INDEX story_related_related ON story_related (related_id);

-- A story removed (retention) takes its FTS row and its share of the counts with it.
CREATE TRIGGER related_index_delete AFTER DELETE ON related_index BEGIN
  DELETE FROM related_fts WHERE rowid = old.rowid;
  UPDATE related_tag_counts SET stories = stories - 1 WHERE tag IN (SELECT value FROM json_each(old.tags));
  UPDATE related_tag_counts SET stories = stories - 1 WHERE tag = '';
  UPDATE related_term_counts SET stories = stories - 1 WHERE term IN (SELECT value FROM json_each(old.terms));
END;
