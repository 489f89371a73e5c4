-- 0007: the subject space of related posts (latent semantic analysis fitted on the store's recent stories, see
-- src/relate/subjects.ts): the word vectors of the latest fit, each indexed story's word counts, and its subject
-- vector with the version of the fit it was folded with (a vector of an older fit is never compared with one of the current fit).

-- The latest fit: one row. `stories` is the size of the index when it was fitted; `indexed` the highest related_index
-- rowid then, which only grows (retention removes old stories, so the size can stand still while stories arrive):
-- the refit cadence counts new stories from it.
CREATE TABLE related_subject_model (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  version   INTEGER NOT NULL,
  dims      INTEGER NOT NULL,
  stories   INTEGER NOT NULL,
  indexed   INTEGER NOT NULL,
  sample    INTEGER NOT NULL,
  fitted_at TEXT NOT NULL
);

-- Each word's vector (dims float32, little-endian), its IDF in the fitting sample folded in.
CREATE TABLE related_subject_terms (
  term   TEXT PRIMARY KEY,
  vector BLOB NOT NULL
) WITHOUT ROWID;

-- How often each of `terms` occurs (a JSON array in the same order; NULL: once each): a refit folds stories from it.
ALTER TABLE related_index ADD COLUMN term_counts TEXT;
ALTER TABLE related_index ADD COLUMN subject BLOB;
ALTER TABLE related_index ADD COLUMN subject_version INTEGER;
