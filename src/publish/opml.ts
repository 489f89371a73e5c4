// Renders the list of curated feeds as OPML 2.0 (http://opml.org/spec2.opml), for readers to import.
import { buildFeedUrl, toRfc822 } from './text.ts';
import type { FeedMeta, OutputFormat } from './types.ts';
import { OUTPUT_FORMATS } from './types.ts';
import { el, renderXmlDocument, textEl } from './xml.ts';

/** The format an OPML subscription points at: RSS when published, then Atom, then JSON Feed. */
function pickFormat(meta: FeedMeta): OutputFormat {
  const formats = meta.formats && meta.formats.length > 0 ? meta.formats : OUTPUT_FORMATS;
  return OUTPUT_FORMATS.find((format) => formats.includes(format)) ?? 'rss';
}

/** OPML 2.0 document with one `type="rss"` outline per feed (OPML 2.0 uses "rss" for every feed format). */
export function renderOpml(feeds: FeedMeta[], options: { title?: string; dateCreated?: string } = {}): string {
  const newest = feeds.map((feed) => feed.updated).sort().at(-1);
  const head = el('head', undefined, [
    textEl('title', options.title ?? 'Wiredesk feeds'),
    textEl('dateCreated', toRfc822(options.dateCreated ?? newest)),
    textEl('dateModified', toRfc822(newest)),
  ]);
  const outlines = feeds.map((meta) =>
    el('outline', {
      type: 'rss',
      text: meta.title,
      title: meta.title,
      description: meta.description || undefined,
      xmlUrl: buildFeedUrl(meta, pickFormat(meta)),
      htmlUrl: meta.htmlUrl,
      language: meta.language,
    }),
  );
  return renderXmlDocument(el('opml', { version: '2.0' }, [head, el('body', undefined, outlines)]));
}
