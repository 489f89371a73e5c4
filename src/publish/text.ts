// Small pure helpers every publisher shares: text cleaning, escaping, URLs, dates, tags and authors.
import type { FeedMeta, OutputFormat } from './types.ts';
import { slugifyTagName } from '../model/tag.ts';
import { FORMAT_INFO } from './types.ts';

/**
 * Characters outside XML 1.0's `Char` production (§2.2): C0 controls but tab/LF/CR, lone surrogates,
 * U+FFFE and U+FFFF. One of them makes a whole XML document ill-formed, so every inserted text loses them.
 */
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes characters that XML 1.0 forbids (also applied to JSON and HTML, for the same text everywhere). */
export function stripIllegalChars(text: string): string {
  return text.replace(XML_ILLEGAL, '');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values, after stripping illegal characters. */
export function escapeHtml(text: string): string {
  return stripIllegalChars(text).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** Returns the URL when it is an absolute http(s) URL, else undefined (no `javascript:` links in outputs). */
export function toSafeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const trimmed = stripIllegalChars(url).trim();
  try {
    const parsed = new URL(trimmed);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? trimmed : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 822 date with a four-digit year and GMT, as the RSS Advisory Board profile asks; undefined when invalid. */
export function toRfc822(iso: string | undefined): string | undefined {
  const date = toDate(iso);
  return date?.toUTCString();
}

/** RFC 3339 instant in UTC (Atom §3.3, JSON Feed 1.1); undefined when invalid. */
export function toRfc3339(iso: string | undefined): string | undefined {
  const date = toDate(iso);
  return date ? date.toISOString().replace('.000Z', 'Z') : undefined;
}

function toDate(iso: string | undefined): Date | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * A feed's address in one format: the `selfUrl` with its extension (if any) replaced, query kept
 * (private feeds carry `?token=`). Accepting both the stem and a format's URL lets one FeedMeta serve all formats.
 */
export function buildFeedUrl(meta: Pick<FeedMeta, 'selfUrl'>, format: OutputFormat): string {
  const match = /^([^?#]*?)(\.(?:rss|atom|json|xml))?([?#].*)?$/.exec(meta.selfUrl);
  const stem = match?.[1] ?? meta.selfUrl;
  return `${stem}.${FORMAT_INFO[format].extension}${match?.[3] ?? ''}`;
}

/** The feed's format-independent IRI (Atom `<id>` of the feed): the stem of `selfUrl`, without query. */
export function buildFeedIri(meta: Pick<FeedMeta, 'selfUrl'>): string {
  const match = /^([^?#]*?)(\.(?:rss|atom|json|xml))?(?:[?#].*)?$/.exec(meta.selfUrl);
  return match?.[1] ?? meta.selfUrl;
}

/**
 * The one identifier of a story in every format (RSS guid, Atom id, JSON Feed id). Built from the story id
 * only, so a newer version or a better copy never changes it (DESIGN.md, Output).
 */
export function buildStoryIri(baseUrl: string, storyId: string): string {
  return `${baseUrl}/stories/${encodeURIComponent(storyId)}`;
}

/** Splits `type:Name` at the first colon. */
export function splitTag(tag: string): { type: string; name: string } {
  const colon = tag.indexOf(':');
  if (colon <= 0) return { type: 'topic', name: tag };
  return { type: tag.slice(0, colon), name: tag.slice(colon + 1) };
}

export { slugifyTagName } from '../model/tag.ts';

/** `{base}/tags/{type}/`: the category domain (RSS) and scheme (Atom) of a tag type. */
export function buildTagScheme(baseUrl: string, type: string): string {
  return `${baseUrl}/tags/${encodeURIComponent(type)}/`;
}

/** The address of a tag's feed in one format (`{base}/tags/place/colombia.rss`). */
export function buildTagFeedUrl(baseUrl: string, tag: string, format: OutputFormat): string {
  const { type, name } = splitTag(tag);
  return `${buildTagScheme(baseUrl, type)}${slugifyTagName(name)}.${FORMAT_INFO[format].extension}`;
}

/** An author as items store it ("Name", "Name (email)", "email (Name)", "email"), split into its parts. */
export function parseAuthor(author: string | undefined): { name?: string; email?: string } | undefined {
  const text = author ? stripIllegalChars(author).trim() : '';
  if (!text) return undefined;
  const isEmail = (value: string) => /^[^\s@()<>]+@[^\s@()<>]+\.[^\s@()<>]+$/.test(value);
  const paren = /^(.*?)\s*\(([^()]*)\)$/.exec(text);
  if (paren) {
    const [, outer = '', inner = ''] = paren;
    if (isEmail(inner.trim())) return { name: outer.trim() || undefined, email: inner.trim() };
    if (isEmail(outer.trim())) return { name: inner.trim() || undefined, email: outer.trim() };
  }
  const angle = /^(.*?)\s*<([^<>]+)>$/.exec(text);
  if (angle && isEmail((angle[2] ?? '').trim())) return { name: angle[1]?.trim() || undefined, email: angle[2]?.trim() };
  if (isEmail(text)) return { email: text };
  return { name: text };
}

/** Keeps the first story of each id: every format promises unique item ids (JSON Feed 1.1, RFC 4287 §4.2.6). */
export function selectUniqueStories<T extends { id: string }>(stories: T[]): T[] {
  const seen = new Set<string>();
  return stories.filter((story) => (seen.has(story.id) ? false : (seen.add(story.id), true)));
}

/**
 * The FeedMeta of a tag feed (`/tags/{type}/{slug}.rss|.atom|.json`, DESIGN.md Output). DESIGN.md gives tag
 * feeds no HTML page, so their `htmlUrl` is the index page.
 */
export function buildTagFeedMeta(
  tag: string,
  site: { baseUrl: string; updated: string; siteTitle?: string; hubUrl?: string; generator?: string; language?: string },
): FeedMeta {
  const { type, name } = splitTag(tag);
  const slug = slugifyTagName(name);
  return {
    id: `tag-${slugifyTagName(type)}-${slug}`,
    title: `${name} (${type}) · ${site.siteTitle ?? 'Wiredesk'}`,
    description: `Stories tagged ${tag}`,
    baseUrl: site.baseUrl,
    selfUrl: `${buildTagScheme(site.baseUrl, type)}${slug}`,
    htmlUrl: `${site.baseUrl}/`,
    updated: site.updated,
    language: site.language,
    hubUrl: site.hubUrl,
    generator: site.generator,
  };
}
