-- 0001: sources and their fetch state, items, stories, dedupe keys, tags and the story decisions.

CREATE TABLE sources (
  id                    TEXT PRIMARY KEY,
  title                 TEXT NOT NULL,
  attribution           TEXT NOT NULL,
  priority              INTEGER NOT NULL DEFAULT 0,
  republish             TEXT NOT NULL DEFAULT 'summary',
  url                   TEXT,
  path                  TEXT,
  config_hash           TEXT,
  effective_url         TEXT,
  etag                  TEXT,
  last_modified         TEXT,
  last_fetch_at         TEXT,
  last_status           INTEGER,
  last_error_code       TEXT,
  last_error_message    TEXT,
  last_success_at       TEXT,
  consecutive_errors    INTEGER NOT NULL DEFAULT 0,
  next_check_at         TEXT,
  is_failing            INTEGER NOT NULL DEFAULT 0,
  is_gone               INTEGER NOT NULL DEFAULT 0,
  last_unconditional_at TEXT,
  -- the source's own polling hints (RSS ttl, skipHours, skipDays) as JSON, kept for fetches that parse nothing
  poll_hints            TEXT,
  is_active             INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE fetch_log (
  id            INTEGER PRIMARY KEY,
  source_id     TEXT NOT NULL,
  started_at    TEXT NOT NULL,
  duration_ms   INTEGER NOT NULL,
  status        INTEGER,
  error_code    TEXT,
  error_message TEXT,
  items_seen    INTEGER NOT NULL DEFAULT 0,
  items_new     INTEGER NOT NULL DEFAULT 0,
  items_updated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX fetch_log_source ON fetch_log (source_id, started_at);

CREATE TABLE stories (
  id               TEXT PRIMARY KEY,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  -- min(published, first seen) over the story's items: ranking and max_age
  date             TEXT NOT NULL,
  is_hidden        INTEGER NOT NULL DEFAULT 0,
  is_withdrawn     INTEGER NOT NULL DEFAULT 0,
  withdrawn_reason TEXT
);
CREATE INDEX stories_date ON stories (date);
CREATE INDEX stories_updated ON stories (updated_at);

CREATE TABLE items (
  id             INTEGER PRIMARY KEY,
  source_id      TEXT NOT NULL,
  identity       TEXT NOT NULL,
  story_id       TEXT NOT NULL REFERENCES stories (id),
  guid           TEXT,
  title          TEXT NOT NULL,
  link           TEXT,
  canonical_url  TEXT,
  published      TEXT,
  updated        TEXT,
  author         TEXT,
  summary        TEXT,
  content_html   TEXT,
  categories     TEXT NOT NULL DEFAULT '[]',
  enclosures     TEXT NOT NULL DEFAULT '[]',
  image          TEXT,
  language       TEXT,
  is_withdrawn   INTEGER NOT NULL DEFAULT 0,
  content_hash   TEXT NOT NULL,
  signature      BLOB,
  version_kind   TEXT,
  version_number INTEGER,
  version_note   TEXT,
  first_seen     TEXT NOT NULL,
  last_seen      TEXT NOT NULL,
  UNIQUE (source_id, identity)
);
CREATE INDEX items_story ON items (story_id);
CREATE INDEX items_canonical_url ON items (canonical_url);
CREATE INDEX items_guid ON items (guid);
CREATE INDEX items_link ON items (link);

-- Keys shared by items of one story (canonical URL, fingerprint bands, headline keys, guid stems).
CREATE TABLE item_keys (
  key     TEXT NOT NULL,
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  seen_at TEXT NOT NULL,
  PRIMARY KEY (key, item_id)
) WITHOUT ROWID;
CREATE INDEX item_keys_item ON item_keys (item_id);
-- newest first per key: a key shared by thousands of items (a templated headline) still answers in a few rows
CREATE INDEX item_keys_recent ON item_keys (key, seen_at DESC);

CREATE TABLE item_tags (
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  tag     TEXT NOT NULL,
  origin  TEXT NOT NULL,
  PRIMARY KEY (item_id, tag, origin)
) WITHOUT ROWID;

-- The union of the tags of a story's items, kept in step on every write, for feed filters.
CREATE TABLE story_tags (
  story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
  tag      TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (story_id, tag)
) WITHOUT ROWID;
CREATE INDEX story_tags_tag ON story_tags (tag, story_id);

-- Why each item joined its story, as decided at the time (wiredesk explain).
CREATE TABLE story_decisions (
  item_id         INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  story_id        TEXT NOT NULL,
  rule            TEXT NOT NULL,
  score           REAL,
  matched_item_id INTEGER,
  decided_at      TEXT NOT NULL
);
