// The subject space of related posts as SQLite keeps it: the latest fit's word vectors, and the sample it is fitted on.
import type Database from 'better-sqlite3';
import type { SubjectModel, SubjectModelInfo } from '../types.ts';

/** A vector as a BLOB: float32, the machine's byte order (little-endian on every platform Node supports). */
export const vectorToBlob = (vector: Float32Array): Buffer => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);

/** A BLOB back into a vector (copied: a Buffer from SQLite need not be 4-byte aligned). */
export function blobToVector(blob: Buffer | null | undefined): Float32Array | undefined {
  if (!blob || blob.byteLength % 4 !== 0 || blob.byteLength === 0) return undefined;
  return new Float32Array(new Uint8Array(blob).buffer);
}

/** SQL for a related_index row's subject vector, NULL unless folded with the current fit (`alias` is the table's alias). */
export const currentSubject = (alias: string) =>
  `CASE WHEN ${alias}.subject_version = (SELECT version FROM related_subject_model WHERE id = 1) THEN ${alias}.subject END`;

/** A row's word list and its counts (JSON arrays in the same order; counts NULL: once each) as pairs. */
export function zipCounts(terms: string, counts: string | null): [string, number][] {
  const list = JSON.parse(terms) as string[];
  const numbers = counts ? (JSON.parse(counts) as number[]) : [];
  return list.map((term, i) => [term, numbers[i] ?? 1]);
}

interface ModelRow {
  version: number;
  dims: number;
  stories: number;
  indexed: number;
  sample: number;
  fitted_at: string;
}

export function createSubjectTables(db: Database.Database) {
  const info = db.prepare('SELECT version, dims, stories, indexed, sample, fitted_at FROM related_subject_model WHERE id = 1');
  const terms = db.prepare('SELECT term, vector FROM related_subject_terms').raw();
  const clearTerms = db.prepare('DELETE FROM related_subject_terms');
  const insertTerm = db.prepare('INSERT INTO related_subject_terms (term, vector) VALUES (?, ?)');
  const upsertModel = db.prepare(`INSERT INTO related_subject_model (id, version, dims, stories, indexed, sample, fitted_at)
    VALUES (1, @version, @dims, @stories, @indexed, @sample, @fittedAt)
    ON CONFLICT (id) DO UPDATE SET version = @version, dims = @dims, stories = @stories, indexed = @indexed, sample = @sample,
      fitted_at = @fittedAt`);
  const setVector = db.prepare('UPDATE related_index SET subject = ?, subject_version = ? WHERE story_id = ?');
  const position = db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM related_index').pluck();
  const storyCount = db.prepare("SELECT stories FROM related_tag_counts WHERE tag = ''").pluck();
  const latest = db.prepare('SELECT story_id, terms, term_counts FROM related_index ORDER BY date DESC, rowid DESC LIMIT ?').raw();
  const stale = db.prepare(`SELECT rowid, story_id, terms, term_counts FROM related_index
    WHERE rowid < ? AND subject_version IS NOT ? ORDER BY rowid DESC LIMIT ?`).raw();

  const toInfo = (row: ModelRow): SubjectModelInfo => ({
    version: row.version, dims: row.dims, stories: row.stories, indexed: row.indexed, sample: row.sample, fittedAt: row.fitted_at,
  });

  const save = db.transaction((model: SubjectModel, vectors: ReadonlyMap<string, Float32Array>) => {
    const current = info.get() as ModelRow | undefined;
    if (current && current.version >= model.version) {
      throw new Error(`subject model version ${model.version} is not newer than the stored version ${current.version}`);
    }
    upsertModel.run({
      version: model.version, dims: model.dims, stories: model.stories, indexed: model.indexed, sample: model.sample, fittedAt: model.fittedAt,
    });
    clearTerms.run();
    for (const [term, vector] of model.terms) insertTerm.run(term, vectorToBlob(vector));
    for (const [storyId, vector] of vectors) setVector.run(vectorToBlob(vector), model.version, storyId);
  });

  const saveVectors = db.transaction((version: number, vectors: ReadonlyMap<string, Float32Array>): boolean => {
    if ((info.get() as ModelRow | undefined)?.version !== version) return false;
    for (const [storyId, vector] of vectors) setVector.run(vectorToBlob(vector), version, storyId);
    return true;
  });

  return {
    info(): SubjectModelInfo | undefined {
      const row = info.get() as ModelRow | undefined;
      return row ? toInfo(row) : undefined;
    },
    load(): SubjectModel | undefined {
      const row = info.get() as ModelRow | undefined;
      if (!row) return undefined;
      const map = new Map<string, Float32Array>();
      for (const [term, blob] of terms.all() as [string, Buffer][]) {
        const vector = blobToVector(blob);
        if (vector?.length === row.dims) map.set(term, vector);
      }
      return { ...toInfo(row), terms: map };
    },
    save(model: SubjectModel, vectors: ReadonlyMap<string, Float32Array>): void {
      save.immediate(model, vectors);
    },
    saveVectors(version: number, vectors: ReadonlyMap<string, Float32Array>): boolean {
      return vectors.size === 0 ? true : saveVectors.immediate(version, vectors);
    },
    stale(version: number, limit: number, before = Number.MAX_SAFE_INTEGER): { stories: Map<string, [string, number][]>; next?: number } {
      const stories = new Map<string, [string, number][]>();
      let next: number | undefined;
      for (const [rowid, storyId, terms, counts] of stale.all(before, version, Math.max(0, limit)) as [number, string, string, string | null][]) {
        stories.set(storyId, zipCounts(terms, counts));
        next = rowid;
      }
      return stories.size < limit ? { stories } : { stories, next };
    },
    sample(limit: number): { stories: number; indexed: number; sample: Map<string, [string, number][]> } {
      const sample = new Map<string, [string, number][]>();
      for (const [storyId, terms, counts] of latest.all(Math.max(0, limit)) as [string, string, string | null][]) {
        sample.set(storyId, zipCounts(terms, counts));
      }
      return { stories: Number(storyCount.get() ?? 0), indexed: Number(position.get() ?? 0), sample };
    },
  };
}
