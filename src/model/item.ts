// Plain types for feeds and items as a source published them; imports nothing.

/** The formats the parser recognises. */
export type FeedFormat = 'rss' | 'rdf' | 'atom' | 'json';

/** A category as the feed published it (RSS `<category domain>`, Atom `<category scheme term label>`, JSON Feed `tags`). */
export interface Category {
  term: string;
  /** RSS `domain` or Atom `scheme`. */
  domain?: string;
  label?: string;
}

/** An attached file: RSS `<enclosure>`, Atom `<link rel="enclosure">`, JSON Feed `attachments`, Media RSS `media:content`. */
export interface Enclosure {
  url: string;
  type?: string;
  length?: number;
  title?: string;
}

/**
 * One entry as a source published it, cleaned: text fields are plain text, HTML fields are sanitized,
 * URLs are absolute, dates are ISO 8601 instants in UTC (`2026-11-23T16:40:00.000Z`).
 */
export interface ParsedItem {
  /** RSS `guid`, Atom `id`, JSON Feed `id`, as published (trimmed). */
  guid?: string;
  /** Plain text, never HTML. Empty string when the feed gave none. */
  title: string;
  link?: string;
  published?: string;
  updated?: string;
  /** Plain text: a name, or "Name (email)". */
  author?: string;
  /** Sanitized HTML. */
  summary?: string;
  /** Sanitized HTML of the full content, when the feed carries it. */
  contentHtml?: string;
  categories: Category[];
  enclosures: Enclosure[];
  /** Absolute URL of the item's main image (Media RSS thumbnail, JSON Feed `image`, ...). */
  image?: string;
  /** BCP 47 language tag from the item, or inherited from the feed. */
  language?: string;
  /** Set when the feed marks this item as withdrawn/killed (wire kill notices). */
  withdrawn?: boolean;
}

/** A whole parsed document. */
export interface ParsedFeed {
  format: FeedFormat;
  /** e.g. "2.0", "1.0", "0.91", "atom10", "atom03", "json1.1". */
  version?: string;
  title?: string;
  link?: string;
  description?: string;
  language?: string;
  updated?: string;
  image?: string;
  /** RSS `<ttl>` in minutes. */
  ttlMinutes?: number;
  /** RSS `<skipHours>`: hours 0–23 (GMT) during which the source asks not to be polled. */
  skipHours?: number[];
  /** RSS `<skipDays>`: day names ("Monday") on which the source asks not to be polled. */
  skipDays?: string[];
  items: ParsedItem[];
  /** Problems recovered from (bare `&`, undeclared entity, bad date...), for logs. */
  warnings: string[];
}
