// Bulk-generated databases (NOT a pass of the pipeline): rows written straight into the real schema, which the
// store's own migration code creates, so that 1M-story figures take minutes instead of hours. Marked in every result.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyMigrations, openDatabase } from '../../src/store/sqlite/migrate.ts';
import { computeHeadlineKeys } from '../../src/dedupe/fingerprint.ts';
import type { PreparedItem } from '../../src/model/story.ts';
import { outletId } from './corpus.ts';


const TITLE_WORDS = ['central', 'bank', 'rates', 'inflation', 'election', 'minister', 'talks', 'deal', 'strike', 'court',
  'ruling', 'oil', 'prices', 'exports', 'budget', 'protest', 'storm', 'floods', 'shares', 'profit', 'merger', 'tariffs',
  'vaccine', 'drought', 'ceasefire', 'summit', 'pipeline', 'refinery', 'currency', 'bonds', 'mining', 'copper', 'wheat',
  'coffee', 'airline', 'railway', 'port', 'reform', 'pension', 'coalition', 'parliament', 'senate', 'governor', 'police'];
const PLACES = ['Colombia', 'Venezuela', 'France', 'Germany', 'India', 'Brazil', 'Japan', 'Mexico', 'Argentina', 'Turkey',
  'Spain', 'Italy', 'Canada', 'Ukraine', 'China', 'Kenya', 'Nigeria', 'Chile', 'Peru', 'Egypt', 'Poland', 'Sweden'];
const TOPICS = ['world', 'business', 'markets', 'politics', 'economy', 'energy', 'health', 'technology'];

export interface BulkOptions {
  stories: number;
  seed: number;
  outlets: number;
  /** Stories are spread evenly over this many ms before `now` (oldest first). */
  spanMs: number;
  now: Date;
  /** Real prepared items (with real dedupe keys and signatures) written among the bulk rows, e.g. to be found again. */
  realItems?: { sourceId: string; item: PreparedItem }[];
}

export interface BulkInfo {
  path: string;
  stories: number;
  seconds: number;
  bytes: number;
  keyRows: number;
  cached: boolean;
}

