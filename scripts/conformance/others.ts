// Other corpora: rss-parser and feed-rs expected outputs where they map to our model, parse rates, and the news snapshots.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ParsedFeed } from '../../src/model/item.ts';
import { parseFeed, ParseError } from '../../src/parse/index.ts';
import { hasMojibake, rowId, sameInstant, samePlainText, type Miss, type Row } from './compare.ts';

type Outcome = { feed: ParsedFeed } | { error: string; crashed: boolean };

/** Collects rows and misses for one corpus. */
class Tally {
  readonly rows = new Map<string, Row>();
  readonly misses: Miss[] = [];
  constructor(private readonly corpus: string) {}
  count(suite: string, measure: string, ok: boolean, file: string, detail: () => string): void {
    const id = rowId({ corpus: this.corpus, suite, measure });
    const row = this.rows.get(id) ?? { corpus: this.corpus, suite, measure, passed: 0, total: 0 };
    this.rows.set(id, row);
    row.total++;
    if (ok) row.passed++;
    else this.misses.push({ row: id, file, detail: detail() });
  }
}

/** Same URL after resolving a relative expected one against the document URL and normalizing (host case, trailing slash). */
function sameUrl(expected: string, actual: string | undefined, file: string): boolean {
  if (actual === undefined) return false;
  try {
    const base = `http://127.0.0.1:8097/${basename(file)}`;
    return new URL(expected.trim(), base).href === new URL(actual, base).href;
  } catch {
    return expected.trim() === actual;
  }
}

/** rss-parser decoded some Latin-1 feeds as UTF-8: its expected text holds U+FFFD and is not scored. */
const isMojibakeExpectation = (text: string | undefined): boolean => !!text && text.includes('\uFFFD');

/**
 * We deliberately prefer FeedBurner's feedburner:origLink (the publisher's URL) to its redirector link, which
 * rss-parser and feed-rs report; where every item of a document carries one, it is the expected link.
 */
function readOrigLinks(path: string, itemCount: number): (index: number, link: string) => string {
  const source = readFileSync(path, 'utf8');
  const origLinks = [...source.matchAll(/<feedburner:origLink>([^<]*)<\/feedburner:origLink>/gi)].map((m) => (m[1] ?? '').trim().replace(/&amp;/g, '&'));
  return (index, link) => (origLinks.length === itemCount ? origLinks[index] ?? link : link);
}

