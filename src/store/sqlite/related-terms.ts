// Weighted-word postings of the related-posts index: text similarity as a dot product over each word's nearest stories in time.
// Postings are stored once, in date-ordered blocks per word (migration 0009): relating a new story reads its words'
// newest blocks, one or two rows a word, and indexing rewrites one block a word.
import type Database from 'better-sqlite3';
import { StoreError } from '../errors.ts';
import { WEIGHTED_TERMS, weighTerms } from '../term-weights.ts';

/** A block holding more postings than this is split in two (a block of ~84 postings fits one 4 KB page). */
export const BLOCK_POSTINGS = 84;
/**
 * A split at a word's newest posting keeps this many newest postings together, so that the newest block always holds
 * enough for `perTerm` up to 55 (50 by default) and a new story reads one row per word.
 */
export const NEWEST_POSTINGS = 56;

/** Parallel lists of a block's postings, oldest first. */
interface Block {
  dates: string[];
  stories: string[];
  shares: string[];
}

function parseBlock(postings: string, into: Block = { dates: [], stories: [], shares: [] }): Block {
  const trimmed = postings.trim();
  if (trimmed === '') return into;
  const parts = trimmed.split(' ');
  for (let k = 0; k + 2 < parts.length; k += 3) {
    into.dates.push(parts[k] as string);
    into.stories.push(parts[k + 1] as string);
    into.shares.push(parts[k + 2] as string);
  }
  return into;
}

/** The stored form: space-separated triples with a space at each end (what the 0009 trigger's `replace` relies on). */
function formatBlock(block: Block, from = 0, to = block.dates.length): string {
  const parts: string[] = [];
  for (let k = from; k < to; k++) parts.push(block.dates[k] as string, block.stories[k] as string, block.shares[k] as string);
  return ` ${parts.join(' ')} `;
}

/**
 * The date a posting is ordered by: the ISO form of a date JavaScript can read (so that a block orders them in time),
 * else the text with its white space replaced (a block's triples are space-separated).
 */
export function postingDate(date: string): string {
  const time = Date.parse(date);
  return Number.isNaN(time) ? date.replace(/\s/g, '_') : new Date(time).toISOString();
}

/** Postings order, as the blocks' (first_date, first_story) key orders them: code units, oldest first. */
const before = (dateA: string, storyA: string, dateB: string, storyB: string) => dateA < dateB || (dateA === dateB && storyA < storyB);

