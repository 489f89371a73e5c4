// Renders a feed as JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with the `_wiredesk` extension of DESIGN.md.
import type { StoryItemRef, StoryView } from '../model/story.ts';
import { buildStoryHtml, buildSummaryText } from './content.ts';
import { buildFeedUrl, buildStoryIri, parseAuthor, selectUniqueStories, splitTag, stripIllegalChars, toRfc3339, toSafeUrl } from './text.ts';
import type { FeedMeta } from './types.ts';

/** The `_wiredesk` item extension: a public interface, field names fixed by DESIGN.md. */
export interface WiredeskExtension {
  story_id: string;
  source: { id: string; title: string; attribution: string };
  versions: { url?: string; title: string; published?: string }[];
  also_reported_by: { source: string; source_title: string; attribution: string; url?: string; title: string; published?: string }[];
  entities: { people: string[]; places: string[]; orgs: string[] };
  topics: string[];
  related: { id: string; url?: string; title: string; score: number }[];
}

const clean = (text: string) => stripIllegalChars(text);

function tagNames(tags: string[], type: string): string[] {
  return tags.map(splitTag).filter((tag) => tag.type === type).map((tag) => clean(tag.name));
}

function toVersion(ref: StoryItemRef): WiredeskExtension['versions'][number] {
  return { url: toSafeUrl(ref.url), title: clean(ref.title), published: toRfc3339(ref.published) };
}

/** Builds the `_wiredesk` object of one story. */
export function buildWiredeskExtension(story: StoryView): WiredeskExtension {
  return {
    story_id: story.id,
    source: { id: story.source.id, title: clean(story.source.title), attribution: clean(story.source.attribution) },
    versions: story.versions.map(toVersion),
    also_reported_by: story.alsoReportedBy.map((ref) => ({
      source: ref.source.id,
      source_title: clean(ref.source.title),
      attribution: clean(ref.source.attribution),
      ...toVersion(ref),
    })),
    entities: { people: tagNames(story.tags, 'person'), places: tagNames(story.tags, 'place'), orgs: tagNames(story.tags, 'org') },
    topics: tagNames(story.tags, 'topic'),
    related: story.related.map((related) => ({
      id: related.id,
      url: toSafeUrl(related.url),
      title: clean(related.title),
      score: Number.isFinite(related.score) ? related.score : 0,
    })),
  };
}

/** One JSON Feed item. `content_html` is always present (JSON Feed 1.1 requires content_html or content_text). */
function buildItem(meta: FeedMeta, story: StoryView): Record<string, unknown> {
  const shown = story.shown;
  const author = parseAuthor(shown.author);
  const published = toRfc3339(shown.published ?? story.date);
  const modified = toRfc3339(story.updated);
  return {
    id: buildStoryIri(meta.baseUrl, story.id),
    url: toSafeUrl(shown.link),
    title: clean(shown.title || '(untitled)'),
    content_html: buildStoryHtml(story),
    summary: buildSummaryText(story),
    image: toSafeUrl(shown.image),
    date_published: published,
    date_modified: modified && published && Date.parse(modified) < Date.parse(published) ? published : modified,
    authors: [{ name: author?.name ?? author?.email ?? clean(story.source.attribution) }],
    tags: story.tags.map(clean),
    language: shown.language,
    attachments: shown.enclosures.flatMap((enclosure) => {
      const url = toSafeUrl(enclosure.url);
      if (!url) return [];
      // mime_type is required for attachments (JSON Feed 1.1).
      return [
        {
          url,
          mime_type: enclosure.type || 'application/octet-stream',
          title: enclosure.title && clean(enclosure.title),
          size_in_bytes: enclosure.length !== undefined && enclosure.length >= 0 ? Math.round(enclosure.length) : undefined,
        },
      ];
    }),
    _wiredesk: buildWiredeskExtension(story),
  };
}

/** JSON Feed 1.1 document of the feed, pretty-printed, items newest first as given. */
export function renderJsonFeed(meta: FeedMeta, stories: StoryView[]): string {
  const hubUrl = toSafeUrl(meta.hubUrl);
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: clean(meta.title),
    home_page_url: meta.htmlUrl,
    feed_url: buildFeedUrl(meta, 'json'),
    description: meta.description ? clean(meta.description) : undefined,
    language: meta.language,
    hubs: hubUrl ? [{ type: 'WebSub', url: hubUrl }] : undefined,
    items: selectUniqueStories(stories).map((story) => buildItem(meta, story)),
  };
  // JSON.stringify drops undefined members, so optional fields simply vanish; empty attachment lists go too.
  return `${JSON.stringify(feed, (key, value) => (key === 'attachments' && Array.isArray(value) && value.length === 0 ? undefined : value), 2)}\n`;
}
