// RSS 0.9x/2.0 and RSS 1.0 (RDF) adapter: channel and items, with Dublin Core, content:encoded, Media RSS and enclosures.
import type { Category, Enclosure, ParsedFeed, ParsedItem } from '../model/item.ts';
import { parseDate } from './dates.ts';
import { readDate, readHtml, readInteger, readPlain, readValue, safeUrl, type ReadOptions } from './fields.ts';
import { addEnclosure, isMediaWithdrawn, readMediaEnclosures, readMediaImage } from './media.ts';
import { childrenOf, firstChild, readText, type XmlElement } from './xml.ts';

/** The first `atom:link` with the given rel (alternate when rel is absent). */
function readAtomLink(parent: XmlElement, rel: string): string | undefined {
  for (const link of childrenOf(parent, 'atom:link')) {
    if ((link.attrs.get('rel') ?? 'alternate') === rel) return safeUrl(link.attrs.get('href'), link.base);
  }
  return undefined;
}

function readCategories(item: XmlElement): Category[] {
  const out: Category[] = [];
  for (const category of childrenOf(item, 'category')) {
    const term = readPlain(category);
    if (!term) continue;
    const domain = category.attrs.get('domain')?.trim();
    out.push(domain ? { term, domain } : { term });
  }
  for (const subject of [...childrenOf(item, 'dc:subject'), ...childrenOf(item, 'atom:category')]) {
    const term = readPlain(subject) ?? subject.attrs.get('term')?.trim();
    if (term && !out.some((c) => c.term === term)) out.push({ term });
  }
  // iTunes categories nest (<itunes:category text="Technology"><itunes:category text="Gadgets"/>).
  const readItunes = (parent: XmlElement): void => {
    for (const category of childrenOf(parent, 'itunes:category')) {
      const term = category.attrs.get('text')?.trim();
      if (term) out.push({ term, domain: 'http://www.itunes.com/' });
      readItunes(category);
    }
  };
  readItunes(item);
  return out;
}

function readEnclosures(item: XmlElement): Enclosure[] {
  const out: Enclosure[] = [];
  for (const enclosure of childrenOf(item, 'enclosure')) {
    const url = safeUrl(enclosure.attrs.get('url'), enclosure.base);
    if (!url) continue;
    const entry: Enclosure = { url };
    const type = enclosure.attrs.get('type')?.trim();
    if (type) entry.type = type;
    const length = readInteger(enclosure.attrs.get('length'));
    if (length !== undefined) entry.length = length;
    addEnclosure(out, entry);
  }
  for (const link of childrenOf(item, 'atom:link')) {
    const url = link.attrs.get('rel') === 'enclosure' ? safeUrl(link.attrs.get('href'), link.base) : undefined;
    if (url) addEnclosure(out, { url, ...(link.attrs.get('type') ? { type: link.attrs.get('type') } : {}) });
  }
  for (const media of readMediaEnclosures(item)) addEnclosure(out, media);
  return out;
}

/** RSS author is an email with an optional name ("joe@example.com (Joe)"); dc:creator is a name. Kept as plain text. */
function readAuthor(item: XmlElement): string | undefined {
  return readPlain(firstChild(item, 'author', 'dc:creator', 'itunes:author', 'dc:author'));
}

