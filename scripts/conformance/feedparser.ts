// feedparser corpus: parsing, fields in our model and sanitizing, measured against EXPECTATIONS.json `structured` records.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedFeed, ParsedItem } from '../../src/model/item.ts';
import { decodeFeedBytes, parseFeed, ParseError } from '../../src/parse/index.ts';
import { findActiveContent, rowId, sameInstant, samePlainText, sameText, type Miss, type Row } from './compare.ts';

interface Expectation {
  path: string;
  suite: string;
  http_headers: Record<string, string> | null;
  structured?: { bozo: boolean | null; path?: Array<string | number>; equals?: unknown };
}

type Check = { kind: 'field' | 'sanitize' | 'encoding'; ok: boolean; actual: unknown } | undefined;

const SUITES = ['wellformed', 'illformed', 'entities', 'encoding', 'json'];
const short = (v: unknown): string => JSON.stringify(v)?.slice(0, 140) ?? 'undefined';

/** Maps one feedparser result path to our model; undefined when the field is outside it. */
function checkPath(path: Array<string | number>, equals: unknown, feed: ParsedFeed, encoding: string): Check {
  const key = path.map((p) => (typeof p === 'number' ? '#' : p)).join('.');
  const field = (ok: boolean, actual: unknown): Check => ({ kind: 'field', ok, actual });
  if (key === 'encoding') {
    const want = String(equals).toLowerCase();
    return { kind: 'encoding', ok: want === encoding || (want === 'iso-8859-1' && encoding === 'windows-1252'), actual: encoding };
  }
  if (path[0] === 'feed') {
    switch (key) {
      case 'feed.title': case 'feed.title_detail.value': return field(samePlainText(equals, feed.title), feed.title);
      case 'feed.subtitle': case 'feed.tagline': case 'feed.description': case 'feed.subtitle_detail.value': case 'feed.tagline_detail.value':
        return field(samePlainText(equals, feed.description), feed.description);
      case 'feed.link': return field(equals === feed.link, feed.link);
      case 'feed.language': return field(equals === feed.language, feed.language);
      case 'feed.updated': case 'feed.updated_parsed': case 'feed.published': case 'feed.published_parsed':
        return field(sameInstant(equals, feed.updated), feed.updated);
      case 'feed.image.href': return field(equals === feed.image, feed.image);
      default: return undefined;
    }
  }
  if (path[0] !== 'entries' || typeof path[1] !== 'number') return undefined;
  const item: ParsedItem | undefined = feed.items[path[1]];
  const rest = key.slice('entries.#.'.length);
  const j = typeof path[3] === 'number' ? path[3] : 0;
  const sanitize = (html: string | undefined): Check => ({
    kind: 'sanitize', ok: sameText(equals, html) && findActiveContent(html) === undefined, actual: html,
  });
  switch (rest) {
    case 'description': case 'summary': case 'summary_detail.value': return sanitize(item?.summary ?? item?.contentHtml);
    case 'content.#.value': return sanitize(item?.contentHtml ?? item?.summary);
    case 'title': case 'title_detail.value': return field(samePlainText(equals, item?.title), item?.title);
    case 'link': return field(equals === item?.link, item?.link);
    case 'id': case 'guid': return field(equals === item?.guid, item?.guid);
    case 'author': case 'author_detail.name': return field(typeof equals === 'string' && !!item?.author?.includes(equals), item?.author);
    case 'published': case 'published_parsed': case 'created_parsed': case 'created': case 'issued_parsed':
      return field(sameInstant(equals, item?.published, item?.updated), item?.published);
    case 'updated': case 'updated_parsed': case 'modified_parsed':
      return field(sameInstant(equals, item?.updated, item?.published), item?.updated);
    case 'tags.#.term': return field(equals === item?.categories[j]?.term, item?.categories[j]);
    case 'tags.#.scheme': return field(equals === item?.categories[j]?.domain, item?.categories[j]);
    case 'tags.#.label': return field(equals === item?.categories[j]?.label, item?.categories[j]);
    case 'category': return field(equals === item?.categories[0]?.term, item?.categories[0]);
    case 'enclosures.#.href': return field(equals === item?.enclosures[j]?.url, item?.enclosures[j]);
    case 'enclosures.#.type': return field(equals === item?.enclosures[j]?.type, item?.enclosures[j]);
    case 'enclosures.#.length': return field(String(equals) === String(item?.enclosures[j]?.length), item?.enclosures[j]);
    case 'links.#.href': return field(equals === item?.link || !!item?.enclosures.some((e) => e.url === equals), item?.link);
    case 'links.#.rel':
      if (equals === 'alternate') return field(item?.link !== undefined, item?.link);
      if (equals === 'enclosure') return field((item?.enclosures.length ?? 0) > 0, item?.enclosures);
      return undefined;
    case 'image.href': return field(equals === item?.image, item?.image);
    case 'language': case 'content.#.language': return field((equals ?? undefined) === item?.language, item?.language);
    default: return undefined;
  }
}

