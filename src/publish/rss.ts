// Renders a feed as RSS 2.0 (RSS Advisory Board spec and profile), with atom:link self/hub/related and dc:creator.
import type { Enclosure } from '../model/item.ts';
import type { StoryView } from '../model/story.ts';
import { buildStoryHtml } from './content.ts';
import {
  buildFeedUrl,
  buildStoryIri,
  buildTagScheme,
  parseAuthor,
  selectUniqueStories,
  splitTag,
  stripIllegalChars,
  toRfc822,
  toSafeUrl,
} from './text.ts';
import type { FeedMeta } from './types.ts';
import { el, renderXmlDocument, textEl, type XmlNode } from './xml.ts';

const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  dc: 'http://purl.org/dc/elements/1.1/',
  media: 'http://search.yahoo.com/mrss/',
};

/** RSS 2.0 requires url, length and type on `<enclosure>`; the profile says length 0 when unknown. */
function renderEnclosure(enclosure: Enclosure): XmlNode | undefined {
  const url = toSafeUrl(enclosure.url);
  if (!url) return undefined;
  return el('enclosure', {
    url,
    length: enclosure.length !== undefined && enclosure.length >= 0 ? Math.round(enclosure.length) : 0,
    type: enclosure.type || 'application/octet-stream',
  });
}

/** Extra enclosures as Media RSS: the profile warns that many readers take only one `<enclosure>` per item. */
function renderMediaContent(enclosure: Enclosure): XmlNode | undefined {
  const url = toSafeUrl(enclosure.url);
  if (!url) return undefined;
  return el('media:content', { url, type: enclosure.type, fileSize: enclosure.length });
}

/** `<author>` must be an email address (RSS 2.0); a name-only author goes to `dc:creator` (RSS profile). */
function renderAuthor(story: StoryView): XmlNode | undefined {
  const author = parseAuthor(story.shown.author) ?? { name: story.source.attribution };
  if (author.email) return textEl('author', author.name ? `${author.email} (${author.name})` : author.email);
  return textEl('dc:creator', author.name);
}

function renderItem(meta: FeedMeta, story: StoryView): XmlNode {
  const shown = story.shown;
  const enclosures = shown.enclosures.filter((enclosure) => toSafeUrl(enclosure.url));
  const [first, ...rest] = enclosures;
  const image = toSafeUrl(shown.image);
  return el('item', undefined, [
    textEl('title', shown.title || '(untitled)'),
    textEl('link', toSafeUrl(shown.link)),
    textEl('description', buildStoryHtml(story)),
    renderAuthor(story),
    ...story.tags.map((tag) => {
      const { type, name } = splitTag(tag);
      return textEl('category', name, { domain: buildTagScheme(meta.baseUrl, type) });
    }),
    first && renderEnclosure(first),
    textEl('guid', buildStoryIri(meta.baseUrl, story.id), { isPermaLink: 'false' }),
    textEl('pubDate', toRfc822(shown.published ?? story.date)),
    ...story.related.map((related) => {
      const href = toSafeUrl(related.url);
      return href && el('atom:link', { rel: 'related', href, title: stripIllegalChars(related.title) });
    }),
    ...rest.map(renderMediaContent),
    image && el('media:thumbnail', { url: image }),
    textEl('dc:language', shown.language),
  ]);
}

/** RSS 2.0 document of the feed: one item per story, newest first as given. */
export function renderRss(meta: FeedMeta, stories: StoryView[]): string {
  const selfUrl = buildFeedUrl(meta, 'rss');
  const hubUrl = toSafeUrl(meta.hubUrl);
  const channel = el('channel', undefined, [
    textEl('title', meta.title),
    textEl('link', meta.htmlUrl),
    // <description> is required: repeat the title when the YAML gave none.
    textEl('description', meta.description || meta.title),
    textEl('language', meta.language),
    textEl('lastBuildDate', toRfc822(meta.updated)),
    textEl('generator', meta.generator),
    textEl('docs', 'https://www.rssboard.org/rss-specification'),
    meta.ttlMinutes !== undefined && meta.ttlMinutes > 0 ? textEl('ttl', String(Math.ceil(meta.ttlMinutes))) : undefined,
    el('atom:link', { href: selfUrl, rel: 'self', type: 'application/rss+xml' }),
    hubUrl && el('atom:link', { href: hubUrl, rel: 'hub' }),
    ...selectUniqueStories(stories).map((story) => renderItem(meta, story)),
  ]);
  const root = el('rss', { version: '2.0', 'xmlns:atom': NS.atom, 'xmlns:dc': NS.dc, 'xmlns:media': NS.media }, [channel]);
  return renderXmlDocument(root, { stylesheetHref: `${meta.baseUrl}/feed.xsl` });
}
