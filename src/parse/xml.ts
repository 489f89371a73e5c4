// Loose XML to a small namespace-aware tree (sax in non-strict mode), with xml:base and xml:lang carried down.
import iconv from 'iconv-lite';
import sax from 'sax';
import { ParseError } from './errors.ts';
import { resolveUrl } from './url.ts';

/** An element: `key` is "<ns>:<local>" for known namespaces (see NAMESPACES), or the bare local name. */
export interface XmlElement {
  key: string;
  local: string;
  uri: string;
  attrs: Map<string, string>;
  children: XmlNode[];
  /** xml:base in effect on this element (absolute when it could be resolved). */
  base?: string;
  /** xml:lang in effect on this element ('' when explicitly unset). */
  lang?: string;
}
export type XmlNode = XmlElement | string;

/** Namespace URIs folded to short keys; RSS 0.90/1.0 fold into the bare names RSS 2.0 uses. Compared lowercase, trailing "/" or "#" ignored. */
const NAMESPACES: Record<string, string> = {
  'http://www.w3.org/2005/atom': 'atom',
  'http://purl.org/atom/ns': 'atom03',
  'http://purl.org/rss/1.0': '',
  'http://my.netscape.com/rdf/simple/0.9': '',
  'http://backend.userland.com/rss2': '',
  'http://backend.userland.com/rss': '',
  'http://blogs.law.harvard.edu/tech/rss': '',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns': 'rdf',
  'http://purl.org/dc/elements/1.1': 'dc',
  'http://purl.org/dc/elements/1.0': 'dc',
  'http://purl.org/dc/terms': 'dcterms',
  'http://purl.org/rss/1.0/modules/content': 'content',
  'http://search.yahoo.com/mrss': 'media',
  'http://tools.search.yahoo.com/mrss': 'media',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.w3.org/xml/1998/namespace': 'xml',
  'http://purl.org/rss/1.0/modules/slash': 'slash',
  'http://wellformedweb.org/commentapi': 'wfw',
  'http://purl.org/syndication/history/1.0': 'fh',
  'http://purl.org/atompub/tombstones/1.0': 'at',
  'http://www.georss.org/georss': 'georss',
  'http://rssnamespace.org/feedburner/ext/1.0': 'feedburner',
};

/** Prefixes used without a declaration, read as their usual namespace (feedparser does the same). */
const USUAL_PREFIXES: Record<string, string> = {
  dc: 'dc', dcterms: 'dcterms', content: 'content', media: 'media', itunes: 'itunes', rdf: 'rdf', atom: 'atom',
  xhtml: 'xhtml', slash: 'slash', wfw: 'wfw', xml: 'xml', at: 'at',
};

