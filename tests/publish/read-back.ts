// Reads rendered RSS, Atom and JSON Feed back with independent parsers (feedsmith, fast-xml-parser's validator, ajv).
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import type { OutputFormat } from '../../src/publish/types.ts';

export interface ReadItem {
  id: string;
  title: string;
  link?: string;
  html: string;
  categories: { term: string; scheme: string }[];
  related: { href: string; title?: string }[];
  authors: string[];
  published?: number;
  updated?: number;
  enclosures: string[];
}

export interface ReadFeed {
  title: string;
  selfUrl?: string;
  hubUrl?: string;
  items: ReadItem[];
}

const schema = JSON.parse(readFileSync(new URL('../fixtures/publish/jsonfeed-1.1.schema.json', import.meta.url), 'utf8')) as object;
// ajv-formats is CommonJS: its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
export const validateJsonFeed = ajv.compile(schema);

/** Throws unless the XML is well-formed (fast-xml-parser's validator, separate from its builder's escaping). */
export function assertWellFormed(xml: string): void {
  const result = XMLValidator.validate(xml);
  if (result !== true) throw new Error(`ill-formed XML: ${JSON.stringify(result.err)}`);
}

const time = (value: unknown) => (typeof value === 'string' && value ? Date.parse(value) : undefined);

function readRss(text: string): ReadFeed {
  assertWellFormed(text);
  const feed = parseRssFeed(text);
  const links = feed.atom?.links ?? [];
  return {
    title: feed.title ?? '',
    selfUrl: links.find((link) => link.rel === 'self')?.href,
    hubUrl: links.find((link) => link.rel === 'hub')?.href,
    items: (feed.items ?? []).map((item) => ({
      id: item.guid?.value ?? '',
      title: item.title ?? '',
      link: item.link,
      html: item.description ?? '',
      categories: (item.categories ?? []).map((category) => ({ term: category.name ?? '', scheme: category.domain ?? '' })),
      related: (item.atom?.links ?? []).filter((link) => link.rel === 'related').map((link) => ({ href: link.href ?? '', title: link.title })),
      authors: [
        ...(item.authors ?? []).map((author) => (typeof author === 'string' ? author : (author.name ?? author.email ?? ''))),
        ...(item.dc?.creators ?? []),
      ],
      published: time(item.pubDate),
      updated: time(item.pubDate),
      enclosures: [...(item.enclosures ?? []).map((enclosure) => enclosure.url ?? ''), ...(item.media?.contents ?? []).map((content) => content.url ?? '')],
    })),
  };
}

function readAtom(text: string): ReadFeed {
  assertWellFormed(text);
  const feed = parseAtomFeed(text);
  const links = feed.links ?? [];
  return {
    title: feed.title?.value ?? '',
    selfUrl: links.find((link) => link.rel === 'self')?.href,
    hubUrl: links.find((link) => link.rel === 'hub')?.href,
    items: (feed.entries ?? []).map((entry) => ({
      id: entry.id ?? '',
      title: entry.title?.value ?? '',
      link: entry.links?.find((link) => (link.rel ?? 'alternate') === 'alternate')?.href,
      html: entry.content?.value ?? '',
      categories: (entry.categories ?? []).map((category) => ({ term: category.term ?? '', scheme: category.scheme ?? '' })),
      related: (entry.links ?? []).filter((link) => link.rel === 'related').map((link) => ({ href: link.href ?? '', title: link.title })),
      authors: (entry.authors ?? []).map((author) => author.name ?? ''),
      published: time(entry.published),
      updated: time(entry.updated),
      enclosures: (entry.links ?? []).filter((link) => link.rel === 'enclosure').map((link) => link.href ?? ''),
    })),
  };
}

interface JsonItem {
  id: string;
  url?: string;
  title?: string;
  content_html?: string;
  tags?: string[];
  authors?: { name?: string }[];
  date_published?: string;
  date_modified?: string;
  attachments?: { url: string }[];
  _wiredesk: { related: { url?: string; title: string }[] };
}

function readJson(text: string, baseUrl: string): ReadFeed {
  const feed = JSON.parse(text) as { title: string; feed_url?: string; hubs?: { url: string }[]; items: JsonItem[] };
  if (!validateJsonFeed(feed)) throw new Error(`invalid JSON Feed: ${ajv.errorsText(validateJsonFeed.errors)}`);
  return {
    title: feed.title,
    selfUrl: feed.feed_url,
    hubUrl: feed.hubs?.[0]?.url,
    items: feed.items.map((item) => ({
      id: item.id,
      title: item.title ?? '',
      link: item.url,
      html: item.content_html ?? '',
      categories: (item.tags ?? []).map((tag) => {
        const colon = tag.indexOf(':');
        return { term: tag.slice(colon + 1), scheme: `${baseUrl}/tags/${tag.slice(0, colon)}/` };
      }),
      related: item._wiredesk.related.filter((related) => related.url).map((related) => ({ href: related.url ?? '', title: related.title })),
      authors: (item.authors ?? []).map((author) => author.name ?? ''),
      published: time(item.date_published),
      updated: time(item.date_modified),
      enclosures: (item.attachments ?? []).map((attachment) => attachment.url),
    })),
  };
}

/** Parses an output of the given format into the shape every format's tests compare. */
export function readFeed(format: OutputFormat, text: string, baseUrl: string): ReadFeed {
  if (format === 'rss') return readRss(text);
  if (format === 'atom') return readAtom(text);
  return readJson(text, baseUrl);
}
