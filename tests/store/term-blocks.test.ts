// The word postings of migration 0009, in date-ordered blocks per word: kept equal to the stories' weighted words
// through inserts out of date order, re-indexing, splits and cascaded deletions, and the word cosine read through them
// equal to one worked out by brute force from the stories' words.
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createRandom } from '../../scripts/eval/random.ts';
import { applyMigrations, openDatabase } from '../../src/store/sqlite/migrate.ts';
import { BLOCK_POSTINGS, createTermPostings, NEWEST_POSTINGS, postingDate } from '../../src/store/sqlite/related-terms.ts';

type Posting = [date: string, storyId: string, weight: number];

/** Every word's postings from the stories' weighted words, oldest first in (date, story id) order. */
function postingsByTerm(db: Database.Database): Map<string, Posting[]> {
  const byTerm = new Map<string, Posting[]>();
  for (const [term, date, storyId, weight] of db.prepare('SELECT term, date, story_id, weight FROM related_story_terms ORDER BY term, date, story_id').raw().all() as [string, string, string, number][]) {
    const list = byTerm.get(term) ?? [];
    list.push([date, storyId, weight]);
    byTerm.set(term, list);
  }
  return byTerm;
}

/** The word cosine as the index defines it: per word the `perTerm` + 1 nearest postings up to the date and `perTerm` after. */
function bruteForce(db: Database.Database, byTerm: Map<string, Posting[]>, storyId: string, perTerm: number): Map<string, { dot: number; shared: number }> {
  const vector = db.prepare('SELECT term, weight, date FROM related_story_terms WHERE story_id = ?').raw().all(storyId) as [string, number, string][];
  const sums = new Map<string, { dot: number; shared: number }>();
  for (const [term, weight, date] of vector) {
    const list = byTerm.get(term) ?? [];
    const upTo = list.filter(([d]) => d <= date).length;
    for (const [, other, share] of [...list.slice(Math.max(0, upTo - perTerm - 1), upTo), ...list.slice(upTo, upTo + perTerm)]) {
      if (other === storyId) continue;
      const sum = sums.get(other) ?? { dot: 0, shared: 0 };
      sum.dot += weight * share;
      sum.shared++;
      sums.set(other, sum);
    }
  }
  return sums;
}