function readItem(item: XmlElement, feedLanguage: string | undefined, options: ReadOptions, warnings: string[]): ParsedItem {
  const guidElement = firstChild(item, 'guid');
  const guid = readValue(guidElement) ?? readValue(firstChild(item, 'dc:identifier')) ?? item.attrs.get('rdf:about')?.trim() ?? undefined;
  const isPermaLink = guidElement?.attrs.get('ispermalink')?.toLowerCase() !== 'false';
  const linkText = readValue(firstChild(item, 'link'));
  // FeedBurner replaces <link> with its redirector and keeps the publisher's URL in feedburner:origLink; the
  // publisher's URL is the one stories are matched on across sources.
  const origLink = safeUrl(readValue(firstChild(item, 'feedburner:origlink')), item.base);
  const link =
    origLink ??
    safeUrl(linkText, firstChild(item, 'link')?.base) ??
    safeUrl(item.attrs.get('href'), item.base) ??
    readAtomLink(item, 'alternate') ??
    (guidElement && isPermaLink && guid && /^https?:\/\//i.test(guid) ? safeUrl(guid, guidElement.base) : undefined);
  const enclosures = readEnclosures(item);
  const parsed: ParsedItem = {
    title: readPlain(firstChild(item, 'title', 'dc:title', 'media:title')) ?? readPlain(firstChild(firstChild(item, 'media:group') ?? item, 'media:title')) ?? '',
    categories: readCategories(item),
    enclosures,
  };
  if (guid) parsed.guid = guid;
  if (link) parsed.link = link;
  const published = readDate(item, ['pubdate', 'dc:date', 'dcterms:issued', 'dcterms:created', 'atom:published'], warnings);
  if (published) parsed.published = published;
  const updated = readDate(item, ['dcterms:modified', 'atom:updated'], warnings) ?? parseDate(item.attrs.get('lastmod'));
  if (updated) parsed.updated = updated;
  const author = readAuthor(item);
  if (author) parsed.author = author;
  const summary = readHtml(firstChild(item, 'description', 'dc:description', 'itunes:summary', 'atom:summary', 'abstract'), options);
  if (summary) parsed.summary = summary;
  const contentElement = firstChild(item, 'content:encoded', 'xhtml:body', 'body', 'fullitem', 'atom:content', 'xhtml:div');
  const content = readHtml(contentElement, options);
  if (content) parsed.contentHtml = content;
  const image = readMediaImage(item, enclosures);
  if (image) parsed.image = image;
  const lang = readValue(firstChild(item, 'dc:language')) ?? contentElement?.lang ?? item.lang;
  const language = lang === '' ? undefined : normalizeLanguage(lang) ?? feedLanguage;
  if (language) parsed.language = language;
  if (isMediaWithdrawn(item)) parsed.withdrawn = true;
  return parsed;
}

/** `<itunes:link rel="image" href>`, an older iTunes spelling of the artwork. */
function readItunesLinkImage(parent: XmlElement): string | undefined {
  const link = childrenOf(parent, 'itunes:link').find((l) => l.attrs.get('rel') === 'image');
  return safeUrl(link?.attrs.get('href'), link?.base);
}

/** BCP 47 uses hyphens; feeds often write "en_US". */
export function normalizeLanguage(language: string | undefined): string | undefined {
  const trimmed = language?.trim().replace(/_/g, '-');
  return trimmed ? trimmed : undefined;
}

/** RSS version: the `version` attribute of <rss>, "1.0"/"0.90" for RDF by its namespace. */
function readVersion(root: XmlElement, channel: XmlElement | undefined): string | undefined {
  if (root.local === 'rss') return root.attrs.get('version')?.trim() || undefined;
  const uri = channel?.uri ?? '';
  if (uri.includes('netscape.com/rdf/simple/0.9')) return '0.90';
  return '1.0';
}

/** Reads an <rss> or <rdf:RDF> document. */
export function readRss(root: XmlElement, options: ReadOptions, warnings: string[]): ParsedFeed {
  const channel = root.local === 'channel' ? root : firstChild(root, 'channel');
  const scope = channel ?? root;
  const feed: ParsedFeed = { format: root.local === 'rss' || root.local === 'channel' ? 'rss' : 'rdf', items: [], warnings };
  const version = readVersion(root, channel);
  if (version) feed.version = version;
  const title = readPlain(firstChild(scope, 'title', 'dc:title'));
  if (title) feed.title = title;
  // CDF (Microsoft's Channel Definition Format) puts the link and date in HREF/LASTMOD attributes.
  const link = safeUrl(readValue(firstChild(scope, 'link')), firstChild(scope, 'link')?.base) ?? readAtomLink(scope, 'alternate') ??
    safeUrl(scope.attrs.get('href'), scope.base);
  if (link) feed.link = link;
  const description = readPlain(firstChild(scope, 'description', 'dc:description', 'itunes:subtitle', 'itunes:summary', 'abstract'));
  if (description) feed.description = description;
  const language = normalizeLanguage(readValue(firstChild(scope, 'language', 'dc:language')) ?? scope.lang ?? root.lang);
  if (language) feed.language = language;
  const updated = readDate(scope, ['lastbuilddate', 'pubdate', 'dc:date', 'dcterms:modified', 'dcterms:issued', 'atom:updated'], warnings) ??
    parseDate(scope.attrs.get('lastmod'));
  if (updated) feed.updated = updated;
  const imageElement = firstChild(scope, 'image') ?? firstChild(root, 'image');
  const itunesImage = firstChild(scope, 'itunes:image');
  const image = safeUrl(readValue(imageElement ? firstChild(imageElement, 'url') : undefined), imageElement?.base) ??
    safeUrl(imageElement?.attrs.get('rdf:resource'), imageElement?.base) ??
    safeUrl(itunesImage?.attrs.get('href') ?? itunesImage?.attrs.get('url'), itunesImage?.base) ?? readItunesLinkImage(scope);
  if (image) feed.image = image;
  const ttl = readInteger(readValue(firstChild(scope, 'ttl')));
  if (ttl !== undefined && ttl > 0) feed.ttlMinutes = ttl;
  const skipHours = firstChild(scope, 'skiphours');
  if (skipHours) {
    const hours = childrenOf(skipHours, 'hour').map((h) => readInteger(readText(h))).filter((h): h is number => h !== undefined && h <= 24);
    if (hours.length) feed.skipHours = [...new Set(hours.map((h) => h % 24))];
  }
  const skipDays = firstChild(scope, 'skipdays');
  if (skipDays) {
    const days = childrenOf(skipDays, 'day').map((d) => readText(d).trim()).filter((d) => /^(mon|tues|wednes|thurs|fri|satur|sun)day$/i.test(d));
    if (days.length) feed.skipDays = days.map((d) => d[0]?.toUpperCase() + d.slice(1).toLowerCase());
  }
  // RSS 1.0 puts items beside the channel; some RSS 2.0 feeds misplace them the same way.
  const itemElements = [...childrenOf(scope, 'item'), ...(channel && channel !== root ? childrenOf(root, 'item') : [])];
  for (const item of itemElements) feed.items.push(readItem(item, feed.language, options, warnings));
  return feed;
}
