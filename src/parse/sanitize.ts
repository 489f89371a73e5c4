// Allowlist HTML sanitizing (sanitize-html) for item HTML, and HTML-to-plain-text for titles, authors and other text fields.
import sanitize from 'sanitize-html';
import { resolveUrl } from './url.ts';

export interface SanitizeOptions {
  /** Relative URLs in href/src/srcset/poster/cite are made absolute against it. */
  baseUrl?: string;
  /** Hostnames an <iframe> may point at (e.g. www.youtube.com); every other iframe is dropped. */
  iframeHosts?: string[];
}

const ALLOWED_TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn',
  'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd',
  'li', 'mark', 'ol', 'p', 'picture', 'pre', 'q', 's', 'samp', 'small', 'source', 'span', 'strong', 'sub', 'summary',
  'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'var', 'audio', 'video', 'track',
  'iframe',
];

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'hreflang'],
  img: ['src', 'srcset', 'alt', 'title', 'width', 'height', 'sizes'],
  source: ['src', 'srcset', 'type', 'media', 'sizes'],
  video: ['src', 'poster', 'controls', 'width', 'height'],
  audio: ['src', 'controls'],
  track: ['src', 'kind', 'srclang', 'label'],
  iframe: ['src', 'width', 'height', 'allowfullscreen', 'title'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  time: ['datetime'],
  abbr: ['title'],
  td: ['colspan', 'rowspan', 'headers'],
  th: ['colspan', 'rowspan', 'headers', 'scope'],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  '*': ['lang', 'dir'],
};

/** Tags whose contents are code, not text: dropped with the tag (object/iframe fallback text is kept, as browsers show it). */
const NON_TEXT_TAGS = ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'xmp', 'svg', 'math'];

/** Attributes holding one URL, resolved against the base before the scheme check. */
const URL_ATTRIBUTES = ['href', 'src', 'poster', 'cite'];

/** Resolves srcset candidates ("url 2x, url 640w") against the base. */
function resolveSrcset(srcset: string, baseUrl: string): string {
  return srcset
    .split(',')
    .map((candidate) => {
      const [url, ...descriptor] = candidate.trim().split(/\s+/);
      return url ? [resolveUrl(url, baseUrl) ?? url, ...descriptor].join(' ') : '';
    })
    .filter(Boolean)
    .join(', ');
}

/** Makes URL attributes absolute; the sanitizer's scheme check runs on the result (transformTags runs first). */
function absolutizeUrls(baseUrl: string | undefined): sanitize.Transformer {
  return (tagName, attribs) => {
    if (!baseUrl) return { tagName, attribs };
    const out: sanitize.Attributes = { ...attribs };
    for (const name of URL_ATTRIBUTES) {
      const value = out[name];
      if (value !== undefined) out[name] = resolveUrl(value, baseUrl) ?? value;
    }
    if (out.srcset !== undefined) out.srcset = resolveSrcset(out.srcset, baseUrl);
    return { tagName, attribs: out };
  };
}

/**
 * Cleans item HTML with an allowlist: no script/style, no event handlers, no style attributes, only http(s)/mailto
 * URLs (javascript:, vbscript:, data: in any spelling are dropped by sanitize-html's scheme check, which decodes
 * entities and strips whitespace and control characters first), iframes only from `iframeHosts`.
 */
export function sanitizeHtml(html: string, options: SanitizeOptions): string {
  const iframeHosts = options.iframeHosts ?? [];
  return sanitize(html, {
    allowedTags: iframeHosts.length > 0 ? ALLOWED_TAGS : ALLOWED_TAGS.filter((tag) => tag !== 'iframe'),
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'], source: ['http', 'https'], video: ['http', 'https'], audio: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'poster', 'srcset'],
    allowProtocolRelative: false,
    allowedIframeHostnames: iframeHosts,
    allowIframeRelativeUrls: false,
    disallowedTagsMode: 'discard',
    nonTextTags: NON_TEXT_TAGS,
    transformTags: { '*': absolutizeUrls(options.baseUrl) },
    parser: { lowerCaseTags: true, lowerCaseAttributeNames: true },
  }).trim();
}

/** Block-level tags whose boundaries separate words in the visible text. */
const BLOCK_BOUNDARY = /<\/?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|dd|dt|dl|hr|section|article|header|footer|figure|figcaption)\b[^>]*>/gi;

/** Plain text of an HTML fragment: tags stripped (script/style contents dropped), entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, ' ').trim();
  const stripped = sanitize(html.replace(BLOCK_BOUNDARY, ' $& '), {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: NON_TEXT_TAGS,
  });
  // sanitize-html decodes every entity while parsing and re-escapes only these four when writing text.
  return stripped
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
