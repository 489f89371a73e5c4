// Renders a feed as Atom 1.0 (RFC 4287), with rel="self", rel="hub" (WebSub) and rel="related" links.
import type { StoryView } from '../model/story.ts';
import { buildStoryHtml } from './content.ts';
import {
  buildFeedIri,
  buildFeedUrl,
  buildStoryIri,
  buildTagScheme,
  parseAuthor,
  selectUniqueStories,
  splitTag,
  stripIllegalChars,
  toRfc3339,
  toSafeUrl,
} from './text.ts';
import type { FeedMeta } from './types.ts';
import { el, renderXmlDocument, textEl, type XmlNode } from './xml.ts';

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const MEDIA_NS = 'http://search.yahoo.com/mrss/';
/** Last resort for the required atom:updated when every date given is invalid. */
const EPOCH = '1970-01-01T00:00:00Z';

/** RFC 4287 §4.1.2: every entry needs an author when the feed has none; the publisher stands in for a missing byline. */
function renderAuthor(story: StoryView): XmlNode {
  const author = parseAuthor(story.shown.author);
  const name = author?.name ?? author?.email ?? story.source.attribution;
  return el('author', undefined, [textEl('name', name), author?.email ? textEl('email', author.email) : undefined]);
}

function renderEntry(meta: FeedMeta, story: StoryView): XmlNode {
  const shown = story.shown;
  const published = toRfc3339(shown.published ?? story.date);
  // atom:updated is required and must not be earlier than atom:published (RFC 4287 §4.2.15 intent).
  const updatedCandidate = toRfc3339(story.updated) ?? published ?? toRfc3339(meta.updated) ?? EPOCH;
  const updated = published && updatedCandidate && Date.parse(updatedCandidate) < Date.parse(published) ? published : updatedCandidate;
  const link = toSafeUrl(shown.link);
  const image = toSafeUrl(shown.image);
  return el('entry', { 'xml:lang': shown.language }, [
    textEl('id', buildStoryIri(meta.baseUrl, story.id)),
    textEl('title', shown.title || '(untitled)', { type: 'text' }),
    link && el('link', { rel: 'alternate', type: 'text/html', href: link }),
    textEl('published', published),
    textEl('updated', updated),
    renderAuthor(story),
    ...story.tags.map((tag) => {
      const { type, name } = splitTag(tag);
      return el('category', { scheme: buildTagScheme(meta.baseUrl, type), term: stripIllegalChars(name), label: stripIllegalChars(tag) });
    }),
    ...story.related.map((related) => {
      const href = toSafeUrl(related.url);
      return href && el('link', { rel: 'related', type: 'text/html', href, title: stripIllegalChars(related.title) });
    }),
    ...shown.enclosures.map((enclosure) => {
      const href = toSafeUrl(enclosure.url);
      return (
        href &&
        el('link', { rel: 'enclosure', href, type: enclosure.type, length: enclosure.length !== undefined && enclosure.length >= 0 ? Math.round(enclosure.length) : undefined, title: enclosure.title && stripIllegalChars(enclosure.title) })
      );
    }),
    image && el('media:thumbnail', { url: image }),
    textEl('content', buildStoryHtml(story), { type: 'html' }),
  ]);
}

/** Atom 1.0 document of the feed: one entry per story, newest first as given. */
export function renderAtom(meta: FeedMeta, stories: StoryView[]): string {
  const hubUrl = toSafeUrl(meta.hubUrl);
  const root = el('feed', { xmlns: ATOM_NS, 'xmlns:media': MEDIA_NS, 'xml:lang': meta.language }, [
    textEl('id', buildFeedIri(meta)),
    textEl('title', meta.title, { type: 'text' }),
    textEl('subtitle', meta.description, { type: 'text' }),
    textEl('updated', toRfc3339(meta.updated) ?? EPOCH),
    el('link', { rel: 'self', type: 'application/atom+xml', href: buildFeedUrl(meta, 'atom') }),
    el('link', { rel: 'alternate', type: 'text/html', href: meta.htmlUrl }),
    hubUrl && el('link', { rel: 'hub', href: hubUrl }),
    textEl('generator', meta.generator),
    ...selectUniqueStories(stories).map((story) => renderEntry(meta, story)),
  ]);
  return renderXmlDocument(root, { stylesheetHref: `${meta.baseUrl}/feed.xsl` });
}
