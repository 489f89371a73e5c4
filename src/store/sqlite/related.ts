// The related-posts tables: the story index (tag and weighted-word postings by date, tag and word counts, FTS5 for feed queries) and the persisted lists.
import type Database from 'better-sqlite3';
import type {
  RelatedCandidate,
  RelatedCandidateQuery,
  RelatedCandidateSet,
  RelatedDoc,
  RelatedParts,
  RelatedPick,
  RelatedScope,
  StoredRelated,
} from '../types.ts';
import { createTermPostings } from './related-terms.ts';
import { blobToVector, currentSubject, vectorToBlob, zipCounts } from './subjects.ts';

/** At most this many of the story's tags are looked up (the rarest ones): a story with 40 tags stays cheap. */
const MAX_SUBJECT_TAGS = 16;
/** Stories reached only through tags: at most this many (the ones sharing the most informative tags) are returned. */
const MAX_TAG_CANDIDATES = 30;

interface IndexRow {
  rowid: number;
  story_id: string;
  date: string;
  title: string;
  tags: string;
  terms: string;
  term_counts?: string | null;
  subject?: Buffer | null;
}

/** Code-unit order: stable tie-breaks without ICU collation, which cost ~1 ms a call in the hot path. */
export const compareCodes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Inverse document frequency of a tag or word in `df` of `n` stories: "United States" says little, "Gustavo Petro" a lot. */
export function inverseFrequency(n: number, df: number): number {
  return Math.log(1 + n / Math.max(df, 1));
}

/** SQL conditions on the story id in `column` for a feed filter (the same meaning as the stories table's filter). */
function scopeConditions(column: string, scope: RelatedScope | undefined): { sql: string[]; params: Record<string, unknown> } {
  const sql: string[] = [];
  const params: Record<string, unknown> = {};
  if (!scope) return { sql, params };
  if (scope.since) {
    sql.push(`(SELECT date FROM stories WHERE id = ${column}) >= @since`);
    params.since = scope.since;
  }
  if (scope.tagsAny?.length) {
    sql.push(`EXISTS (SELECT 1 FROM story_tags t WHERE t.story_id = ${column} AND t.tag IN (SELECT value FROM json_each(@tagsAny)))`);
    params.tagsAny = JSON.stringify(scope.tagsAny);
  }
  const tagsAll = [...new Set(scope.tagsAll ?? [])];
  if (tagsAll.length) {
    sql.push(`(SELECT COUNT(DISTINCT t.tag) FROM story_tags t WHERE t.story_id = ${column}
      AND t.tag IN (SELECT value FROM json_each(@tagsAll))) = @tagsAllCount`);
    Object.assign(params, { tagsAll: JSON.stringify(tagsAll), tagsAllCount: tagsAll.length });
  }
  if (scope.excludeTags?.length) {
    sql.push(`NOT EXISTS (SELECT 1 FROM story_tags t WHERE t.story_id = ${column} AND t.tag IN (SELECT value FROM json_each(@excludeTags)))`);
    params.excludeTags = JSON.stringify(scope.excludeTags);
  }
  if (scope.sources?.length) {
    sql.push(`EXISTS (SELECT 1 FROM items i WHERE i.story_id = ${column} AND i.source_id IN (SELECT value FROM json_each(@sources)))`);
    params.sources = JSON.stringify(scope.sources);
  }
  return { sql, params };
}