describe('word postings in blocks (0009)', () => {
  let db: Database.Database | undefined;
  afterEach(() => db?.close());

  it('hold exactly the stories\' weighted words in order, and answer the word cosine as the words do', () => {
    db = openDatabase(':memory:');
    applyMigrations(db);
    const postings = createTermPostings(db);
    const random = createRandom(11).next; // seeded: a failure can be replayed
    // few words and few distinct dates: long postings lists (blocks split) and ties on the date
    const words = Array.from({ length: 10 }, (_, k) => `w${k}`);
    const dates = Array.from({ length: 40 }, (_, k) => new Date(Date.UTC(2026, 9, 1) + k * 3_600_000).toISOString());
    const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
    const addStory = db.prepare("INSERT INTO stories (id, created_at, updated_at, date) VALUES (?, 'x', 'x', 'x')");
    const stories: string[] = [];
    const write = (id: string) => {
      const counts = new Map<string, number>();
      for (let k = 1 + Math.floor(random() * 5); k > 0; k--) counts.set(pick(words), 1 + Math.floor(random() * 3));
      postings.write(id, pick(dates), [...counts], 100 + stories.length);
    };
    for (let i = 0; i < 600; ) {
      db.transaction(() => {
        for (let end = Math.min(600, i + 1 + Math.floor(random() * 20)); i < end; i++) {
          const id = `s_${i.toString(16).padStart(16, '0')}`;
          addStory.run(id);
          stories.push(id);
          write(id); // dates in random order: postings land inside and before existing blocks
          if (random() < 0.15) write(pick(stories)); // re-indexed: other words, weights and date
        }
      })();
      // the cascade, as retention and merges delete stories
      if (random() < 0.7) db.prepare('DELETE FROM stories WHERE id = ?').run(stories.splice(Math.floor(random() * stories.length), 1)[0]);
    }

    // the invariant: a word's blocks, in key order, are its postings in order; each is keyed at or before its first
    const byTerm = postingsByTerm(db);
    const blocks = db.prepare('SELECT term, first_date, first_story, postings, n, last_date, last_story FROM related_term_blocks ORDER BY term, first_date, first_story').raw().all() as string[][];
    expect(blocks.length).toBeGreaterThan(words.length); // split
    const joined = new Map<string, Posting[]>();
    for (const [term, firstDate, firstStory, text, n, lastDate, lastStory] of blocks) {
      const parts = text!.trim() === '' ? [] : text!.trim().split(' ');
      expect(parts.length, `${term} block ${firstDate}`).toBeGreaterThan(0);
      // its count, and a last key never before its last posting (a deleted last one leaves it behind, never ahead)
      expect(Number(n), `${term} count`).toBe(parts.length / 3);
      const [trueDate, trueStory] = [parts.at(-3)!, parts.at(-2)!];
      expect(trueDate < lastDate! || (trueDate === lastDate && trueStory <= lastStory!), `${term} last key`).toBe(true);
      expect(parts.length / 3).toBeLessThanOrEqual(BLOCK_POSTINGS);
      expect(firstDate! < parts[0]! || (firstDate === parts[0] && firstStory! <= parts[1]!), `${term} key`).toBe(true);
      const list = joined.get(term!) ?? [];
      for (let k = 0; k < parts.length; k += 3) list.push([parts[k]!, parts[k + 1]!, Number(parts[k + 2])]);
      joined.set(term!, list);
    }
    expect(joined).toEqual(byTerm);
    // `head` marks a word's first block only (the reader stops there); a head emptied by deletions leaves none
    const heads = db.prepare('SELECT term, first_date, first_story, head FROM related_term_blocks ORDER BY term, first_date, first_story').raw().all() as [string, string, string, number][];
    heads.forEach(([term, , , head], k) => {
      if (head === 1) expect(k === 0 || heads[k - 1]![0] !== term, `${term}: head after another block`).toBe(true);
    });
    expect(heads.filter(([, , , head]) => head === 1).length).toBeGreaterThan(0);

    // the cosine read through the blocks equals the brute-force one, for every story, at three depths of perTerm
    const mismatches: string[] = [];
    let compared = 0;
    for (const perTerm of [3, 50, 150]) {
      for (const id of stories) {
        const date = db.prepare('SELECT date FROM related_story_terms WHERE story_id = ? LIMIT 1').pluck().get(id) as string | undefined;
        if (!date) continue;
        const expected = bruteForce(db, byTerm, id, perTerm);
        const got = postings.similar(id, date, perTerm, 10_000, 25);
        if (got.size !== expected.size) mismatches.push(`${id} perTerm ${perTerm}: ${got.size} stories, expected ${expected.size}`);
        // the best few only: five of the largest sums (a tie may be told apart by the last bits of two sums' rounding)
        const dots = [...expected.values()].map((sum) => sum.dot).sort((a, b) => b - a);
        const gotTop = [...postings.similar(id, date, perTerm, 5, 25).keys()];
        const fifth = dots[Math.min(4, dots.length - 1)] ?? 0;
        if (gotTop.length !== Math.min(5, dots.length) || gotTop.some((other) => (expected.get(other)?.dot ?? -1) < fifth - 1e-12)) {
          mismatches.push(`${id} perTerm ${perTerm}: best ${gotTop.join()} are not five of the largest sums`);
        }
        for (const [other, sum] of expected) {
          const found = got.get(other);
          compared++;
          if (!found || found.shared !== sum.shared || Math.abs(found.dot - sum.dot) > 1e-12) {
            mismatches.push(`${id} perTerm ${perTerm}: ${other} ${JSON.stringify(found)}, expected ${JSON.stringify(sum)}`);
          }
        }
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(10_000);
  });

  it('orders postings by the instant, whatever the date\'s form, and refuses a story id with white space', () => {
    expect(postingDate('2026-10-02 08:00:00Z')).toBe('2026-10-02T08:00:00.000Z');
    expect(postingDate('Fri, 02 Oct 2026 08:00:00 GMT')).toBe('2026-10-02T08:00:00.000Z');
    expect(postingDate('not a date')).toBe('not_a_date');
    db = openDatabase(':memory:');
    applyMigrations(db);
    const postings = createTermPostings(db);
    expect(() => postings.write('s_a b', '2026-10-01T00:00:00Z', [['copper', 1]], 1)).toThrow(/white space/);
  });

  it('reads deeper where blocks emptied by deletions hold too few postings', () => {
    db = openDatabase(':memory:');
    applyMigrations(db);
    const postings = createTermPostings(db);
    const addStory = db.prepare("INSERT INTO stories (id, created_at, updated_at, date) VALUES (?, 'x', 'x', 'x')");
    const id = (k: number) => `s_${String(k).padStart(16, '0')}`;
    const date = (k: number) => new Date(Date.UTC(2026, 9, 1) + k * 3_600_000).toISOString();
    db.transaction(() => {
      for (let k = 0; k < 400; k++) {
        addStory.run(id(k));
        postings.write(id(k), date(k), [['copper', 1]], 400);
      }
    })();
    // written in date order: full blocks split keeping the newest NEWEST_POSTINGS together, in one row
    const sizes0 = (db.prepare("SELECT postings FROM related_term_blocks WHERE term = 'copper' ORDER BY first_date").pluck().all() as string[])
      .map((p) => p.trim().split(' ').length / 3);
    expect(Math.max(...sizes0)).toBeLessThanOrEqual(BLOCK_POSTINGS);
    expect(sizes0.at(-1)).toBeGreaterThanOrEqual(NEWEST_POSTINGS);
    expect(sizes0.reduce((a, b) => a + b)).toBe(400);
    // retention-like gaps after story 203: of every 40 stories, 39 go; the blocks there keep one or two postings
    for (let k = 204; k < 400; k++) if (k % 40 !== 0) db.prepare('DELETE FROM stories WHERE id = ?').run(id(k));
    const sizes = (db.prepare("SELECT postings FROM related_term_blocks WHERE term = 'copper' AND first_date > ?").pluck().all(date(240)) as string[])
      .map((p) => p.trim().split(' ').length / 3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
    // the nearest 12 on each side of story 200: 12 before from one block; after it 3 neighbours and the 4 stories
    // left, across more blocks than the first read takes
    const near = [...postings.similar(id(200), date(200), 12, 100, 25).keys()].sort();
    const expected = [...Array.from({ length: 12 }, (_, j) => 199 - j), 201, 202, 203, 240, 280, 320, 360];
    expect(near).toEqual(expected.map(id).sort());
  });
});
