-- 0003: tombstones of purged items, so that a feed still listing them does not bring them back.
CREATE TABLE tombstones (
  source_id TEXT NOT NULL,
  identity  TEXT NOT NULL,
  purged_at TEXT NOT NULL,
  PRIMARY KEY (source_id, identity)
) WITHOUT ROWID;
