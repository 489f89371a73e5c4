// A tiny element-tree writer over fast-xml-parser's XMLBuilder: escaping is the library's, cleaning is ours.
import { XMLBuilder } from 'fast-xml-parser';
import { stripIllegalChars } from './text.ts';

/** One node of fast-xml-parser's `preserveOrder` tree. */
export type XmlNode = Record<string, unknown>;

type Attributes = Record<string, string | number | undefined>;
type Child = XmlNode | undefined | null | false | '';

/**
 * Text is always written escaped (`&lt;`), never as CDATA: then `]]>` cannot end a section early
 * (RSS/Atom readers decode both the same way), and one escaping rule covers elements and attributes.
 */
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: true,
  suppressEmptyNode: true,
  format: true,
  indentBy: '  ',
});

function toAttributes(attributes: Attributes | undefined): Record<string, string> | undefined {
  if (!attributes) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    out[`@_${key}`] = stripIllegalChars(String(value));
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** An element with attributes and child elements (undefined/false children are skipped). */
export function el(name: string, attributes?: Attributes, children: Child[] = []): XmlNode {
  const node: XmlNode = { [name]: children.filter((child): child is XmlNode => Boolean(child)) };
  const attrs = toAttributes(attributes);
  if (attrs) node[':@'] = attrs;
  return node;
}

/** An element holding text; undefined when the text is missing or blank (optional elements vanish). */
export function textEl(name: string, text: string | undefined, attributes?: Attributes): XmlNode | undefined {
  if (text === undefined) return undefined;
  const clean = stripIllegalChars(text).trim();
  if (!clean) return undefined;
  const node: XmlNode = { [name]: [{ '#text': clean }] };
  const attrs = toAttributes(attributes);
  if (attrs) node[':@'] = attrs;
  return node;
}

/** A whole document: XML declaration, optional `xml-stylesheet` PI (W3C "Associating Style Sheets"), root. */
export function renderXmlDocument(root: XmlNode, options: { stylesheetHref?: string } = {}): string {
  const nodes: XmlNode[] = [{ '?xml': [{ '#text': '' }], ':@': { '@_version': '1.0', '@_encoding': 'utf-8' } }];
  if (options.stylesheetHref) {
    nodes.push({ '?xml-stylesheet': [{ '#text': '' }], ':@': toAttributes({ type: 'text/xsl', href: options.stylesheetHref }) });
  }
  nodes.push(root);
  return `${String(builder.build(nodes)).trim()}\n`;
}
