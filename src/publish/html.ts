// Renders the browser pages: the index of curated feeds and one readable page per feed (no script, CSS from /site.css).
import type { StoryView } from '../model/story.ts';
import { buildAlsoReportedHtml, buildBodyHtml, buildRelatedHtml } from './content.ts';
import { buildFeedUrl, buildTagFeedUrl, escapeHtml, parseAuthor, selectUniqueStories, splitTag, toRfc3339, toSafeUrl } from './text.ts';
import type { FeedMeta, IndexEntry, OutputFormat, SiteMeta } from './types.ts';
import { FORMAT_INFO, OUTPUT_FORMATS } from './types.ts';

/** The media type of each format in `<link rel="alternate">` (JSON Feed 1.1 §Discovery uses application/feed+json). */
const DISCOVERY_TYPE: Record<OutputFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

/** Formats in the canonical order, unknown ones dropped. */
function orderFormats(formats: readonly OutputFormat[]): OutputFormat[] {
  return OUTPUT_FORMATS.filter((format) => formats.includes(format));
}

/** One formatter for every page (constructing an Intl.DateTimeFormat costs ~0.2 ms). UTC and a fixed locale keep renders reproducible. */
const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "25 Nov 2026, 22:06 UTC" inside a `<time>`. */
function renderTime(iso: string | undefined): string {
  const rfc3339 = toRfc3339(iso);
  if (!rfc3339) return '';
  return `<time datetime="${rfc3339}">${escapeHtml(DATE_FORMAT.format(new Date(rfc3339)))} UTC</time>`;
}

function renderAlternateLinks(meta: FeedMeta, formats: readonly OutputFormat[]): string[] {
  return orderFormats(formats).map(
    (format) =>
      `<link rel="alternate" type="${DISCOVERY_TYPE[format]}" title="${escapeHtml(`${meta.title} (${FORMAT_INFO[format].label})`)}" href="${escapeHtml(buildFeedUrl(meta, format))}">`,
  );
}

function renderSubscribeLinks(meta: FeedMeta, formats: readonly OutputFormat[]): string {
  const links = orderFormats(formats).map(
    (format) =>
      `<li><a href="${escapeHtml(buildFeedUrl(meta, format))}" type="${DISCOVERY_TYPE[format]}">${FORMAT_INFO[format].label}</a></li>`,
  );
  return `<ul class="subscribe" aria-label="Subscribe">${links.join('')}</ul>`;
}

function renderPage(options: { title: string; baseUrl: string; lang?: string; head: string[]; body: string[] }): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(options.lang ?? 'en')}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<link rel="stylesheet" href="${escapeHtml(options.baseUrl)}/site.css">`,
    '<link rel="icon" href="data:,">', // no favicon request (and no 404) from browsers
    ...options.head,
    '</head>',
    '<body>',
    ...options.body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The index page `/`: every feed with description, item count, last update, subscribe and discovery links. */
export function renderIndexHtml(entries: IndexEntry[], site: SiteMeta): string {
  const base = escapeHtml(site.baseUrl);
  const cards = entries.map(({ meta, itemCount, formats }) => {
    const description = meta.description ? `<p>${escapeHtml(meta.description)}</p>` : '';
    const count = `${itemCount} ${itemCount === 1 ? 'story' : 'stories'}`;
    return [
      `<li class="feed" id="feed-${escapeHtml(meta.id)}">`,
      `<h2><a href="${escapeHtml(meta.htmlUrl)}">${escapeHtml(meta.title)}</a></h2>`,
      description,
      `<p class="meta">${count} · updated ${renderTime(meta.updated)}</p>`,
      renderSubscribeLinks(meta, formats),
      '</li>',
    ].join('\n');
  });
  return renderPage({
    title: site.title,
    baseUrl: site.baseUrl,
    head: [
      ...entries.flatMap(({ meta, formats }) => renderAlternateLinks(meta, formats)),
      `<link rel="alternate" type="text/x-opml" title="All feeds (OPML)" href="${base}/feeds.opml">`,
    ],
    body: [
      `<header class="site"><h1>${escapeHtml(site.title)}</h1>`,
      `<p>${entries.length} curated ${entries.length === 1 ? 'feed' : 'feeds'} of deduplicated wire stories. Copy a feed link into your reader, or import <a href="${base}/feeds.opml">all feeds as OPML</a>.</p></header>`,
      '<main>',
      entries.length > 0 ? `<ul class="feeds">\n${cards.join('\n')}\n</ul>` : '<p class="notice">No feeds are configured yet.</p>',
      '</main>',
      `<footer class="site">Published by Wiredesk · <a href="${base}/feeds.opml">OPML</a></footer>`,
    ],
  });
}

function renderStory(story: StoryView, baseUrl: string): string {
  const shown = story.shown;
  const link = toSafeUrl(shown.link);
  const title = escapeHtml(shown.title || '(untitled)');
  const heading = link ? `<a href="${escapeHtml(link)}">${title}</a>` : title;
  const author = parseAuthor(shown.author)?.name;
  const metaParts = [escapeHtml(story.source.attribution), renderTime(shown.published ?? story.date), author ? escapeHtml(author) : ''];
  const body = buildBodyHtml(story);
  const tags = story.tags.map((tag) => {
    const { name } = splitTag(tag);
    return `<li><a href="${escapeHtml(buildTagFeedUrl(baseUrl, tag, 'rss'))}" title="${escapeHtml(tag)}">${escapeHtml(name)}</a></li>`;
  });
  return [
    `<article class="story" id="${escapeHtml(story.id)}">`,
    `<h2>${heading}</h2>`,
    `<p class="meta">${metaParts.filter(Boolean).join(' · ')}</p>`,
    body ? `<div class="body">${body}</div>` : '',
    buildAlsoReportedHtml(story.alsoReportedBy),
    buildRelatedHtml(story),
    tags.length > 0 ? `<ul class="tags" aria-label="Tags">${tags.join('')}</ul>` : '',
    '</article>',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The readable page of one feed (`/feeds/{id}`): its stories, tags, also-reported-by, related posts, subscribe links. */
export function renderFeedHtml(meta: FeedMeta, stories: StoryView[], formats: OutputFormat[] = meta.formats ?? [...OUTPUT_FORMATS]): string {
  const unique = selectUniqueStories(stories);
  const base = escapeHtml(meta.baseUrl);
  return renderPage({
    title: meta.title,
    baseUrl: meta.baseUrl,
    lang: meta.language,
    head: renderAlternateLinks(meta, formats),
    body: [
      `<header class="site"><p><a href="${base}/">← All feeds</a></p>`,
      `<h1>${escapeHtml(meta.title)}</h1>`,
      meta.description ? `<p>${escapeHtml(meta.description)}</p>` : '',
      `<p class="meta">${unique.length} ${unique.length === 1 ? 'story' : 'stories'} · updated ${renderTime(meta.updated)}</p>`,
      renderSubscribeLinks(meta, formats),
      '</header>',
      '<main>',
      unique.length > 0 ? unique.map((story) => renderStory(story, meta.baseUrl)).join('\n') : '<p class="notice">No stories in this feed yet.</p>',
      '</main>',
      `<footer class="site">Published by Wiredesk · <a href="${base}/">All feeds</a> · <a href="${base}/feeds.opml">OPML</a></footer>`,
    ].filter(Boolean),
  });
}
