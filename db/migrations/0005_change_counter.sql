-- 0005: a counter that moves on every change an output could show (stories, their tags, their related posts).
-- stories.updated_at carries the fetch's start time, so a slow batch committed after a quicker one could leave
-- MAX(updated_at) unchanged: the render cache keys on this counter instead.
CREATE TABLE store_changes (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
);
INSERT INTO store_changes (id, seq) VALUES (1, 0);

CREATE TRIGGER stories_changed_insert AFTER INSERT ON stories BEGIN UPDATE store_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER stories_changed_update AFTER UPDATE ON stories BEGIN UPDATE store_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER stories_changed_delete AFTER DELETE ON stories BEGIN UPDATE store_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER story_tags_changed_insert AFTER INSERT ON story_tags BEGIN UPDATE store_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER story_tags_changed_delete AFTER DELETE ON story_tags BEGIN UPDATE store_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER story_related_changed_insert AFTER INSERT ON story_related BEGIN UPDATE store_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER story_related_changed_delete AFTER DELETE ON story_related BEGIN UPDATE store_changes SET seq = seq + 1 WHERE id = 1; END;