export function createRelatedTable(db: Database.Database) {
  const findIndex = db.prepare(`SELECT rowid, story_id, date, title, tags, terms, term_counts, ${currentSubject('i')} AS subject
    FROM related_index i WHERE story_id = ?`);
  const insertIndex = db.prepare(`
    INSERT INTO related_index (story_id, date, title, link, source_title, tags, terms, term_counts, subject, subject_version, indexed_at)
    VALUES (@storyId, @date, @title, @link, @sourceTitle, @tags, @terms, @termCounts, @subject, @subjectVersion, @now)`);
  const updateIndex = db.prepare(`
    UPDATE related_index SET date = @date, title = @title, link = @link, source_title = @sourceTitle, tags = @tags,
      terms = @terms, term_counts = @termCounts, subject = @subject, subject_version = @subjectVersion, indexed_at = @now
    WHERE rowid = @rowid`);
  const deleteText = db.prepare('DELETE FROM related_fts WHERE rowid = ?');
  const insertText = db.prepare('INSERT INTO related_fts (rowid, title, lead) VALUES (?, ?, ?)');
  const addTag = db.prepare(`INSERT INTO related_tag_counts (tag, stories) VALUES (?, 1)
    ON CONFLICT (tag) DO UPDATE SET stories = stories + 1`);
  const removeTag = db.prepare('UPDATE related_tag_counts SET stories = stories - 1 WHERE tag = ?');
  const addTerm = db.prepare(`INSERT INTO related_term_counts (term, stories) VALUES (?, 1)
    ON CONFLICT (term) DO UPDATE SET stories = stories + 1`);
  const removeTerm = db.prepare('UPDATE related_term_counts SET stories = stories - 1 WHERE term = ?');
  const countStories = db.prepare("UPDATE related_tag_counts SET stories = stories + 1 WHERE tag = ''");
  const deletePostings = db.prepare('DELETE FROM related_postings WHERE story_id = ?');
  const insertPosting = db.prepare('INSERT OR IGNORE INTO related_postings (tag, date, story_id) VALUES (?, ?, ?)');

  const storyCount = db.prepare("SELECT stories FROM related_tag_counts WHERE tag = ''").pluck();
  const subjectVersionOf = db.prepare('SELECT version FROM related_subject_model WHERE id = 1').pluck();
  const tagCounts = db.prepare('SELECT tag, stories FROM related_tag_counts WHERE tag IN (SELECT value FROM json_each(?))');
  const tagStatements = new Map<number, Database.Statement>();
  /**
   * The nearest postings of `tags` tags in one statement (as for words, related-terms.ts): per tag, `perTag` + 1
   * stories up to the date and `perTag` after it, each row with the index of its tag. Prepared once per tag count.
   */
  function tagPostingsStatement(tags: number): Database.Statement {
    let statement = tagStatements.get(tags);
    if (!statement) {
      const arms = Array.from({ length: tags }, (_, k) => `
        SELECT story_id, ${k} AS k FROM (SELECT story_id FROM related_postings WHERE tag = ? AND date <= ? ORDER BY date DESC LIMIT ?)
        UNION ALL SELECT story_id, ${k} AS k FROM (SELECT story_id FROM related_postings WHERE tag = ? AND date > ? ORDER BY date LIMIT ?)`);
      statement = db.prepare(arms.join(' UNION ALL ')).raw();
      tagStatements.set(tags, statement);
    }
    return statement;
  }
  const termPostings = createTermPostings(db);

  const deleteRelated = db.prepare('DELETE FROM story_related WHERE story_id = ?');
  const insertRelated = db.prepare(`
    INSERT INTO story_related (story_id, rank, related_id, score, parts, computed_at) VALUES (?, ?, ?, ?, ?, ?)`);
  const scopedStatements = new Map<string, Database.Statement>();

  function prepareScoped(sql: string): Database.Statement {
    let statement = scopedStatements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      scopedStatements.set(sql, statement);
    }
    return statement;
  }

  /** Adds the difference between the old and new snapshot to the counts (the counts are the sum of snapshots). */
  function applyCounts(before: readonly string[], after: readonly string[], add: Database.Statement, remove: Database.Statement): void {
    const old = new Set(before);
    const now = new Set(after);
    for (const key of old) if (!now.has(key)) remove.run(key);
    for (const key of now) if (!old.has(key)) add.run(key);
  }

  const index = db.transaction((docs: readonly RelatedDoc[], now: string) => {
    for (const doc of docs) {
      const tags = [...new Set(doc.tags)];
      const terms = [...new Set(doc.terms)];
      const counted = new Map(doc.termCounts ?? []);
      const row = findIndex.get(doc.storyId) as IndexRow | undefined;
      const params = {
        storyId: doc.storyId, date: doc.date, title: doc.title, link: doc.link ?? null, sourceTitle: doc.sourceTitle ?? null,
        tags: JSON.stringify(tags), terms: JSON.stringify(terms), now,
        termCounts: doc.termCounts ? JSON.stringify(terms.map((term) => counted.get(term) ?? 1)) : null,
        subject: doc.subject ? vectorToBlob(doc.subject.vector) : null, subjectVersion: doc.subject?.version ?? null,
      };
      let rowid: number;
      if (row) {
        rowid = row.rowid;
        updateIndex.run({ ...params, rowid });
        deleteText.run(rowid);
        applyCounts(JSON.parse(row.tags) as string[], tags, addTag, removeTag);
        applyCounts(JSON.parse(row.terms) as string[], terms, addTerm, removeTerm);
      } else {
        rowid = Number(insertIndex.run(params).lastInsertRowid);
        countStories.run();
        applyCounts([], tags, addTag, removeTag);
        applyCounts([], terms, addTerm, removeTerm);
      }
      insertText.run(rowid, doc.title, doc.lead);
      deletePostings.run(doc.storyId);
      for (const tag of tags) insertPosting.run(tag, doc.date, doc.storyId);
      const counts = doc.termCounts ?? terms.map((term): [string, number] => [term, 1]);
      termPostings.write(doc.storyId, doc.date, counts, Number(storyCount.get() ?? 1));
    }
  });

  function candidates(storyId: string, query: RelatedCandidateQuery): RelatedCandidateSet | undefined {
    const subjectRow = findIndex.get(storyId) as IndexRow | undefined;
    if (!subjectRow) return undefined;
    const n = Math.max(Number(storyCount.get() ?? 0), 1);
    const subjectVersion = (subjectVersionOf.get() as number | undefined) ?? undefined;
    const versioned = subjectVersion === undefined ? {} : { subjectVersion };
    const subjectTags = JSON.parse(subjectRow.tags) as string[];
    const df = new Map(
      (tagCounts.all(JSON.stringify(subjectTags)) as { tag: string; stories: number }[]).map((r) => [r.tag.toLowerCase(), r.stories]),
    );
    const tags = subjectTags
      .map((tag) => ({ tag, idf: inverseFrequency(n, df.get(tag.toLowerCase()) ?? 1) }))
      .sort((a, b) => b.idf - a.idf || compareCodes(a.tag, b.tag));

    const byTag = new Map<string, { sharedTags: { tag: string; idf: number }[]; weight: number }>();
    const looked = tags.slice(0, MAX_SUBJECT_TAGS);
    if (looked.length > 0) {
      const params: (string | number)[] = [];
      for (const tag of looked) params.push(tag.tag, subjectRow.date, query.perTag + 1, tag.tag, subjectRow.date, query.perTag);
      for (const [other, k] of tagPostingsStatement(looked.length).all(...params) as [string, number][]) {
        if (other === storyId) continue;
        const tag = looked[k]!;
        const entry = byTag.get(other) ?? { sharedTags: [], weight: 0 };
        entry.sharedTags.push(tag);
        entry.weight += tag.idf;
        byTag.set(other, entry);
      }
      // rows arrive arm by arm, but SQLite does not promise it: the rarest tag first, as the parts list them
      for (const entry of byTag.values()) entry.sharedTags.sort((a, b) => b.idf - a.idf || compareCodes(a.tag, b.tag));
    }

    // Text: the dot product of weighted words (cosine), the best `textLimit` of them. One shared word is weak
    // evidence (in a small store a generic word like "forecast" weighs as much as a name): it counts half.
    // The dampening can reorder, so ask for more than `textLimit` and cut after it.
    const text = new Map(
      [...termPostings.similar(storyId, subjectRow.date, query.perTerm, query.textLimit * 2, query.queryTerms)]
        .map(([id, { dot, shared }]): [string, number] => [id, Math.min(1, shared >= 2 ? dot : dot / 2)])
        .sort((a, b) => b[1] - a[1] || compareCodes(a[0], b[0]))
        .slice(0, query.textLimit),
    );

    const tagOnly = [...byTag.entries()]
      .filter(([id]) => !text.has(id))
      .sort((a, b) => b[1].weight - a[1].weight || compareCodes(a[0], b[0]))
      .slice(0, MAX_TAG_CANDIDATES)
      .map(([id]) => id);
    const ids = [...text.keys(), ...tagOnly];
    if (ids.length === 0) return { subject: Object.assign(featuresOf(subjectRow), { tags }), candidates: [], storyCount: n, ...versioned };

    const scope = scopeConditions('i.story_id', query.scope);
    const sql = `SELECT i.story_id, i.date, i.title, i.terms, i.term_counts, ${currentSubject('i')} AS subject FROM related_index i JOIN stories s ON s.id = i.story_id
      WHERE i.story_id IN (SELECT value FROM json_each(@ids)) AND s.is_hidden = 0 AND s.is_withdrawn = 0
      ${scope.sql.map((c) => `AND ${c}`).join(' ')}`;
    const rows = prepareScoped(sql).all({ ids: JSON.stringify(ids), ...scope.params }) as IndexRow[];
    const result: RelatedCandidate[] = rows.map((row) =>
      featuresOf(row, { sharedTags: byTag.get(row.story_id)?.sharedTags ?? [], text: text.get(row.story_id) ?? 0 }),
    );
    result.sort((a, b) => compareCodes(a.storyId, b.storyId));
    return { subject: Object.assign(featuresOf(subjectRow), { tags }), candidates: result, storyCount: n, ...versioned };
  }

  /**
   * A story's features; its word list is parsed only when read (the copy and diversity checks read it for the few
   * candidates that reach the top, and JSON parsing every candidate's list was ~10% of a computation).
   */
  function featuresOf<T extends object>(row: Pick<IndexRow, 'story_id' | 'date' | 'title' | 'terms' | 'term_counts' | 'subject'>, extra: T = {} as T) {
    let terms: string[] | undefined;
    let termCounts: [string, number][] | undefined;
    const subject = blobToVector(row.subject);
    return Object.assign(
      {
        storyId: row.story_id,
        date: row.date,
        title: row.title,
        get terms(): string[] {
          return (terms ??= JSON.parse(row.terms) as string[]);
        },
        get termCounts(): [string, number][] {
          return (termCounts ??= zipCounts(row.terms, row.term_counts ?? null));
        },
      },
      subject ? { subject } : {},
      extra,
    );
  }


  const snapshot = db.transaction(candidates);

  const markChanged = db.prepare('UPDATE store_changes SET seq = seq + 1 WHERE id = 1');
  const save = db.transaction((lists: ReadonlyMap<string, readonly RelatedPick[]>, now: string) => {
    markChanged.run();
    for (const [storyId, picks] of lists) {
      deleteRelated.run(storyId);
      picks.forEach((pick, rank) => insertRelated.run(storyId, rank, pick.id, pick.score, JSON.stringify(pick.parts), now));
    }
  });

  function get(storyIds: readonly string[], options: { limit?: number; scope?: RelatedScope } = {}): Map<string, StoredRelated[]> {
    const result = new Map<string, StoredRelated[]>();
    if (storyIds.length === 0 || options.limit === 0) return result;
    const scope = scopeConditions('r.related_id', options.scope);
    const sql = `SELECT r.story_id, r.rank, r.related_id, r.score, r.parts, r.computed_at, i.title, i.link, i.source_title
      FROM story_related r JOIN related_index i ON i.story_id = r.related_id JOIN stories s ON s.id = r.related_id
      WHERE r.story_id IN (SELECT value FROM json_each(@ids)) AND s.is_hidden = 0 AND s.is_withdrawn = 0
      ${scope.sql.map((c) => `AND ${c}`).join(' ')}
      ORDER BY r.story_id, r.rank`;
    const rows = prepareScoped(sql).all({ ids: JSON.stringify(storyIds), ...scope.params }) as {
      story_id: string; rank: number; related_id: string; score: number; parts: string; computed_at: string;
      title: string; link: string | null; source_title: string | null;
    }[];
    for (const row of rows) {
      const list = result.get(row.story_id) ?? [];
      if (options.limit !== undefined && list.length >= options.limit) continue;
      list.push({
        id: row.related_id,
        url: row.link ?? undefined,
        title: row.title,
        score: row.score,
        sourceTitle: row.source_title ?? undefined,
        rank: list.length,
        parts: JSON.parse(row.parts) as RelatedParts,
        computedAt: row.computed_at,
      });
      result.set(row.story_id, list);
    }
    return result;
  }

  return {
    index(docs: readonly RelatedDoc[], now = new Date()): void {
      index.immediate(docs, now.toISOString());
    },
    /** In one read snapshot: the vectors and the fit version they belong to cannot come from two different commits. */
    candidates: (storyId: string, query: RelatedCandidateQuery) => snapshot.deferred(storyId, query),
    save(lists: ReadonlyMap<string, readonly RelatedPick[]>, now = new Date()): void {
      save.immediate(lists, now.toISOString());
    },
    get,
  };
}
