// Parse stage entry: bytes or text in, one ParsedFeed out (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1); pure, no I/O.
import type { ParsedFeed } from '../model/item.ts';
import { readAtom } from './atom.ts';
import { decodeFeedBytes } from './decode.ts';
import { ParseError } from './errors.ts';
import { readJsonFeed } from './json.ts';
import { readRss } from './rss.ts';
import { parseXmlTree, readText, type XmlElement } from './xml.ts';

export { ParseError } from './errors.ts';
export type { ParseErrorCode } from './errors.ts';
export { decodeFeedBytes } from './decode.ts';
export { sanitizeHtml, htmlToText } from './sanitize.ts';
export { parseDate } from './dates.ts';

export interface ParseOptions {
  /** HTTP Content-Type of the response (its charset decides the decoding of bytes, RFC 7303 §3.2). */
  contentType?: string;
  /** The document's URL: the base for relative links when no xml:base says otherwise. */
  baseUrl?: string;
  /** Hostnames allowed in item <iframe>s. */
  iframeHosts?: string[];
}

const isFeedRoot = (e: XmlElement): boolean =>
  e.local === 'rss' || e.key === 'rdf:rdf' || e.key === 'atom:feed' || e.key === 'atom03:feed';

/** A feed wrapped in an XHTML page (some blogs serve one) is read from inside the page. */
function findFeedRoot(root: XmlElement | undefined, warnings: string[]): XmlElement | undefined {
  if (!root || root.local !== 'html') return root;
  const stack: XmlElement[] = [root];
  while (stack.length) {
    const element = stack.pop() as XmlElement;
    if (isFeedRoot(element)) {
      warnings.push(`feed found inside an HTML page (<${element.local}>)`);
      return element;
    }
    for (const child of element.children) if (typeof child !== 'string') stack.push(child);
  }
  return root;
}

/** Parses a feed document. Throws ParseError (PARSE_UNKNOWN_FORMAT, PARSE_MALFORMED) when nothing can be read. */
export function parseFeed(input: string | Uint8Array, options: ParseOptions = {}): ParsedFeed {
  const warnings: string[] = [];
  const text = typeof input === 'string' ? input : decodeFeedBytes(input, options.contentType).text;
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body === '') throw new ParseError('PARSE_MALFORMED', 'empty document');
  const readOptions = { iframeHosts: options.iframeHosts };
  if (body.startsWith('{') || body.startsWith('[')) return readJsonFeed(body, options.baseUrl, readOptions, warnings);
  let xml = body;
  if (!xml.startsWith('<')) {
    // Servers sometimes print a warning before the feed ("Warning: ... on line 3"): read from the XML on.
    const start = xml.search(/<(?:\?xml|rss\b|feed\b|rdf:rdf\b)/i);
    if (start < 0) throw new ParseError('PARSE_UNKNOWN_FORMAT', `not XML or JSON (starts with "${body.slice(0, 20)}")`);
    warnings.push(`${start} characters of text before the XML ignored`);
    xml = xml.slice(start);
  }

  const root = findFeedRoot(parseXmlTree(xml, options.baseUrl, warnings), warnings);
  if (!root) throw new ParseError('PARSE_MALFORMED', 'no root element (empty or truncated XML)');
  if (root.local === 'rss' || root.local === 'channel' || (root.local === 'rdf' && (root.key === 'rdf:rdf' || root.key === 'rdf'))) {
    return readRss(root, readOptions, warnings);
  }
  if ((root.local === 'feed' && (root.key === 'atom:feed' || root.key === 'atom03:feed' || root.key === 'feed')) || root.key === 'atom:entry') {
    return readAtom(root, readOptions, warnings);
  }
  if (root.local === 'html') throw new ParseError('PARSE_UNKNOWN_FORMAT', 'an HTML page, not a feed');
  const hint = readText(root).trim().slice(0, 40);
  throw new ParseError('PARSE_UNKNOWN_FORMAT', `unknown root element <${root.local}>${hint ? ` ("${hint}")` : ''}: not RSS, RDF, Atom or JSON Feed`);
}