export function createTermPostings(db: Database.Database) {
  const deleteTerms = db.prepare('DELETE FROM related_story_terms WHERE story_id = ?');
  const insertTerm = db.prepare('INSERT INTO related_story_terms (story_id, term, date, weight, share) VALUES (?, ?, ?, ?, ?)');
  const termCounts = db.prepare('SELECT term, stories FROM related_term_counts WHERE term IN (SELECT value FROM json_each(?))').raw();
  const vectorOf = db.prepare('SELECT term, weight FROM related_story_terms WHERE story_id = ?').raw();
  // the block a posting belongs in: the last one keyed at or before it, else the word's first
  const blockAt = db.prepare(`SELECT id, first_date, first_story, n, last_date, last_story FROM related_term_blocks
    WHERE term = ? AND (first_date, first_story) <= (?, ?) ORDER BY first_date DESC, first_story DESC LIMIT 1`).raw();
  const firstBlock = db.prepare('SELECT id, first_date, first_story, n, last_date, last_story FROM related_term_blocks WHERE term = ? ORDER BY first_date, first_story LIMIT 1').raw();
  const postingsOf = db.prepare('SELECT postings FROM related_term_blocks WHERE id = ?').pluck();
  const insertBlock = db.prepare(`INSERT INTO related_term_blocks (term, first_date, first_story, head, n, last_date, last_story, postings)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const updateBlock = db.prepare('UPDATE related_term_blocks SET first_date = ?, first_story = ?, n = ?, last_date = ?, last_story = ?, postings = ? WHERE id = ?');
  const appendToBlock = db.prepare('UPDATE related_term_blocks SET n = n + 1, last_date = ?, last_story = ?, postings = postings || ? WHERE id = ?');

  /**
   * Stores `block`'s postings `from`..`to` as the block `id`, or as a new block of `term` when id is undefined (a
   * split's newer half: never a word's head).
   */
  function storeBlock(term: string, id: number | undefined, key: readonly [string, string], block: Block, from: number, to: number): void {
    const last = [block.dates[to - 1] as string, block.stories[to - 1] as string] as const;
    if (id === undefined) insertBlock.run(term, key[0], key[1], 0, to - from, last[0], last[1], formatBlock(block, from, to));
    else updateBlock.run(key[0], key[1], to - from, last[0], last[1], formatBlock(block, from, to), id);
  }
  const readStatements = new Map<string, Database.Statement>();

  /**
   * The blocks around a date for `terms` words in one statement (prepared once per word count and depth): per word the
   * `depth` last blocks keyed up to the date, newest first, and the `depth` first after it; each row with its word's index.
   */
  function readStatement(terms: number, depth: number): Database.Statement {
    const key = `${terms}:${depth}`;
    let statement = readStatements.get(key);
    if (!statement) {
      const arms = Array.from({ length: terms }, (_, k) => `
        SELECT ${k}, first_date, head, postings FROM (SELECT first_date, head, postings FROM related_term_blocks
          WHERE term = ? AND first_date <= ? ORDER BY first_date DESC, first_story DESC LIMIT ${depth})
        UNION ALL SELECT ${k}, first_date, head, postings FROM (SELECT first_date, head, postings FROM related_term_blocks
          WHERE term = ? AND first_date > ? ORDER BY first_date, first_story LIMIT ${depth})`);
      statement = db.prepare(arms.join(' UNION ALL ')).raw();
      readStatements.set(key, statement);
    }
    return statement;
  }

  /**
   * Adds a posting to the block that covers it. A posting after the block's last one (a new story's, nearly always) is
   * appended in SQL without rewriting the block here; a block that grows past BLOCK_POSTINGS is split, keeping the
   * newest NEWEST_POSTINGS together when the posting was its last.
   */
  function addPosting(term: string, date: string, storyId: string, share: string): void {
    const row = (blockAt.get(term, date, storyId) ?? firstBlock.get(term)) as [number, string, string, number, string, string] | undefined;
    if (!row) {
      insertBlock.run(term, date, storyId, 1, 1, date, storyId, ` ${date} ${storyId} ${share} `);
      return;
    }
    const [id, firstDate, firstStory, count, lastDate, lastStory] = row;
    // after the block's last posting (a new story's, nearly always): appended in SQL, the block is not read here
    const appended = before(lastDate, lastStory, date, storyId);
    if (appended && count < BLOCK_POSTINGS) {
      appendToBlock.run(date, storyId, `${date} ${storyId} ${share} `, id);
      return;
    }
    const block = parseBlock(postingsOf.get(id) as string);
    let at = block.dates.length;
    while (at > 0 && before(date, storyId, block.dates[at - 1] as string, block.stories[at - 1] as string)) at--;
    block.dates.splice(at, 0, date);
    block.stories.splice(at, 0, storyId);
    block.shares.splice(at, 0, share);
    // a posting before the word's first block becomes that block's key
    const key = before(date, storyId, firstDate, firstStory) ? ([date, storyId] as const) : ([firstDate, firstStory] as const);
    const total = block.dates.length;
    if (total <= BLOCK_POSTINGS) return storeBlock(term, id, key, block, 0, total);
    const split = appended ? total - NEWEST_POSTINGS : total >> 1;
    storeBlock(term, id, key, block, 0, split);
    storeBlock(term, undefined, [block.dates[split] as string, block.stories[split] as string], block, split, total);
  }

  return {
    /**
     * Replaces the story's postings; call after the term counts include it (its own words have df >= 1). Its old
     * postings leave their blocks through the 0009 trigger.
     */
    write(storyId: string, date: string, counts: readonly (readonly [string, number])[], n: number): void {
      if (/\s/.test(storyId)) throw new StoreError('STORE_WRITE_FAILED', `a story id with white space cannot be indexed: ${JSON.stringify(storyId)}`);
      deleteTerms.run(storyId);
      if (counts.length === 0) return;
      const at = postingDate(date);
      const df = new Map(termCounts.all(JSON.stringify(counts.map(([term]) => term))) as [string, number][]);
      for (const [term, weight] of weighTerms(counts, (term) => df.get(term) ?? 1, n)) {
        const share = String(weight);
        insertTerm.run(storyId, term, at, weight, share);
        addPosting(term, at, storyId, share);
      }
    },

    /**
     * The `limit` best dot products of the story's weighted words with those of the stories nearest in time that share
     * them, and how many words each shares: per word at most `perTerm` stories before its date and as many after, so a
     * common word costs no more than a rare one. Reads the blocks around the date (deeper for a word whose blocks
     * there hold too few postings) and sums here.
     */
    similar(storyId: string, date: string, perTerm: number, limit: number, terms = WEIGHTED_TERMS): Map<string, { dot: number; shared: number }> {
      // The story's heaviest `terms` words: lighter ones add little to a cosine and each costs a postings read.
      const vector = (vectorOf.all(storyId) as [string, number][])
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, terms);
      const scores = new Map<string, { dot: number; shared: number }>();
      if (vector.length === 0) return scores;
      const at = postingDate(date);
      const sums = new Map<string, { dot: number; shared: number }>();
      const add = (other: string, share: number) => {
        if (other === storyId) return;
        const sum = sums.get(other);
        if (sum) {
          sum.dot += share;
          sum.shared++;
        } else sums.set(other, { dot: share, shared: 1 });
      };
      // a word's newest block holds NEWEST_POSTINGS or more (unless it is its only one): one row a side covers a new
      // story and perTerm = 50; a word it does not cover (an older story, blocks thinned by deletions) is read again, deeper
      let pending = vector.map((entry) => ({ entry }));
      for (let depth = perTerm < NEWEST_POSTINGS ? 1 : Math.ceil((perTerm + 1) / (BLOCK_POSTINGS - NEWEST_POSTINGS)) + 1; pending.length > 0; depth *= 4) {
        const params: string[] = [];
        for (const { entry } of pending) params.push(entry[0], at, entry[0], at);
        const rows = readStatement(pending.length, depth).all(...params) as [number, string, number, string][];
        // per word: its blocks before (newest first) and after (oldest first), and how many of each came back
        const words = pending.map(() => ({ older: [] as string[], newer: [] as string[], head: false }));
        for (const [k, firstDate, head, postings] of rows) {
          const word = words[k]!;
          if (firstDate <= at) {
            word.older.push(postings);
            word.head ||= head === 1;
          } else word.newer.push(postings);
        }
        const again: typeof pending = [];
        pending.forEach(({ entry }, j) => {
          const { older, newer, head } = words[j]!;
          const block: Block = { dates: [], stories: [], shares: [] };
          for (let b = older.length - 1; b >= 0; b--) parseBlock(older[b] as string, block);
          for (const postings of newer) parseBlock(postings, block);
          let upTo = block.dates.length;
          while (upTo > 0 && (block.dates[upTo - 1] as string) > at) upTo--;
          // too few on a side, and that side may have more blocks: read this word again, deeper
          if ((upTo < perTerm + 1 && older.length === depth && !head) || (block.dates.length - upTo < perTerm && newer.length === depth)) {
            again.push(pending[j]!);
            return;
          }
          const weight = entry[1];
          const from = Math.max(0, upTo - perTerm - 1);
          const to = Math.min(block.dates.length, upTo + perTerm);
          for (let p = from; p < to; p++) add(block.stories[p] as string, weight * Number(block.shares[p]));
        });
        pending = again;
      }
      // the best `limit`: only sums at or above the limit-th largest are sorted in full (~1,000 sums, ~60 kept)
      let floor = -Infinity;
      if (sums.size > limit) {
        const dots = new Float64Array(sums.size);
        let k = 0;
        for (const sum of sums.values()) dots[k++] = sum.dot;
        floor = dots.sort()[dots.length - limit] as number;
      }
      const best: [string, { dot: number; shared: number }][] = [];
      for (const entry of sums) if (entry[1].dot >= floor) best.push(entry);
      best.sort((a, b) => b[1].dot - a[1].dot || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [other, sum] of best.slice(0, limit)) scores.set(other, sum);
      return scores;
    },
  };
}
