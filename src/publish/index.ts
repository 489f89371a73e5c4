// The publish stage's entry: pure renderers from FeedMeta + StoryView[] to strings, one per output path.
import type { StoryView } from '../model/story.ts';
import { renderAtom } from './atom.ts';
import { renderJsonFeed } from './json.ts';
import { renderRss } from './rss.ts';
import type { FeedMeta, OutputFormat } from './types.ts';

export { renderAtom } from './atom.ts';
export { renderJsonFeed, buildWiredeskExtension, type WiredeskExtension } from './json.ts';
export { renderRss } from './rss.ts';
export { renderOpml } from './opml.ts';
export { renderIndexHtml, renderFeedHtml } from './html.ts';
export { FEED_XSL } from './xsl.ts';
export { SITE_CSS } from './css.ts';
export { buildStoryHtml } from './content.ts';
export { buildFeedUrl, buildStoryIri, buildTagFeedMeta, buildTagFeedUrl, slugifyTagName, stripIllegalChars } from './text.ts';
export { CONTENT_TYPES, FORMAT_INFO, OUTPUT_FORMATS, type FeedMeta, type IndexEntry, type OutputFormat, type SiteMeta } from './types.ts';

/** Every feed renderer has this shape. */
export type FeedRenderer = (meta: FeedMeta, stories: StoryView[]) => string;

/** The renderer of each format, for callers that loop over a feed's `formats`. */
export const FEED_RENDERERS: Readonly<Record<OutputFormat, FeedRenderer>> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

/** Renders one feed in one format. */
export function renderFeed(format: OutputFormat, meta: FeedMeta, stories: StoryView[]): string {
  return FEED_RENDERERS[format](meta, stories);
}
