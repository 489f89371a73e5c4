// Shared field readers for the XML adapters: plain text, sanitized HTML by content type, safe absolute URLs.
import { htmlToText, sanitizeHtml } from './sanitize.ts';
import { resolveUrl } from './url.ts';
import { firstChild, hasElementChildren, readText, serializeChildren, type XmlElement } from './xml.ts';
import { parseDate } from './dates.ts';

export interface ReadOptions {
  iframeHosts?: string[];
}

/** feedparser's `_looks_like_html`, simplified: an end tag, a void/known tag or an entity reference. */
export function looksLikeHtml(text: string): boolean {
  return /<\/[a-z][a-z0-9]*\s*>|<(?:br|hr|img|p|a|b|i|em|strong|div|span|ul|ol|li|blockquote|pre|table|h[1-6]|script|iframe|object|embed|style|svg|math|input|form|video|audio|source|link|meta|base)\b[^>]*>|&#?[a-z0-9]+;/i.test(text);
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Atom text-construct type (RFC 4287 §3.1) or Atom 0.3 mode of an element: 'text' | 'html' | 'xhtml' | 'base64' | undefined. */
function readContentType(element: XmlElement): 'text' | 'html' | 'xhtml' | 'base64' | undefined {
  const mode = element.attrs.get('mode')?.toLowerCase();
  if (mode === 'base64') return 'base64';
  if (mode === 'xml') return 'xhtml';
  if (mode === 'escaped') return 'html';
  const type = element.attrs.get('type')?.toLowerCase().trim();
  if (!type) return undefined;
  if (type === 'text' || type === 'text/plain') return 'text';
  if (type === 'html' || type === 'text/html') return 'html';
  if (type === 'xhtml' || type === 'application/xhtml+xml') return 'xhtml';
  // RFC 4287 §4.1.3.3: other XML or text/* types are inline text; any other MIME type is base64.
  if (type.startsWith('text/') || type.endsWith('+xml') || type.endsWith('/xml')) return 'text';
  if (type.includes('/')) return 'base64';
  return undefined;
}

/** The HTML carried by an element, before sanitizing: by declared type, else embedded markup, else a guess on the text. */
export function readRawHtml(element: XmlElement): string {
  const type = readContentType(element);
  if (type === 'xhtml' || (type === undefined && hasElementChildren(element))) {
    const elements = element.children.filter((child): child is XmlElement => typeof child !== 'string');
    const onlyDiv = elements.length === 1 && elements[0]?.local === 'div' &&
      element.children.every((child) => typeof child !== 'string' || child.trim() === '');
    return serializeChildren(onlyDiv && elements[0] ? elements[0] : element);
  }
  const text = readText(element);
  if (type === 'base64') {
    const decoded = Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
    // Atom 0.3 mode="base64" keeps the declared type of the decoded text; RFC 4287 binary types are shown as text.
    const declared = element.attrs.get('type')?.toLowerCase() ?? 'text/html';
    return declared.includes('html') || looksLikeHtml(decoded) ? decoded : escapeHtml(decoded);
  }
  if (type === 'text') return escapeHtml(text);
  if (type === 'html') return text;
  return looksLikeHtml(text) ? text : escapeHtml(text);
}

/** Sanitized HTML of an element, or undefined when it is empty. Relative URLs resolve against the element's xml:base. */
export function readHtml(element: XmlElement | undefined, options: ReadOptions): string | undefined {
  if (!element) return undefined;
  const html = sanitizeHtml(readRawHtml(element), { baseUrl: element.base, iframeHosts: options.iframeHosts });
  return html === '' ? undefined : html;
}

/** Markup in a text field that a reader could execute if it took the text for HTML (many take RSS titles for HTML). */
const ACTIVE_MARKUP = /<\s*\/?\s*(?:script|style|iframe|frame|frameset|object|embed|applet|form|input|button|textarea|select|svg|math|base|meta|link|img|image|video|audio|source|body|html|head|bgsound|layer|ilayer|xss|noscript|template|marquee|isindex|xml|import)\b|<[a-z][^>]*?[\s/](?:on[a-z]+|style|src|srcset|href|background|formaction|action|dynsrc|lowsrc|poster|data|xlink:href)\s*=/i;

/**
 * Finishes a plain-text field. Text is kept as the publisher wrote it ("History of the <blink> tag" stays), except
 * text carrying executable markup, which is reduced to its visible text (again, until none is left), so a text field
 * is harmless even for readers that render it as HTML.
 */
export function finishText(text: string): string {
  let out = text;
  for (let round = 0; round < 3 && ACTIVE_MARKUP.test(out); round++) out = htmlToText(out);
  return ACTIVE_MARKUP.test(out) ? out.replace(/</g, '') : out;
}

/** Plain text of an element: markup (escaped or embedded) stripped, entities decoded, whitespace collapsed. Titles are never HTML. */
export function readPlain(element: XmlElement | undefined): string | undefined {
  if (!element) return undefined;
  const type = readContentType(element);
  const raw = type === 'text' || type === 'html' || (type === undefined && !hasElementChildren(element)) ? readText(element) : readRawHtml(element);
  // Every text field goes through the HTML-to-text step, plain ones included, so no markup survives in a text field.
  const text = finishText(htmlToText(raw));
  return text === '' ? undefined : text;
}

/** Only web URLs leave the parser: javascript:, vbscript:, data: and friends are dropped in any spelling. */
export function safeUrl(url: string | undefined, base: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const trimmed = url.trim();
  if (trimmed === '') return undefined;
  const resolved = resolveUrl(trimmed, base);
  if (!resolved) return undefined;
  try {
    // The WHATWG parser strips tabs/newlines and leading control characters the way browsers do, so "java\tscript:" is caught.
    const parsed = new URL(resolved, 'http://relative.invalid/');
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  } catch {
    return undefined;
  }
  return resolved;
}

/** Text of a simple element (link, guid, language): trimmed, undefined when empty. */
export function readValue(element: XmlElement | undefined): string | undefined {
  if (!element) return undefined;
  const text = readText(element).trim();
  return text === '' ? undefined : text;
}

/** Non-negative integer, or undefined. */
export function readInteger(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number.parseInt(value.trim(), 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Date of the first listed element that parses; unparsable ones become warnings. */
export function readDate(parent: XmlElement, keys: string[], warnings: string[]): string | undefined {
  for (const key of keys) {
    const value = readValue(firstChild(parent, key));
    if (value === undefined) continue;
    const date = parseDate(value);
    if (date) return date;
    warnings.push(`unparsable date "${value.slice(0, 60)}" in <${key}>`);
  }
  return undefined;
}