/** Runs the feedparser suites; returns rows and misses. */
export function runFeedparser(corpora: string): { rows: Row[]; misses: Miss[] } {
  const root = join(corpora, 'feedparser');
  const tests = (JSON.parse(readFileSync(join(root, 'EXPECTATIONS.json'), 'utf8')) as { tests: Expectation[] }).tests;
  const rows = new Map<string, Row>();
  const misses: Miss[] = [];
  const count = (suite: string, measure: string, ok: boolean, file: string, detail: () => string): void => {
    const id = rowId({ corpus: 'feedparser', suite, measure });
    const row = rows.get(id) ?? { corpus: 'feedparser', suite, measure, passed: 0, total: 0 };
    rows.set(id, row);
    row.total++;
    if (ok) row.passed++;
    else misses.push({ row: id, file, detail: detail() });
  };
  for (const test of tests) {
    if (!SUITES.includes(test.suite)) continue;
    const bytes = readFileSync(join(root, test.path));
    const headers = test.http_headers ?? {};
    const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    let feed: ParsedFeed | undefined;
    let failure: string | undefined;
    let crashed = false;
    try {
      // The fetcher passes the final URL; a Content-Location header, where the corpus gives one, names it.
      const docUrl = `http://127.0.0.1:8097/${test.path}`;
      const location = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-location')?.[1]?.trim();
      feed = parseFeed(bytes, { contentType, baseUrl: location ? new URL(location, docUrl).href : docUrl });
    } catch (error) {
      failure = `${(error as Error).name}: ${(error as Error).message}`;
      crashed = !(error instanceof ParseError);
    }
    // Parsing: well-formed (and entities/encoding/json) documents must parse; ill-formed ones must not crash.
    const parsedOk = test.suite === 'illformed' ? !crashed : feed !== undefined;
    count(test.suite, 'parsing', parsedOk, test.path, () => failure ?? '');
    const structured = test.structured;
    if (!structured?.path) continue;
    const encoding = decodeFeedBytes(bytes, contentType).encoding;
    const check = feed ? checkPath(structured.path, structured.equals, feed, encoding) : ({ kind: 'field', ok: false, actual: failure } as Check);
    if (!check) {
      count(test.suite, 'outside our model (not scored)', true, test.path, () => '');
      continue;
    }
    const measure = check.kind === 'field' ? 'fields in our model' : check.kind === 'sanitize' ? 'sanitizing (text match, no active content)' : 'encoding name';
    count(test.suite, measure, check.ok, test.path, () => `${structured.path?.join('.')}: want ${short(structured.equals)} got ${short(check.actual)}`);
    if (check.kind === 'sanitize' && feed) {
      const active = feed.items.flatMap((i) => [i.summary, i.contentHtml]).map(findActiveContent).find((a) => a !== undefined);
      count(test.suite, 'sanitizing: no active content', active === undefined, test.path, () => `active content: ${active}`);
    }
  }
  return { rows: [...rows.values()], misses };
}