/** The real schema's indexes and triggers on the tables filled here: dropped for the load, recreated from their own SQL after. */
function dropIndexesAndTriggers(db: ReturnType<typeof openDatabase>): { name: string; sql: string }[] {
  const objects = db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL
    AND tbl_name IN ('items', 'item_keys', 'story_tags', 'stories', 'item_tags')`).all() as { type: string; name: string; sql: string }[];
  for (const o of objects) db.exec(`DROP ${o.type === 'index' ? 'INDEX' : 'TRIGGER'} ${o.name}`);
  return objects;
}

/**
 * Builds the database at `path` (replacing it). Schema from the store's own migrations; then, for the load only: no
 * journal on disk, no syncs, no foreign-key checks, a 1 GB page cache, the secondary indexes and triggers dropped, and
 * every table filled by `INSERT ... SELECT` from a recursive series in its primary-key order (hash keys generated in key
 * order, headline and URL keys sorted). The first version wrote 29M key rows through a 5 GB WAL in one sorted statement
 * and took 37 minutes for 1M stories; this one 185–195 s on a quiet core.
 */
export function buildBulkDatabase(path: string, options: BulkOptions, log: (line: string) => void = () => {}): BulkInfo {
  const started = performance.now();
  const at = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  mkdirSync(dirname(path), { recursive: true });
  const db = openDatabase(path);
  applyMigrations(db);
  // OFF is refused by this SQLite build; MEMORY journals nothing for pages that did not exist (a new file)
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('cache_size = -1048576');
  db.pragma('threads = 2');
  // sorts (the item index over 29M key rows) in memory rather than in temp files
  db.pragma('temp_store = MEMORY');
  const dropped = dropIndexesAndTriggers(db);

  const n = options.stories;
  const real = options.realItems ?? [];
  const synthetic = n - real.length;
  const insertSource = db.prepare('INSERT INTO sources (id, title, attribution, priority, url, config_hash) VALUES (?, ?, ?, 0, ?, ?)');
  const outlets = Array.from({ length: options.outlets }, (_, i) => outletId(i));
  db.exec('BEGIN');
  for (const id of new Set([...outlets, ...real.map((r) => r.sourceId)])) insertSource.run(id, `Bulk ${id}`, `Bulk ${id}`, `http://127.0.0.1/${id}.xml`, 'bulk');

  // Rows are generated inside SQLite (a recursive series, random() and printf): JS row-by-row inserts ran at ~50k rows/s
  // here, far too slow for the ~29 dedupe keys per story. Headline keys come from the real computeHeadlineKeys.
  db.function('bench_headline_keys', { deterministic: true }, (title: unknown) => JSON.stringify(computeHeadlineKeys(String(title))));
  const startMs = options.now.getTime() - options.spanMs;
  db.exec(`CREATE TEMP TABLE bench_words (i INTEGER PRIMARY KEY, w TEXT NOT NULL);
    CREATE TEMP TABLE bench_places (i INTEGER PRIMARY KEY, w TEXT NOT NULL);
    CREATE TEMP TABLE bench_topics (i INTEGER PRIMARY KEY, w TEXT NOT NULL);
    CREATE TEMP TABLE bench_outlets (i INTEGER PRIMARY KEY, w TEXT NOT NULL);`);
  const fill = (table: string, values: string[]) => {
    const insert = db.prepare(`INSERT INTO ${table} (i, w) VALUES (?, ?)`);
    values.forEach((value, i) => insert.run(i, value));
  };
  fill('bench_words', TITLE_WORDS);
  fill('bench_places', PLACES);
  fill('bench_topics', TOPICS);
  fill('bench_outlets', outlets);
  const word = `(SELECT w FROM bench_words WHERE i = abs(random()) % ${TITLE_WORDS.length})`;
  const lead = 'Officials said on Monday that the talks would continue next week, as negotiators sought to close gaps on financing, oversight and the timetable for the first payments, according to people familiar with the matter. ';
  db.exec(`CREATE TEMP TABLE bench_rows (i INTEGER PRIMARY KEY, id, story_id, outlet, place, topic, at, title, url)`);
  db.exec(`INSERT INTO bench_rows SELECT *, place || ' ' || ${word} || ' ' || ${word} || ' ' || ${word} || ' after ' || ${word} || ' ' || (i % 1000) AS title,
      'https://' || outlet || '.example/news/' || printf('%08x', (i * 2654435761) & 4294967295) AS url
    FROM (WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${synthetic - 1})
      SELECT i, i + 1 AS id, printf('s_b%015x', i) AS story_id,
        coalesce((SELECT w FROM bench_outlets WHERE i = abs(random()) % ${options.outlets}), '${outlets[0]}') AS outlet,
        (SELECT w FROM bench_places WHERE i = abs(random()) % ${PLACES.length}) AS place,
        (SELECT w FROM bench_topics WHERE i = abs(random()) % ${TOPICS.length}) AS topic,
        strftime('%Y-%m-%dT%H:%M:%fZ', (${startMs} + (i * ${options.spanMs}.0 / ${n})) / 1000.0, 'unixepoch') AS at
      FROM s)`);
  db.exec(`INSERT INTO stories (id, created_at, updated_at, date) SELECT story_id, at, at, at FROM bench_rows ORDER BY story_id`);
  db.exec(`INSERT INTO items (id, source_id, identity, story_id, guid, title, link, canonical_url, published, summary, categories,
      content_hash, signature, first_seen, last_seen)
    SELECT id, outlet, 'bulk:' || i, story_id, outlet || '-B' || i, title, url, url, at, '${lead}' || title, '[]',
      printf('%016x', random()), randomblob(620), at, at FROM bench_rows ORDER BY id`);
  db.exec(`INSERT INTO story_tags (story_id, tag) SELECT story_id, tag FROM (SELECT story_id, 'place:' || place AS tag FROM bench_rows
    UNION ALL SELECT story_id, 'topic:' || topic FROM bench_rows) ORDER BY story_id, tag`);
  db.exec(`INSERT INTO item_tags (item_id, tag, origin) SELECT id, tag, 'bulk' FROM (SELECT id, 'place:' || place AS tag FROM bench_rows
    UNION ALL SELECT id, 'topic:' || topic FROM bench_rows) ORDER BY id, tag`);
  log(`      ${synthetic.toLocaleString('en-US')} stories, items and tags written at ${at()}`);
  // The key table's primary key is its clustered index (WITHOUT ROWID): keys are appended in key order, one statement
  // per key prefix (b < g < h/t < u). LSH band and guid-stem keys are hashes, uniform over their range: each item gets a
  // random value inside its own slot of the range, so that they come out in item order and need no sort (a sort of
  // 29M rows, and the item index's re-sort of them, were most of the build).
  const slot = (range: number) => Math.max(1, Math.floor(range / n));
  const bands = Array.from({ length: 20 }, (_, b) => String(b)).sort();
  for (const band of bands) {
    db.exec(`INSERT INTO item_keys (key, item_id, seen_at)
      SELECT printf('b:${band}:%08x', i * ${slot(2 ** 32)} + abs(random()) % ${slot(2 ** 32)}), id, at FROM bench_rows ORDER BY i`);
  }
  db.exec(`INSERT INTO item_keys (key, item_id, seen_at)
    SELECT printf('g:%016x', i * ${slot(2 ** 62)} + abs(random()) % ${slot(2 ** 62)}), id, at FROM bench_rows ORDER BY i`);
  db.exec(`INSERT INTO item_keys (key, item_id, seen_at)
    SELECT DISTINCT j.value, r.id, r.at FROM bench_rows r, json_each(bench_headline_keys(r.title)) j ORDER BY 1, 2`);
  db.exec(`INSERT INTO item_keys (key, item_id, seen_at) SELECT 'u:' || url, id, at FROM bench_rows ORDER BY 1, 2`);
  let keyRows = (db.prepare('SELECT COUNT(*) AS n FROM item_keys').get() as { n: number }).n;
  log(`      ${keyRows.toLocaleString('en-US')} dedupe key rows written at ${at()}`);
  const insertKey = db.prepare('INSERT OR IGNORE INTO item_keys (key, item_id, seen_at) VALUES (?, ?, ?)');
  const insertStory = db.prepare('INSERT INTO stories (id, created_at, updated_at, date) VALUES (?, ?, ?, ?)');
  const insertItem = db.prepare(`INSERT INTO items (id, source_id, identity, story_id, guid, title, link, canonical_url, published,
    summary, categories, content_hash, signature, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertStoryTag = db.prepare('INSERT OR IGNORE INTO story_tags (story_id, tag) VALUES (?, ?)');
  const insertItemTag = db.prepare('INSERT OR IGNORE INTO item_tags (item_id, tag, origin) VALUES (?, ?, ?)');
  // the real items come last (the newest), with their real keys and signatures
  real.forEach(({ sourceId, item }, r) => {
    const i = synthetic + r;
    const id = i + 1;
    const sid = `s_b${i.toString(16).padStart(15, '0')}`;
    const at = new Date(startMs + Math.floor((options.spanMs * i) / n)).toISOString();
    insertStory.run(sid, at, at, at);
    insertItem.run(id, sourceId, item.identity, sid, item.guid ?? null, item.title, item.link ?? null, item.canonicalUrl ?? null,
      item.published ?? null, item.summary ?? null, JSON.stringify(item.categories), item.contentHash,
      item.signature ? Buffer.from(item.signature) : null, at, at);
    for (const key of new Set(item.dedupeKeys)) (insertKey.run(key, id, at), keyRows++);
    for (const t of item.tags) (insertItemTag.run(id, t.tag, t.origin), insertStoryTag.run(sid, t.tag));
  });
  db.exec('DROP TABLE bench_rows');
  db.exec('COMMIT');
  for (const object of dropped) {
    const t = performance.now();
    db.exec(object.sql);
    if (performance.now() - t > 5000) log(`      ${object.name}: ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  // the change counter the triggers keep (0005): one change per row written, as if the triggers had run
  db.exec('UPDATE store_changes SET seq = (SELECT COUNT(*) FROM stories) + (SELECT COUNT(*) FROM story_tags) WHERE id = 1');
  log(`      indexes and triggers recreated at ${at()}`);
  db.pragma('locking_mode = NORMAL');
  db.pragma('journal_mode = WAL');
  db.close();
  return { path, stories: n, seconds: (performance.now() - started) / 1000, bytes: statSync(path).size, keyRows, cached: false };
}

/** Another bench run building the same database (its files changed in the last 5 minutes): wait for it, up to 40 minutes. */
function waitForOtherBuild(name: string, log: (line: string) => void): void {
  const busy = () => [`${name}.tmp`, `${name}.tmp-wal`].some((f) => existsSync(f) && Date.now() - statSync(f).mtimeMs < 300_000);
  if (!busy()) return;
  log(`    another run is building ${name}: waiting for it`);
  const until = Date.now() + 40 * 60_000;
  while (busy() && !existsSync(name) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
}

/** Bump when the generated rows change: cached databases of another version are rebuilt. */
export const BULK_VERSION = 2;

/**
 * The cached bulk database for these options (built once: about 5 KB a story on disk, minutes per million stories),
 * with the build's `now` read back from its sidecar so that dedupe windows line up with the stored dates.
 * Callers that write to it either roll back (SAVEPOINT) or accept that a few rows are added.
 */
export function ensureBulkDatabase(cacheDir: string, options: Omit<BulkOptions, 'now'>, log: (line: string) => void): BulkInfo & { now: Date } {
  const name = `${cacheDir}/bulk-v${BULK_VERSION}-${options.stories}-s${options.seed}-r${options.realItems?.length ?? 0}.sqlite`;
  const sidecar = `${name}.json`;
  waitForOtherBuild(name, log);
  if (existsSync(name) && existsSync(sidecar)) {
    const meta = JSON.parse(readFileSync(sidecar, 'utf8')) as BulkInfo & { now: string };
    return { ...meta, path: name, cached: true, now: new Date(meta.now) };
  }
  mkdirSync(cacheDir, { recursive: true });
  log(`    building a bulk database of ${options.stories.toLocaleString('en-US')} stories (direct inserts into the real schema; cached in ${cacheDir})...`);
  const now = new Date();
  const info = buildBulkDatabase(`${name}.tmp`, { ...options, now }, log);
  rmSync(`${name}.tmp-wal`, { force: true });
  rmSync(`${name}.tmp-shm`, { force: true });
  // the sidecar first: a database file present means a finished build (waitForOtherBuild stops on it)
  writeFileSync(sidecar, JSON.stringify({ ...info, path: name, now: now.toISOString() }));
  renameSync(`${name}.tmp`, name);
  log(`    built in ${info.seconds.toFixed(0)} s: ${(info.bytes / 1_048_576).toFixed(0)} MB, ${info.keyRows.toLocaleString('en-US')} dedupe key rows`);
  return { ...info, path: name, now };
}

