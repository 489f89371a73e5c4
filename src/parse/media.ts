// Media RSS (media:content, media:group, media:thumbnail, media:status) and kill markers shared by the RSS and Atom adapters.
import type { Enclosure } from '../model/item.ts';
import { readInteger, readPlain, safeUrl } from './fields.ts';
import { childrenOf, firstChild, type XmlElement } from './xml.ts';

/** media:content elements of an item, directly or inside media:group (Media RSS 1.5.1 §2). */
function listMediaContent(item: XmlElement): XmlElement[] {
  const direct = childrenOf(item, 'media:content');
  for (const group of childrenOf(item, 'media:group')) direct.push(...childrenOf(group, 'media:content'));
  return direct;
}

/** Enclosures from media:content (url, type, fileSize), resolved against the item's base. */
export function readMediaEnclosures(item: XmlElement): Enclosure[] {
  const out: Enclosure[] = [];
  for (const content of listMediaContent(item)) {
    const url = safeUrl(content.attrs.get('url'), content.base);
    if (!url) continue;
    const enclosure: Enclosure = { url };
    const type = content.attrs.get('type')?.trim();
    if (type) enclosure.type = type;
    const length = readInteger(content.attrs.get('filesize'));
    if (length !== undefined) enclosure.length = length;
    const title = readPlain(firstChild(content, 'media:title'));
    if (title) enclosure.title = title;
    out.push(enclosure);
  }
  return out;
}

/** The item's main image: media:thumbnail, an image media:content, itunes:image, or the first image enclosure. */
export function readMediaImage(item: XmlElement, enclosures: Enclosure[]): string | undefined {
  const thumbnail = firstChild(item, 'media:thumbnail') ?? firstChild(firstChild(item, 'media:group') ?? item, 'media:thumbnail');
  const fromThumbnail = safeUrl(thumbnail?.attrs.get('url'), thumbnail?.base);
  if (fromThumbnail) return fromThumbnail;
  const imageContent = listMediaContent(item).find((c) => c.attrs.get('medium') === 'image' || c.attrs.get('type')?.startsWith('image/'));
  const fromContent = safeUrl(imageContent?.attrs.get('url'), imageContent?.base);
  if (fromContent) return fromContent;
  const itunes = firstChild(item, 'itunes:image');
  const fromItunes = safeUrl(itunes?.attrs.get('href') ?? itunes?.attrs.get('url'), itunes?.base);
  if (fromItunes) return fromItunes;
  const itunesLink = childrenOf(item, 'itunes:link').find((l) => l.attrs.get('rel') === 'image');
  const fromItunesLink = safeUrl(itunesLink?.attrs.get('href'), itunesLink?.base);
  if (fromItunesLink) return fromItunesLink;
  return enclosures.find((e) => e.type?.startsWith('image'))?.url;
}

/** Media RSS `<media:status state="deleted|blocked">` marks a withdrawn item. */
export function isMediaWithdrawn(item: XmlElement): boolean {
  const status = firstChild(item, 'media:status') ?? firstChild(firstChild(item, 'media:group') ?? item, 'media:status');
  const state = status?.attrs.get('state')?.toLowerCase();
  return state === 'deleted' || state === 'blocked';
}

/** Adds an enclosure unless its URL is already listed (RSS enclosure and media:content often repeat each other). */
export function addEnclosure(list: Enclosure[], enclosure: Enclosure): void {
  if (!list.some((e) => e.url === enclosure.url)) list.push(enclosure);
}
