// Runs the shared store suite on the SQLite backend, plus the SQLite-only migration behaviour.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { applyMigrations, listMigrations, MIGRATIONS_DIR, openDatabase } from '../../src/store/sqlite/migrate.ts';
import { runStoreSuite } from './store.suite.ts';
import { runRelatedSuite } from './related.suite.ts';

let dir = '';
runStoreSuite(
  'sqlite',
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'wiredesk-store-'));
    return new SqliteStore(join(dir, 'test.sqlite'));
  },
  async () => rmSync(dir, { recursive: true, force: true }),
);

runRelatedSuite('sqlite', async () => { dir = mkdtempSync(join(tmpdir(), 'wiredesk-store-')); return new SqliteStore(join(dir, 'test.sqlite')); }, async () => rmSync(dir, { recursive: true, force: true }));

describe('sqlite migrations', () => {
  let tmp = '';
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('applies every shipped migration to a new database, in WAL mode', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'wiredesk-mig-'));
    const store = new SqliteStore(join(tmp, 'a.sqlite'));
    expect(await store.schemaVersion()).toBe(listMigrations().at(-1)?.version);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    await store.close();
  });

  it('0006 gives stories indexed before it equal word weights, and moves the change counter once per related list', () => {
    tmp = mkdtempSync(join(tmpdir(), 'wiredesk-mig-'));
    const db = openDatabase(join(tmp, 'c.sqlite'));
    applyMigrations(db, listMigrations().filter((m) => m.version <= 5));
    db.exec(`INSERT INTO stories (id, created_at, updated_at, date) VALUES ('s_1', 'x', 'x', '2026-11-20T00:00:00Z');
      INSERT INTO related_index (story_id, date, title, terms, indexed_at) VALUES ('s_1', '2026-11-20T00:00:00Z', 't', '["copper","strike","chile","mine"]', 'x')`);
    applyMigrations(db);
    // (read from 0009's story-keyed table, which took the postings over)
    const rows = db.prepare("SELECT term, weight FROM related_story_terms WHERE story_id = 's_1' ORDER BY term").all() as { term: string; weight: number }[];
    expect(rows.map((r) => r.term)).toEqual(['chile', 'copper', 'mine', 'strike']);
    for (const row of rows) expect(row.weight).toBeCloseTo(0.5, 9); // 1 / sqrt(4): unit length
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'story_related%'").all();
    expect(triggers).toEqual([]);
    db.close();
  });

  it('0008: the next-check count and the visibility check of related posts read indexes, not table rows', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'wiredesk-mig-'));
    const store = new SqliteStore(join(tmp, 'd.sqlite'));
    const plan = (sql: string, ...params: unknown[]) =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    // the statements of sources.ts (countPublishedSince) and related.ts (candidates' rows)
    expect(plan('SELECT COUNT(*) AS n FROM items WHERE source_id = ? AND COALESCE(published, first_seen) >= ? AND COALESCE(published, first_seen) <= ?', 'a', 'b', 'c'))
      .toMatch(/COVERING INDEX items_source_published/);
    expect(plan(`SELECT i.story_id FROM related_index i JOIN stories s ON s.id = i.story_id
      WHERE i.story_id IN (SELECT value FROM json_each(?)) AND s.is_hidden = 0 AND s.is_withdrawn = 0`, '[]'))
      .toMatch(/COVERING INDEX stories_visible/);
    await store.close();
  });

  it('0009 moves the word postings into blocks per word, and a cascaded deletion takes a story\'s postings out', () => {
    tmp = mkdtempSync(join(tmpdir(), 'wiredesk-mig-'));
    const db = openDatabase(join(tmp, 'e.sqlite'));
    applyMigrations(db, listMigrations().filter((m) => m.version <= 8));
    const add = db.prepare("INSERT INTO stories (id, created_at, updated_at, date) VALUES (?, 'x', 'x', ?)");
    const post = db.prepare('INSERT INTO related_terms (term, date, story_id, weight) VALUES (?, ?, ?, ?)');
    // 90 stories on "copper" (blocks of 34 and 56: the newest 56 together), one of them on "zinc" too
    for (let k = 0; k < 90; k++) {
      const id = `s_${String(k).padStart(16, '0')}`;
      const date = new Date(Date.UTC(2026, 9, 1) + k * 3_600_000).toISOString();
      add.run(id, date);
      post.run('copper', date, id, 0.5 + k / 1000);
      if (k === 45) post.run('zinc', date, id, 0.25);
    }
    applyMigrations(db);
    const blocks = db.prepare("SELECT term, first_date, first_story, postings FROM related_term_blocks ORDER BY term, first_date").raw().all() as string[][];
    expect(blocks.map((b) => [b[0], b[3]!.trim().split(' ').length / 3])).toEqual([['copper', 34], ['copper', 56], ['zinc', 1]]);
    expect(blocks[1]![1]).toBe(new Date(Date.UTC(2026, 9, 1) + 34 * 3_600_000).toISOString()); // keyed by its first posting
    expect(blocks[1]![2]).toBe(`s_${String(34).padStart(16, '0')}`);
    expect(blocks[1]![3]).toContain(` ${blocks[1]![1]} ${blocks[1]![2]} 0.534 `);
    expect(db.prepare('SELECT term, head, n, last_story FROM related_term_blocks ORDER BY term, first_date').raw().all()).toEqual([
      ['copper', 1, 34, `s_${String(33).padStart(16, '0')}`], ['copper', 0, 56, `s_${String(89).padStart(16, '0')}`], ['zinc', 1, 1, `s_${String(45).padStart(16, '0')}`],
    ]);
    expect(db.prepare('SELECT COUNT(*) FROM related_story_terms').pluck().get()).toBe(91);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'related_terms'").get()).toBeUndefined();
    // retention deletes a story: its postings leave their blocks (and an emptied block goes)
    db.prepare('DELETE FROM stories WHERE id = ?').run(`s_${String(45).padStart(16, '0')}`);
    const after = db.prepare("SELECT term, postings FROM related_term_blocks ORDER BY term, first_date").raw().all() as string[][];
    expect(after.map((b) => [b[0], b[1]!.trim().split(' ').length / 3])).toEqual([['copper', 34], ['copper', 55]]);
    expect(db.prepare("SELECT n FROM related_term_blocks WHERE term = 'copper' ORDER BY first_date").pluck().all()).toEqual([34, 55]);
    expect(after[1]![1]).not.toContain(`s_${String(45).padStart(16, '0')}`);
    db.close();
  });

  it('the blocks around a date are read through the blocks\' key, not by scanning a word', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'wiredesk-mig-'));
    const store = new SqliteStore(join(tmp, 'f.sqlite'));
    const plan = (sql: string, ...params: unknown[]) =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT postings FROM related_term_blocks WHERE term = ? AND first_date <= ? ORDER BY first_date DESC, first_story DESC LIMIT 2', 'a', 'b'))
      .toBe('SEARCH related_term_blocks USING INDEX related_term_blocks_key (term=? AND first_date<?)');
    expect(plan('SELECT term, weight FROM related_story_terms WHERE story_id = ?', 's')).toBe('SEARCH related_story_terms USING PRIMARY KEY (story_id=?)');
    await store.close();
  });

  it('refuses a database written by a newer Wiredesk, naming both versions', () => {
    tmp = mkdtempSync(join(tmpdir(), 'wiredesk-mig-'));
    const file = join(tmp, 'b.sqlite');
    const db = new Database(file);
    db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES (9999, 'future', 'x')");
    db.close();
    expect(() => new SqliteStore(file)).toThrow(/schema version 9999, newer than this Wiredesk knows/);
  });

  it('a failing migration is rolled back whole and leaves the previous version intact', () => {
    tmp = mkdtempSync(join(tmpdir(), 'wiredesk-mig-'));
    const migrations = join(tmp, 'migrations');
    mkdirSync(migrations);
    for (const file of readdirSync(MIGRATIONS_DIR)) copyFileSync(join(MIGRATIONS_DIR, file), join(migrations, file));
    const db = openDatabase(join(tmp, 'c.sqlite'));
    const before = applyMigrations(db, listMigrations(migrations)).to;
    writeFileSync(join(migrations, '9000_broken.sql'), 'CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);');
    expect(() => applyMigrations(db, listMigrations(migrations))).toThrow(/migration 9000_broken failed, database left at version \d+/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    expect(applyMigrations(db, listMigrations(MIGRATIONS_DIR)).to).toBe(before);
    db.close();
  });
});

