// Atom 1.0 (RFC 4287) and Atom 0.3 adapter, with Media RSS, Dublin Core fallbacks and tombstones (RFC 6721).
import type { Category, Enclosure, ParsedFeed, ParsedItem } from '../model/item.ts';
import { parseDate } from './dates.ts';
import { readDate, readHtml, readInteger, readPlain, readValue, safeUrl, type ReadOptions } from './fields.ts';
import { addEnclosure, isMediaWithdrawn, readMediaEnclosures, readMediaImage } from './media.ts';
import { normalizeLanguage } from './rss.ts';
import { childrenOf, firstChild, type XmlElement } from './xml.ts';

/** Element keys in the document's Atom namespace ("atom:", "atom03:", or none when the namespace is missing). */
type Key = (local: string) => string;

/** RFC 4287 §4.2.7.2: a link without rel is "alternate". Prefers text/html when several alternates exist. */
function readAlternateLink(parent: XmlElement, k: Key): string | undefined {
  const alternates = childrenOf(parent, k('link')).filter((l) => (l.attrs.get('rel') ?? 'alternate').trim() === 'alternate');
  const best = alternates.find((l) => (l.attrs.get('type') ?? 'text/html').includes('html')) ?? alternates[0];
  return best ? safeUrl(best.attrs.get('href') ?? '', best.base) ?? undefined : undefined;
}

/** Atom person construct as plain text: "Name (email)", the name, or the email. */
function readPerson(person: XmlElement | undefined, k: Key): string | undefined {
  if (!person) return undefined;
  const name = readPlain(firstChild(person, k('name')));
  const email = readValue(firstChild(person, k('email')));
  if (name && email) return `${name} (${email})`;
  // Atom 0.3-era feeds sometimes write the name as the element's text.
  return name ?? email ?? (person.children.every((c) => typeof c === 'string') ? readPlain(person) : undefined);
}

function readCategories(entry: XmlElement, k: Key): Category[] {
  const out: Category[] = [];
  for (const category of childrenOf(entry, k('category'))) {
    const term = category.attrs.get('term')?.trim() || readPlain(category);
    if (!term) continue;
    const entry: Category = { term };
    const scheme = category.attrs.get('scheme')?.trim();
    if (scheme) entry.domain = scheme;
    const label = category.attrs.get('label')?.trim();
    if (label) entry.label = label;
    out.push(entry);
  }
  for (const subject of childrenOf(entry, 'dc:subject')) {
    const term = readPlain(subject);
    if (term && !out.some((c) => c.term === term)) out.push({ term });
  }
  return out;
}

function readEnclosures(entry: XmlElement, k: Key): Enclosure[] {
  const out: Enclosure[] = [];
  for (const link of childrenOf(entry, k('link'))) {
    if (link.attrs.get('rel')?.trim() !== 'enclosure') continue;
    const url = safeUrl(link.attrs.get('href'), link.base);
    if (!url) continue;
    const enclosure: Enclosure = { url };
    const type = link.attrs.get('type')?.trim();
    if (type) enclosure.type = type;
    const length = readInteger(link.attrs.get('length'));
    if (length !== undefined) enclosure.length = length;
    const title = link.attrs.get('title')?.trim();
    if (title) enclosure.title = title;
    addEnclosure(out, enclosure);
  }
  for (const media of readMediaEnclosures(entry)) addEnclosure(out, media);
  return out;
}

