// JSON Feed 1.0 and 1.1 adapter (https://jsonfeed.org/version/1.1), tolerant of 1.0's `author` and of numeric ids.
import type { Category, Enclosure, ParsedFeed, ParsedItem } from '../model/item.ts';
import { parseDate } from './dates.ts';
import { ParseError } from './errors.ts';
import { finishText, looksLikeHtml, safeUrl, type ReadOptions } from './fields.ts';
import { htmlToText, sanitizeHtml } from './sanitize.ts';

type JsonObject = Record<string, unknown>;

/** Keys dropped while parsing: JSON.parse would make them own properties, but nothing downstream should ever see them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const readString = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const readPlainText = (value: unknown): string | undefined => {
  const text = readString(value);
  return text === undefined ? undefined : finishText(htmlToText(text)) || undefined;
};

/** Parses JSON text with prototype-polluting keys removed. */
export function parseJsonSafely(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => (FORBIDDEN_KEYS.has(key) ? undefined : value));
}

/** JSON Feed 1.1 `authors` or 1.0 `author`, as plain text names joined by ", ". */
function readAuthors(source: JsonObject): string | undefined {
  const list = Array.isArray(source.authors) ? source.authors : isObject(source.author) ? [source.author] : [];
  const names = list.filter(isObject).map((a) => readPlainText(a.name) ?? readString(a.url)).filter((n): n is string => !!n);
  return names.length ? names.join(', ') : undefined;
}

function readAttachments(item: JsonObject, base: string | undefined): Enclosure[] {
  const out: Enclosure[] = [];
  for (const attachment of Array.isArray(item.attachments) ? item.attachments.filter(isObject) : []) {
    const url = safeUrl(readString(attachment.url), base);
    if (!url) continue;
    const enclosure: Enclosure = { url };
    const type = readString(attachment.mime_type);
    if (type) enclosure.type = type;
    if (typeof attachment.size_in_bytes === 'number' && attachment.size_in_bytes >= 0) enclosure.length = attachment.size_in_bytes;
    const title = readPlainText(attachment.title);
    if (title) enclosure.title = title;
    out.push(enclosure);
  }
  return out;
}

function readItem(item: JsonObject, feed: ParsedFeed, feedAuthor: string | undefined, base: string | undefined, options: ReadOptions): ParsedItem {
  const tags = Array.isArray(item.tags) ? item.tags : [];
  const categories: Category[] = tags.map(readPlainText).filter((t): t is string => !!t).map((term) => ({ term }));
  const parsed: ParsedItem = { title: readPlainText(item.title) ?? '', categories, enclosures: readAttachments(item, base) };
  const id = typeof item.id === 'number' ? String(item.id) : readString(item.id);
  if (id) parsed.guid = id;
  const link = safeUrl(readString(item.url), base) ?? safeUrl(readString(item.external_url), base);
  if (link) parsed.link = link;
  const published = parseDate(readString(item.date_published));
  if (published) parsed.published = published;
  else if (readString(item.date_published)) feed.warnings.push(`unparsable date "${String(item.date_published).slice(0, 60)}"`);
  const updated = parseDate(readString(item.date_modified));
  if (updated) parsed.updated = updated;
  const author = readAuthors(item) ?? feedAuthor;
  if (author) parsed.author = author;
  const sanitizeOptions = { baseUrl: base, iframeHosts: options.iframeHosts };
  const summaryText = readString(item.summary);
  // JSON Feed `summary` is plain text; some publishers put HTML in it anyway.
  const summary = summaryText ? sanitizeHtml(looksLikeHtml(summaryText) ? summaryText : escapeHtml(summaryText), sanitizeOptions) : '';
  if (summary) parsed.summary = summary;
  const html = readString(item.content_html);
  const text = readString(item.content_text);
  const content = html !== undefined ? sanitizeHtml(html, sanitizeOptions) : text !== undefined ? escapeHtml(text) : '';
  if (content) parsed.contentHtml = content;
  const image = safeUrl(readString(item.image), base) ?? safeUrl(readString(item.banner_image), base);
  if (image) parsed.image = image;
  const language = readString(item.language) ?? feed.language;
  if (language) parsed.language = language;
  return parsed;
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Reads a JSON Feed document from text. */
export function readJsonFeed(text: string, baseUrl: string | undefined, options: ReadOptions, warnings: string[]): ParsedFeed {
  let document: unknown;
  try {
    document = parseJsonSafely(text);
  } catch (error) {
    throw new ParseError('PARSE_MALFORMED', `JSON Feed is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(document) || (!Array.isArray(document.items) && !readString(document.version)?.includes('jsonfeed.org'))) {
    throw new ParseError('PARSE_UNKNOWN_FORMAT', 'JSON document is not a JSON Feed (no "version" from jsonfeed.org and no "items" array)');
  }
  const version = readString(document.version) ?? '';
  const feed: ParsedFeed = { format: 'json', version: /version\/1(\.0)?\/?$/.test(version) ? 'json1.0' : 'json1.1', items: [], warnings };
  const base = safeUrl(readString(document.feed_url), baseUrl) ?? baseUrl;
  const title = readPlainText(document.title);
  if (title) feed.title = title;
  const link = safeUrl(readString(document.home_page_url), base);
  if (link) feed.link = link;
  const description = readPlainText(document.description);
  if (description) feed.description = description;
  const language = readString(document.language);
  if (language) feed.language = language;
  const image = safeUrl(readString(document.icon), base) ?? safeUrl(readString(document.favicon), base);
  if (image) feed.image = image;
  const feedAuthor = readAuthors(document);
  for (const item of Array.isArray(document.items) ? document.items.filter(isObject) : []) {
    feed.items.push(readItem(item, feed, feedAuthor, base, options));
  }
  return feed;
}
