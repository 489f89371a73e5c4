-- 0004: editorial overrides (merge, split, hide), kept so that explain can show who decided what and when.
CREATE TABLE story_overrides (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,          -- merge | split | hide | unhide
  story_id   TEXT NOT NULL,          -- the story acted on (merge: the surviving one)
  other_id   TEXT,                   -- merge: the story merged away; split: the new story
  item_id    INTEGER,                -- split: the item moved out
  decided_at TEXT NOT NULL
);
CREATE INDEX story_overrides_story ON story_overrides (story_id);
-- a merged-away story id points to the one that survived, so old links and explain still resolve
CREATE TABLE story_aliases (
  old_id TEXT PRIMARY KEY,
  new_id TEXT NOT NULL
) WITHOUT ROWID;