function readEntry(entry: XmlElement, k: Key, feed: ParsedFeed, feedAuthor: string | undefined, options: ReadOptions): ParsedItem {
  const warnings = feed.warnings;
  const enclosures = readEnclosures(entry, k);
  const item: ParsedItem = {
    title: readPlain(firstChild(entry, k('title'), 'dc:title')) ?? '',
    categories: readCategories(entry, k),
    enclosures,
  };
  const guid = readValue(firstChild(entry, k('id'), 'dc:identifier'));
  if (guid) item.guid = guid;
  // FeedBurner's redirector replaces the alternate link; feedburner:origLink keeps the publisher's URL.
  const link = safeUrl(readValue(firstChild(entry, 'feedburner:origlink')), entry.base) ?? readAlternateLink(entry, k);
  if (link) item.link = link;
  const published = readDate(entry, [k('published'), k('issued'), k('created'), 'dc:date', 'dcterms:issued'], warnings);
  if (published) item.published = published;
  const updated = readDate(entry, [k('updated'), k('modified'), 'dcterms:modified'], warnings);
  if (updated) item.updated = updated;
  // RFC 4287 §4.2.1: an entry without author inherits the source's, then the feed's.
  const source = firstChild(entry, k('source'));
  const author = readPerson(firstChild(entry, k('author')), k) ?? readPlain(firstChild(entry, 'dc:creator')) ??
    readPerson(source ? firstChild(source, k('author')) : undefined, k) ?? feedAuthor;
  if (author) item.author = author;
  const summary = readHtml(firstChild(entry, k('summary'), 'dc:description'), options);
  if (summary) item.summary = summary;
  const contentElement = firstChild(entry, k('content'), 'content:encoded');
  // RFC 4287 §4.1.3.2: out-of-line content (src) has no inline text; it stays a link.
  if (contentElement && !contentElement.attrs.has('src')) {
    const content = readHtml(contentElement, options);
    if (content) item.contentHtml = content;
  }
  const image = readMediaImage(entry, enclosures);
  if (image) item.image = image;
  const lang = contentElement?.lang ?? entry.lang;
  const language = lang === '' ? undefined : normalizeLanguage(lang) ?? feed.language;
  if (language) item.language = language;
  if (isMediaWithdrawn(entry)) item.withdrawn = true;
  return item;
}

/** Reads an Atom <feed> document. */
export function readAtom(root: XmlElement, options: ReadOptions, warnings: string[]): ParsedFeed {
  const prefix = root.key.slice(0, root.key.length - root.local.length);
  const k: Key = (local) => prefix + local;
  const version = prefix === 'atom:' ? 'atom10' : prefix === 'atom03:' ? 'atom03' : root.attrs.get('version') === '0.3' ? 'atom03' : 'atom';
  const feed: ParsedFeed = { format: 'atom', version, items: [], warnings };
  const title = readPlain(firstChild(root, k('title')));
  if (title) feed.title = title;
  const link = readAlternateLink(root, k);
  if (link) feed.link = link;
  const description = readPlain(firstChild(root, k('subtitle'), k('tagline')));
  if (description) feed.description = description;
  const language = normalizeLanguage(root.lang ?? readValue(firstChild(root, 'dc:language')));
  if (language) feed.language = language;
  const updated = readDate(root, [k('updated'), k('modified'), 'dc:date'], warnings);
  if (updated) feed.updated = updated;
  const logo = firstChild(root, k('logo'), k('icon'));
  const image = safeUrl(readValue(logo), logo?.base);
  if (image) feed.image = image;
  const feedAuthor = readPerson(firstChild(root, k('author')), k);
  // RFC 4287 §4.1.2: an Atom Entry Document has <entry> as its root; it reads as a feed of one.
  const entries = root.local === 'entry' ? [root] : childrenOf(root, k('entry'));
  if (root.local === 'entry') delete feed.title;
  for (const entry of entries) feed.items.push(readEntry(entry, k, feed, feedAuthor, options));
  // RFC 6721 tombstones: <at:deleted-entry ref="..."> withdraws the entry with that id.
  for (const tombstone of childrenOf(root, 'at:deleted-entry')) {
    const ref = tombstone.attrs.get('ref')?.trim();
    if (!ref) continue;
    const item: ParsedItem = { guid: ref, title: '', categories: [], enclosures: [], withdrawn: true };
    const when = parseDate(tombstone.attrs.get('when'));
    if (when) item.updated = when;
    feed.items.push(item);
  }
  return feed;
}