/** Parses a corpus file the way the fetch stage would hand it over (gzip transport encoding removed). */
export function parseCorpusFile(path: string): Outcome {
  let bytes: Uint8Array = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  try {
    return { feed: parseFeed(bytes, { baseUrl: `http://127.0.0.1:8097/${basename(path)}` }) };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}`, crashed: !(error instanceof ParseError) };
  }
}

const FEED_EXTENSIONS = new Set(['.xml', '.rss', '.atom', '.rdf', '.json', '.html']);

function listFeedFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFeedFiles(path));
    else if (FEED_EXTENSIONS.has(extname(name)) && !name.endsWith('.serde.json') && name !== 'EXPECTATIONS.json' && !/schema-v1/.test(name)) out.push(path);
  }
  return out;
}

/**
 * Files in the corpora that are not feed documents, which must be rejected with a ParseError: node-feedparser's
 * notafeed.html, feed-rs's <catalog> XML samples, rss-parser's "Document Moved" HTML page, feedjira's *FirstEntry*
 * files (HTML fragments of one entry's content), RSParser's ScriptingNews.json (RSS 2.0 transliterated to JSON).
 */
const NOT_FEEDS = /notafeed|\.html$|feed-rs\/xml\/xml_sample_|rss-parser\/input\/unrecognized\.rss|feedjira\/\w+FirstEntry\w*\.xml|rsparser\/ScriptingNews\.json/;

/** Every document parses (or, for files that are not feeds, is rejected with a ParseError, never a crash). */
function measureParsing(tally: Tally, suite: string, files: string[], root: string): void {
  for (const file of files) {
    const outcome = parseCorpusFile(file);
    const notAFeed = NOT_FEEDS.test(file);
    const ok = 'feed' in outcome ? !notAFeed : notAFeed && !outcome.crashed;
    tally.count(suite, 'parsing', ok, file.slice(root.length + 1), () => ('error' in outcome ? outcome.error : 'parsed a non-feed'));
  }
}

interface RssParserOutput { feed: { title?: string; link?: string; items: Array<{ title?: string; link?: string; isoDate?: string }> } }

/** rss-parser's own outputs: feed title/link, item count, item titles, links and dates. */
function measureRssParser(tally: Tally, root: string): void {
  const dir = join(root, 'rss-parser');
  for (const input of readdirSync(join(dir, 'input')).sort()) {
    const expectedPath = join(dir, 'output', input.replace(/\.[a-z]+$/, '.json'));
    let expected: RssParserOutput;
    try {
      expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as RssParserOutput;
    } catch {
      continue; // rss-parser has no output for this input (it failed or the test checks an error)
    }
    const outcome = parseCorpusFile(join(dir, 'input', input));
    const file = `rss-parser/input/${input}`;
    if (!('feed' in outcome)) {
      tally.count('outputs', 'item count', false, file, () => outcome.error);
      continue;
    }
    const { feed } = outcome;
    const expectedLink = readOrigLinks(join(dir, 'input', input), expected.feed.items.length);
    tally.count('outputs', 'item count', feed.items.length === expected.feed.items.length, file, () => `want ${expected.feed.items.length} got ${feed.items.length}`);
    if (expected.feed.title !== undefined && !isMojibakeExpectation(expected.feed.title)) tally.count('outputs', 'titles', samePlainText(expected.feed.title, feed.title), file, () => `feed title want ${JSON.stringify(expected.feed.title)} got ${JSON.stringify(feed.title)}`);
    expected.feed.items.forEach((want, i) => {
      const got = feed.items[i];
      if (want.title !== undefined && !isMojibakeExpectation(want.title)) tally.count('outputs', 'titles', samePlainText(want.title, got?.title), file, () => `item ${i} title want ${JSON.stringify(want.title)} got ${JSON.stringify(got?.title)}`);
      const link = want.link === undefined ? undefined : expectedLink(i, want.link);
      if (link !== undefined) tally.count('outputs', 'links', sameUrl(link, got?.link, file), file, () => `item ${i} link want ${link} got ${got?.link}`);
      if (want.isoDate !== undefined) tally.count('outputs', 'dates', sameInstant(want.isoDate, got?.published, got?.updated), file, () => `item ${i} date want ${want.isoDate} got ${got?.published}`);
    });
  }
}

interface FeedRsText { content?: string }
interface FeedRsLink { href: string; rel?: string | null }
interface FeedRsOutput {
  title?: FeedRsText | null;
  entries: Array<{ title?: FeedRsText | null; links: FeedRsLink[]; published?: string | null; updated?: string | null }>;
}

/** feed-rs `*.serde.json`: feed title, item count, item titles, first alternate link, dates. */
function measureFeedRs(tally: Tally, root: string): void {
  const dir = join(root, 'feed-rs');
  for (const expectedPath of listFeedFiles(dir).length ? findSerde(dir) : []) {
    const input = ['.xml', '.json'].map((ext) => expectedPath.replace(/\.serde\.json$/, ext)).find((p) => { try { return statSync(p).isFile(); } catch { return false; } });
    if (!input) continue;
    const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as FeedRsOutput;
    const outcome = parseCorpusFile(input);
    const file = input.slice(root.length + 1);
    if (!('feed' in outcome)) {
      tally.count('outputs', 'item count', false, file, () => outcome.error);
      continue;
    }
    const { feed } = outcome;
    const expectedLink = readOrigLinks(input, expected.entries.length);
    tally.count('outputs', 'item count', feed.items.length === expected.entries.length, file, () => `want ${expected.entries.length} got ${feed.items.length}`);
    if (expected.title?.content) tally.count('outputs', 'titles', samePlainText(expected.title.content, feed.title), file, () => `feed title want ${JSON.stringify(expected.title?.content)} got ${JSON.stringify(feed.title)}`);
    expected.entries.forEach((want, i) => {
      const got = feed.items[i];
      if (want.title?.content) tally.count('outputs', 'titles', samePlainText(want.title.content, got?.title), file, () => `item ${i} title want ${JSON.stringify(want.title?.content)} got ${JSON.stringify(got?.title)}`);
      const alternate = want.links.find((l) => !l.rel || l.rel === 'alternate');
      const link = alternate ? expectedLink(i, alternate.href) : undefined;
      if (link !== undefined) tally.count('outputs', 'links', sameUrl(link, got?.link, file), file, () => `item ${i} link want ${link} got ${got?.link}`);
      const date = want.published ?? want.updated;
      if (date) tally.count('outputs', 'dates', sameInstant(date, got?.published, got?.updated), file, () => `item ${i} date want ${date} got ${got?.published}/${got?.updated}`);
    });
  }
}

function findSerde(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findSerde(path));
    else if (name.endsWith('.serde.json')) out.push(path);
  }
  return out;
}

/** news-snapshots/INDEX.md: every snapshot parses, the item count matches where the index gives one, no mojibake. */
function measureSnapshots(tally: Tally, root: string): void {
  const index = readFileSync(join(root, 'news-snapshots', 'INDEX.md'), 'utf8');
  for (const line of index.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 6 || !cells[1] || !/\.(xml|rss|atom|json)/.test(cells[1])) continue;
    const first = cells[1];
    const dir = first.includes('/') ? first.slice(0, first.lastIndexOf('/') + 1) : '';
    const files = first.replace(/\(\+[^)]*\)/, '').split(',').map((f) => f.trim()).filter(Boolean).map((f) => (f.includes('/') ? f : dir + f));
    const count = Number(cells[4]);
    for (const file of files) {
      const outcome = parseCorpusFile(join(root, file));
      tally.count('snapshots', 'parsing', 'feed' in outcome, file, () => ('error' in outcome ? outcome.error : ''));
      if (!('feed' in outcome)) continue;
      const { feed } = outcome;
      if (Number.isFinite(count) && count > 0) tally.count('snapshots', 'item count', feed.items.length === count, file, () => `want ${count} got ${feed.items.length}`);
      const texts = [feed.title, feed.description, ...feed.items.flatMap((i) => [i.title, i.author, i.summary, i.contentHtml])];
      const bad = texts.find(hasMojibake);
      tally.count('snapshots', 'no mojibake', bad === undefined, file, () => `mojibake: ${bad?.slice(0, 80)}`);
    }
  }
}

/** Miniflux's encoding cases: parsed and free of mojibake. */
function measureMiniflux(tally: Tally, root: string): void {
  for (const file of listFeedFiles(join(root, 'miniflux'))) {
    const outcome = parseCorpusFile(file);
    const texts = 'feed' in outcome ? [outcome.feed.title, ...outcome.feed.items.flatMap((i) => [i.title, i.summary, i.contentHtml])] : [];
    const bad = texts.find(hasMojibake);
    tally.count('encoding', 'no mojibake', 'feed' in outcome && bad === undefined, file.slice(root.length + 1), () => ('error' in outcome ? outcome.error : `mojibake: ${bad?.slice(0, 80)}`));
  }
}

/** Runs every non-feedparser corpus. */
export function runOthers(root: string): { rows: Row[]; misses: Miss[] } {
  const tallies: Tally[] = [];
  for (const corpus of ['rss-parser', 'feed-rs', 'node-feedparser', 'rsparser', 'feedjira', 'miniflux', 'jsonfeed-spec']) {
    const tally = new Tally(corpus);
    tallies.push(tally);
    const dir = join(root, corpus);
    const inputs = listFeedFiles(dir).filter((f) => !/sonicdoe-jsonfeed-validator-fixtures\/schema|rss-parser\/output\//.test(f));
    measureParsing(tally, 'all files', inputs, root);
    if (corpus === 'rss-parser') measureRssParser(tally, root);
    if (corpus === 'feed-rs') measureFeedRs(tally, root);
    if (corpus === 'miniflux') measureMiniflux(tally, root);
  }
  const snapshots = new Tally('news-snapshots');
  tallies.push(snapshots);
  measureSnapshots(snapshots, root);
  return { rows: tallies.flatMap((t) => [...t.rows.values()]), misses: tallies.flatMap((t) => t.misses) };
}