describe('sqlite backup', () => {
  it('writes a consistent copy that opens as a store with the same stories', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'wiredesk-bak-'));
    try {
      const store = new SqliteStore(join(tmp, 'live.sqlite'));
      await store.syncSources([{ id: 'a', title: 'A', attribution: 'A', priority: 0, republish: 'full', path: 'x', configHash: 'h' }]);
      await store.ingestBatch('a', [{ identity: 'g1', title: 'One', categories: [], enclosures: [], contentHash: 'c', dedupeKeys: [], tags: [] }], () => ({ rule: 'new-story' }), { now: new Date(), windowMs: 1000 });
      await store.backupTo(join(tmp, 'copy.sqlite'));
      await expect(store.backupTo(join(tmp, 'copy.sqlite'))).rejects.toThrow(/backup to .* failed/);
      await store.close();
      const copy = new SqliteStore(join(tmp, 'copy.sqlite'));
      expect((await copy.queryStories({ limit: 5 })).map((s) => s.shown.title)).toEqual(['One']);
      expect(copy.db.pragma('integrity_check', { simple: true })).toBe('ok');
      await copy.close();
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a write that fails for lack of space rolls back whole and names the failure; writes work again once space returns', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'wiredesk-full-'));
    try {
      const store = new SqliteStore(join(tmp, 'full.sqlite'));
      await store.syncSources([{ id: 'a', title: 'A', attribution: 'A', priority: 0, republish: 'full', path: 'x', configHash: 'h' }]);
      const mk = (n: number) => ({ identity: `g${n}`, title: `Story ${n}`, contentHtml: 'x'.repeat(4000), categories: [], enclosures: [], contentHash: `c${n}`, dedupeKeys: [], tags: [] });
      const resolver = () => ({ rule: 'new-story' });
      await store.ingestBatch('a', [mk(0)], resolver, { now: new Date(), windowMs: 1000 });
      const pages = store.db.pragma('page_count', { simple: true }) as number;
      store.db.pragma(`max_page_count = ${pages + 2}`);
      const big = Array.from({ length: 50 }, (_, i) => mk(i + 1));
      await expect(store.ingestBatch('a', big, resolver, { now: new Date(), windowMs: 1000 })).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
      expect((await store.counts()).items).toBe(1);
      store.db.pragma('max_page_count = 1073741823');
      expect((await store.ingestBatch('a', big, resolver, { now: new Date(), windowMs: 1000 })).itemsNew).toBe(50);
      await store.close();
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('sqlite related posts: word cosine', () => {
  let tmp = '';
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('scores text as the dot product of stored word weights, and a single shared word at half', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'wiredesk-cos-'));
    const store = new SqliteStore(join(tmp, 'c.sqlite'));
    await store.syncSources([{ id: 'wire', title: 'Wire', attribution: 'Wire', priority: 0, republish: 'full', path: 'x', configHash: 'a' }]);
    const at = '2026-11-25T12:00:00.000Z';
    const words: Record<string, string[]> = {
      s: ['copper', 'strike', 'chile'], p: ['copper', 'strike', 'union', 'wages'], q: ['chile', 'election'], r: ['wine'], t: ['copper', 'strike', 'mine'],
    };
    const ids: Record<string, string> = {};
    for (const [key, terms] of Object.entries(words)) {
      const item = { identity: `guid:${key}`, title: key, link: `https://e.example/${key}`, categories: [], enclosures: [], contentHash: key, dedupeKeys: [], tags: [] };
      ids[key] = (await store.ingestBatch('wire', [item], () => ({ rule: 'new-story' }), { now: new Date(at), windowMs: 86_400_000 })).storiesTouched[0]!;
      await store.indexStories([{ storyId: ids[key]!, date: at, title: key, lead: terms.join(' '), tags: [], terms }]);
    }
    const weights = store.db.prepare('SELECT term, weight FROM related_story_terms WHERE story_id = ?');
    const vector = (id: string) => new Map((weights.all(id) as { term: string; weight: number }[]).map((r) => [r.term, r.weight]));
    const dot = (a: string, b: string) => [...vector(a)].reduce((sum, [term, w]) => sum + w * (vector(b).get(term) ?? 0), 0);
    const set = await store.relatedCandidates(ids.s!, { perTag: 10, perTerm: 10, textLimit: 10 });
    const text = new Map(set!.candidates.map((c) => [c.storyId, c.text]));
    expect(text.get(ids.p!)).toBeCloseTo(dot(ids.s!, ids.p!), 9); // two shared words: the cosine
    expect(text.get(ids.q!)).toBeCloseTo(dot(ids.s!, ids.q!) / 2, 9); // one shared word: half
    expect(text.has(ids.r!)).toBe(false);
    // queryTerms: only the story's heaviest words are looked up; s was indexed first, when its three words were equally
    // rare, so they weigh the same and the tie goes by word order: "chile"
    expect(new Set(vector(ids.s!).values()).size).toBe(1);
    const heaviest = await store.relatedCandidates(ids.s!, { perTag: 10, perTerm: 10, textLimit: 10, queryTerms: 1 });
    expect(heaviest!.candidates.map((c) => c.storyId)).toEqual([ids.q]);
    await store.close();
  });
});
