// The HTML body of one output item: the text its source allows, a source credit, "Also reported by" and Related Posts.
import sanitizeHtml from 'sanitize-html';
import type { StoryItemRef, StoryView } from '../model/story.ts';
import { escapeHtml, stripIllegalChars, toSafeUrl } from './text.ts';

/** Length of the plain-text excerpt used when a `summary` source gave no summary. */
const EXCERPT_CHARS = 280;

/** Plain text of sanitized HTML (sanitize-html with no tags allowed decodes nothing and keeps text only). */
export function toPlainText(html: string | undefined): string {
  if (!html) return '';
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });
  // sanitize-html leaves text entity-escaped; decode the five it writes so the excerpt is plain text.
  return stripIllegalChars(text)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A plain-text excerpt cut at a word boundary. */
export function buildExcerpt(html: string | undefined, maxChars = EXCERPT_CHARS): string {
  const text = toPlainText(html);
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The body the source's `republish` policy allows: full sanitized HTML, the summary, or nothing. */
export function buildBodyHtml(story: StoryView): string {
  const shown = story.shown;
  switch (story.republish) {
    case 'full':
      return stripIllegalChars(shown.contentHtml ?? shown.summary ?? '');
    case 'summary': {
      if (shown.summary) return stripIllegalChars(shown.summary);
      const excerpt = buildExcerpt(shown.contentHtml);
      return excerpt ? `<p>${escapeHtml(excerpt)}</p>` : '';
    }
    case 'title':
      return '';
  }
}

/** A plain-text summary for JSON Feed `summary` (a sentence or two, JSON Feed 1.1). */
export function buildSummaryText(story: StoryView): string | undefined {
  if (story.republish === 'title') return undefined;
  const text = buildExcerpt(story.shown.summary ?? story.shown.contentHtml);
  return text || undefined;
}

function linkHtml(url: string | undefined, text: string, title?: string): string {
  const safe = toSafeUrl(url);
  if (!safe) return escapeHtml(text);
  const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
  return `<a href="${escapeHtml(safe)}"${titleAttr}>${escapeHtml(text)}</a>`;
}

/** "Source: Reuters (Reuters World News)" linking to the original. */
export function buildCreditHtml(story: StoryView): string {
  const { source } = story;
  const name = linkHtml(story.shown.link, source.attribution);
  const feedTitle = source.title && source.title !== source.attribution ? ` (${escapeHtml(source.title)})` : '';
  return `<p class="wd-credit">Source: ${name}${feedTitle}</p>`;
}

/** "Also reported by" links: one per other publisher's item, labelled with the publisher, titled with its headline. */
export function buildAlsoReportedHtml(refs: StoryItemRef[]): string {
  if (refs.length === 0) return '';
  const links = refs.map((ref) => linkHtml(ref.url, ref.source.attribution, ref.title));
  return `<p class="wd-also">Also reported by: ${links.join(', ')}</p>`;
}

/** The Related Posts list (DESIGN.md: at the end of the HTML content). */
export function buildRelatedHtml(story: StoryView): string {
  if (story.related.length === 0) return '';
  const items = story.related.map((related) => {
    const from = related.sourceTitle ? ` <small>(${escapeHtml(related.sourceTitle)})</small>` : '';
    return `<li>${linkHtml(related.url, related.title)}${from}</li>`;
  });
  return `<div class="wd-related"><h4>Related Posts</h4><ul>${items.join('')}</ul></div>`;
}

/** The whole HTML content of one output item, the same in RSS, Atom and JSON Feed. */
export function buildStoryHtml(story: StoryView): string {
  return [buildBodyHtml(story), buildCreditHtml(story), buildAlsoReportedHtml(story.alsoReportedBy), buildRelatedHtml(story)]
    .filter((part) => part !== '')
    .join('\n');
}