function foldNamespace(uri: string, prefix: string): string {
  if (!uri) return prefix ? (USUAL_PREFIXES[prefix] ?? prefix) : '';
  const folded = NAMESPACES[uri.toLowerCase().replace(/[/#]+$/, '')];
  if (folded !== undefined) return folded;
  // An unknown default namespace (a variant RSS or Atom URI) is read as no namespace, as feedparser does.
  if (!prefix) return '';
  return USUAL_PREFIXES[prefix] ?? `{${uri}}`;
}

function keyOf(ns: string, local: string): string {
  return ns ? `${ns}:${local}` : local;
}

/** Deeper elements are flattened into their ancestor at this depth: recursion over the tree stays bounded. */
const MAX_DEPTH = 200;

const MAX_XML_ERRORS = 10_000;
const XML_PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** The prefix bound in every document (Namespaces in XML 1.0 §3). */
const ROOT_SCOPE = new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);

/** "dc:creator" → ["dc", "creator"]; "title" → ["", "title"]. */
function splitName(name: string): [string, string] {
  const colon = name.indexOf(':');
  return colon < 0 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

/** Limits on entities declared in an internal DTD subset: only literal values, few and short (no billion laughs, no quadratic blow-up). */
const MAX_DECLARED_ENTITIES = 128;
const MAX_ENTITY_VALUE = 256;

/** Reads safe `<!ENTITY name "value">` declarations: values may hold character references but no entity references or markup. */
function readDeclaredEntities(doctype: string, warnings: string[]): Record<string, string> {
  const entities: Record<string, string> = Object.create(null);
  let count = 0;
  for (const match of doctype.matchAll(/<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g)) {
    const name = match[1] as string;
    const value = match[2] ?? match[3] ?? '';
    if (count >= MAX_DECLARED_ENTITIES || value.length > MAX_ENTITY_VALUE || /&[A-Za-z_]|</.test(value)) {
      warnings.push(`entity "${name}" not expanded (recursive, external or too large)`);
      continue;
    }
    entities[name] = value.replace(/&#(x[0-9a-fA-F]+|\d+);/g, (_m, ref: string) => {
      const code = ref[0] === 'x' ? parseInt(ref.slice(1), 16) : parseInt(ref, 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    });
    count++;
  }
  return entities;
}

/** windows-1252 characters for the C1 controls U+0080-U+009F, which appear when cp1252 bytes were transcoded as Latin-1. */
const C1_AS_CP1252 = iconv.decode(Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i)), 'windows-1252');

/** Removes what XML 1.0 §2.2 forbids and feedparser tolerates (control characters), and maps C1 controls to cp1252 ("demoronize"). */
function stripControlChars(text: string, warnings: string[]): string {
  const cleaned = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  if (cleaned.length !== text.length) warnings.push('illegal control characters removed');
  return cleaned;
}

/** Maps C1 controls (raw or from references like "&#146;") to the cp1252 characters the publisher meant. */
function demoronize(text: string): string {
  return /[\u0080-\u009F]/.test(text) ? text.replace(/[\u0080-\u009F]/g, (c) => C1_AS_CP1252[c.charCodeAt(0) - 0x80] ?? '') : text;
}

/** Parses XML loosely: bare "&", undeclared HTML entities, comments before the root, mismatched tags are recovered. */
export function parseXmlTree(input: string, baseUrl: string | undefined, warnings: string[]): XmlElement | undefined {
  const text = stripControlChars(input.replace(/^\uFEFF/, '').trimStart(), warnings);
  const parser = sax.parser(false, { lowercase: true, xmlns: false, position: false });
  // Null-prototype entity table: "&__proto__;" or "&constructor;" must stay text, never reach Object.prototype.
  const htmlEntities = (sax as unknown as { ENTITIES: Record<string, string> }).ENTITIES;
  const entities: Record<string, string> = Object.assign(Object.create(null), htmlEntities);
  (parser as unknown as { ENTITIES: Record<string, string> }).ENTITIES = entities;

  let root: XmlElement | undefined;
  const stack: XmlElement[] = [];
  let errors = 0;
  let flattened = 0;
  const top = (): XmlElement | undefined => stack[stack.length - 1];
  const appendText = (raw: string): void => {
    const parent = top();
    if (!parent || raw === '') return;
    const value = demoronize(raw);
    const last = parent.children[parent.children.length - 1];
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + value;
    else parent.children.push(value);
  };

  const declared = new Set<string>();
  parser.ondoctype = (doctype: string) => {
    const found = readDeclaredEntities(doctype, warnings);
    for (const name of Object.keys(found)) declared.add(name);
    Object.assign(entities, found);
  };
  // Namespaces are resolved here rather than by sax's xmlns mode, which doubles sax's time; one prefix map per open element.
  const scopes: Array<Map<string, string>> = [ROOT_SCOPE];
  parser.onopentag = (tag) => {
    const parent = top();
    const scope = scopes[scopes.length - 1] as Map<string, string>;
    if (stack.length >= MAX_DEPTH) {
      if (flattened++ === 0) warnings.push(`elements nested deeper than ${MAX_DEPTH} levels flattened`);
      stack.push(parent as XmlElement);
      scopes.push(scope);
      return;
    }
    if (!parent && root) {
      // A second root element: keep reading it as part of the first (feedparser's loose mode does not stop either).
      warnings.push(`content after the root element (<${tag.name}>)`);
    }
    const raw = tag.attributes as Record<string, string>;
    let ownScope = scope;
    for (const name in raw) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        if (ownScope === scope) ownScope = new Map(scope);
        ownScope.set(name === 'xmlns' ? '' : name.slice(6), String(raw[name] ?? '').trim());
      }
    }
    const attrs = new Map<string, string>();
    for (const name in raw) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      const [prefix, local] = splitName(name);
      if (!local) continue;
      // Unprefixed attributes are in no namespace (Namespaces in XML 1.0 §6.2).
      attrs.set(prefix ? keyOf(foldNamespace(ownScope.get(prefix) ?? '', prefix), local) : local, String(raw[name] ?? ''));
    }
    const [prefix, local] = splitName(tag.name);
    const uri = ownScope.get(prefix) ?? '';
    const element: XmlElement = {
      key: keyOf(foldNamespace(uri, prefix), local || tag.name),
      local: local || tag.name,
      uri,
      attrs,
      children: [],
      base: parent?.base ?? baseUrl,
      lang: parent?.lang,
    };
    const xmlBase = attrs.get('xml:base');
    if (xmlBase !== undefined) element.base = resolveUrl(xmlBase.trim(), element.base) ?? element.base;
    const xmlLang = attrs.get('xml:lang');
    // xml:lang="" explicitly unsets the language (XML 1.0 §2.12); kept as '' so it is not inherited from the feed.
    if (xmlLang !== undefined) element.lang = xmlLang.trim();
    if (parent) parent.children.push(element);
    else if (!root) root = element;
    else root.children.push(element);
    stack.push(element);
    scopes.push(ownScope);
  };
  parser.onclosetag = () => {
    if (stack.length === 0) return;
    stack.pop();
    scopes.pop();
  };
  parser.ontext = appendText;
  parser.oncdata = appendText;
  parser.onerror = (error: Error) => {
    errors++;
    if (errors <= 20) warnings.push(`xml: ${error.message.split('\n')[0]}`);
    parser.error = null as unknown as Error;
    if (errors > MAX_XML_ERRORS) throw new ParseError('PARSE_MALFORMED', `more than ${MAX_XML_ERRORS} XML errors, last: ${error.message.split('\n')[0]}`);
  };
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof ParseError) throw error;
    throw new ParseError('PARSE_MALFORMED', `XML could not be read: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  noteLooseSyntax(text, declared, warnings);
  return root;
}

/** Records, once each, the loose-mode recoveries a strict XML parser would reject: bare "&" and undeclared entities. */
function noteLooseSyntax(text: string, declared: Set<string>, warnings: string[]): void {
  if (/&(?!(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9A-Fa-f]+);)/.test(text)) warnings.push('bare "&" read as text');
  const undeclared = new Set<string>();
  for (const match of text.matchAll(/&([A-Za-z_][\w.-]*);/g)) {
    const name = match[1] as string;
    if (!XML_PREDEFINED.has(name) && !declared.has(name)) undeclared.add(name);
    if (undeclared.size >= 5) break;
  }
  if (undeclared.size) warnings.push(`entities used without a declaration: ${[...undeclared].map((n) => `&${n};`).join(' ')}`);
}

/** The text of an element and its descendants, as XML text (entities already decoded). */
export function readText(element: XmlElement): string {
  let out = '';
  for (const child of element.children) out += typeof child === 'string' ? child : readText(child);
  return out;
}

/** True when the element has element children (embedded, unescaped markup). */
export function hasElementChildren(element: XmlElement): boolean {
  return element.children.some((child) => typeof child !== 'string');
}

const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string): string => escapeText(s).replace(/"/g, '&quot;');

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** Serializes the children of an element back to markup, for embedded XHTML/HTML content. */
export function serializeChildren(element: XmlElement): string {
  let out = '';
  for (const child of element.children) {
    if (typeof child === 'string') {
      out += escapeText(child);
      continue;
    }
    let attrs = '';
    for (const [name, value] of child.attrs) attrs += ` ${name.slice(name.indexOf(':') + 1)}="${escapeAttr(value)}"`;
    out += VOID_ELEMENTS.has(child.local)
      ? `<${child.local}${attrs} />`
      : `<${child.local}${attrs}>${serializeChildren(child)}</${child.local}>`;
  }
  return out;
}

/** Element children with the given key. */
export function childrenOf(element: XmlElement, key: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of element.children) if (typeof child !== 'string' && child.key === key) out.push(child);
  return out;
}

/** First element child with one of the given keys, in the order of the keys. */
export function firstChild(element: XmlElement, ...keys: string[]): XmlElement | undefined {
  for (const key of keys) {
    for (const child of element.children) if (typeof child !== 'string' && child.key === key) return child;
  }
  return undefined;
}
