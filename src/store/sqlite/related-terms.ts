// Weighted-word postings of the related-posts index: text similarity as a dot product over each word's nearest stories in time.
import type Database from 'better-sqlite3';
import { WEIGHTED_TERMS, weighTerms } from '../term-weights.ts';

export function createTermPostings(db: Database.Database) {
  const deleteTerms = db.prepare('DELETE FROM related_terms WHERE story_id = ?');
  const insertTerm = db.prepare('INSERT OR REPLACE INTO related_terms (term, date, story_id, weight) VALUES (?, ?, ?, ?)');
  const termCounts = db.prepare('SELECT term, stories FROM related_term_counts WHERE term IN (SELECT value FROM json_each(?))').raw();
  const vectorOf = db.prepare('SELECT term, weight FROM related_terms WHERE story_id = ? ORDER BY weight DESC, term LIMIT ?').raw();
  const similarStatements = new Map<number, Database.Statement>();

  /** The summing statement for a vector of `terms` words (prepared once per length, at most WEIGHTED_TERMS). */
  function similarStatement(terms: number): Database.Statement {
    let statement = similarStatements.get(terms);
    if (!statement) {
      const arm = `SELECT story_id, ? * weight AS w FROM (SELECT story_id, weight FROM related_terms WHERE term = ? AND date <= ? ORDER BY date DESC LIMIT ?)
        UNION ALL SELECT story_id, ? * weight AS w FROM (SELECT story_id, weight FROM related_terms WHERE term = ? AND date > ? ORDER BY date LIMIT ?)`;
      statement = db
        .prepare(`SELECT story_id, SUM(w) AS dot, COUNT(*) AS shared FROM (${Array.from({ length: terms }, () => arm).join(' UNION ALL ')})
          WHERE story_id <> ? GROUP BY story_id ORDER BY dot DESC, story_id LIMIT ?`)
        .raw();
      similarStatements.set(terms, statement);
    }
    return statement;
  }

  return {
    /** Replaces the story's postings; call after the term counts include it (its own words have df >= 1). */
    write(storyId: string, date: string, counts: readonly (readonly [string, number])[], n: number): void {
      deleteTerms.run(storyId);
      if (counts.length === 0) return;
      const df = new Map(termCounts.all(JSON.stringify(counts.map(([term]) => term))) as [string, number][]);
      for (const [term, weight] of weighTerms(counts, (term) => df.get(term) ?? 1, n)) insertTerm.run(term, date, storyId, weight);
    },

    /**
     * The `limit` best dot products of the story's weighted words with those of the stories nearest in time that share
     * them, and how many words each shares: per word at most `perTerm` stories before its date and as many after, so a
     * common word costs no more than a rare one. One statement: SQLite sums the postings, only the best rows reach JS.
     */
    similar(storyId: string, date: string, perTerm: number, limit: number, terms = WEIGHTED_TERMS): Map<string, { dot: number; shared: number }> {
      // The story's heaviest `terms` words: lighter ones add little to a cosine and each costs a postings seek.
      const vector = vectorOf.all(storyId, terms) as [string, number][];
      const scores = new Map<string, { dot: number; shared: number }>();
      if (vector.length === 0) return scores;
      const params: (string | number)[] = [];
      for (const [term, weight] of vector) params.push(weight, term, date, perTerm + 1, weight, term, date, perTerm);
      const rows = similarStatement(vector.length).all(...params, storyId, limit) as [string, number, number][];
      for (const [other, dot, shared] of rows) scores.set(other, { dot, shared });
      return scores;
    },
  };
}
