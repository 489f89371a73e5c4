// Plain types shared by every publisher: what a rendered feed is about, and the output formats.

/** The feed formats Wiredesk writes (DESIGN.md, Output). */
export type OutputFormat = 'rss' | 'atom' | 'json';

/** Every output format, in the order pages list them. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['rss', 'atom', 'json'];

/** Metadata of one rendered feed (a curated feed or a tag feed). */
export interface FeedMeta {
  /** The feed id from the YAML (`latam`), or a tag feed's id (`tag-place-colombia`). */
  id: string;
  title: string;
  /** Plain text; may be empty (RSS then repeats the title, as `<description>` is required). */
  description: string;
  /** The site's base URL (`server.base_url`); may carry a path prefix, no trailing slash. */
  baseUrl: string;
  /**
   * The feed's own address. Either the stem (`{base}/feeds/latam`) or the address of any one format
   * (`{base}/feeds/latam.rss`, optionally with `?token=…`): each renderer swaps in its own extension
   * (see `buildFeedUrl`), so one FeedMeta serves all three formats.
   */
  selfUrl: string;
  /** The readable HTML page of the feed (`{base}/feeds/latam`). */
  htmlUrl: string;
  /** ISO 8601 instant of the newest change among the feed's stories (or now, when the feed is empty). */
  updated: string;
  /** BCP 47 language tag of the feed (`en`, `es-CO`). */
  language?: string;
  /** A WebSub hub: adds `rel="hub"` links (W3C WebSub §4) and JSON Feed `hubs`. */
  hubUrl?: string;
  /** Generator name, e.g. "Wiredesk 0.1.0". */
  generator?: string;
  /** RSS `<ttl>` in minutes: how long readers may cache the feed (match the schedule's interval). */
  ttlMinutes?: number;
  /** The formats this feed is published in (default: all three); used by OPML and the HTML pages. */
  formats?: OutputFormat[];
}

/** One row of the index page. */
export interface IndexEntry {
  meta: FeedMeta;
  itemCount: number;
  formats: OutputFormat[];
}

/** The site as the index page presents it. */
export interface SiteMeta {
  title: string;
  /** `server.base_url`: may carry a path prefix, no trailing slash. */
  baseUrl: string;
}

/** File extension and media type of each format (issue 8: types with a charset). */
export const FORMAT_INFO: Readonly<Record<OutputFormat, { extension: string; contentType: string; label: string }>> = {
  rss: { extension: 'rss', contentType: 'application/rss+xml; charset=utf-8', label: 'RSS' },
  atom: { extension: 'atom', contentType: 'application/atom+xml; charset=utf-8', label: 'Atom' },
  json: { extension: 'json', contentType: 'application/feed+json; charset=utf-8', label: 'JSON Feed' },
};

/** Media types of the other published files. */
export const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  opml: 'text/x-opml; charset=utf-8',
  xsl: 'text/xsl; charset=utf-8',
  css: 'text/css; charset=utf-8',
} as const;
