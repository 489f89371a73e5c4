// `wiredesk export-opml` and `import-opml FILE`: the sources as OPML 2.0, and an OPML's feeds added to the YAML config.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isMap, isScalar, isSeq, parseDocument, stringify } from 'yaml';
import { ConfigError, parseConfigText } from '../config/load.ts';
import type { SourceConfig } from '../config/schema.ts';
import { toRfc822 } from '../publish/text.ts';
import { el, renderXmlDocument, textEl } from '../publish/xml.ts';
import { CommandError, loadConfigOrFail, print } from './shared.ts';

/** One feed found in an OPML body (OPML 2.0 §"subscription lists": an outline with `xmlUrl`). */
export interface OpmlFeed {
  title: string;
  xmlUrl: string;
  htmlUrl?: string;
  /** Texts of the enclosing folder outlines, outermost first. */
  folders: string[];
}

export type OpmlParseResult =
  | { ok: true; title?: string; feeds: OpmlFeed[]; ignored: { text: string; reason: string }[] }
  | { ok: false; code: 'OPML_MALFORMED' | 'OPML_NOT_OPML' | 'OPML_ENTITIES'; message: string };

/** A source to add: the keys written to the YAML, nothing else (the schema's defaults do the rest). */
export interface NewSource {
  id: string;
  title: string;
  url: string;
}

export interface ImportPlan {
  added: NewSource[];
  skipped: { xmlUrl: string; reason: string }[];
}

type XmlObject = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => name === 'outline',
  // exporters disagree on case (xmlUrl, xmlURL, xmlurl); OPML 2.0 spells xmlUrl/htmlUrl
  transformAttributeName: (name) => name.toLowerCase(),
});

/** Reads an OPML document's subscriptions, nested folders flattened. Malformed XML is a result with line:column. */
export function parseOpml(text: string): OpmlParseResult {
  // Entity declarations are how XML bombs work; no subscription list needs them.
  if (/<!ENTITY/i.test(text)) return { ok: false, code: 'OPML_ENTITIES', message: 'the document declares XML entities (<!ENTITY>), which are refused' };
  const validity = XMLValidator.validate(text);
  if (validity !== true) {
    const { line, col, msg } = validity.err;
    return { ok: false, code: 'OPML_MALFORMED', message: `${line}:${col}: not well-formed XML: ${msg}` };
  }
  const root = (parser.parse(text) as XmlObject)['opml'] as XmlObject | undefined;
  const body = typeof root === 'object' && root !== null ? (root['body'] as XmlObject | undefined) : undefined;
  if (!root || typeof body !== 'object' || body === null) {
    return { ok: false, code: 'OPML_NOT_OPML', message: 'not an OPML document: no <opml> root with a <body>' };
  }
  const head = root['head'];
  const title = typeof head === 'object' && head !== null ? readText((head as XmlObject)['title']) : undefined;
  const feeds: OpmlFeed[] = [];
  const ignored: { text: string; reason: string }[] = [];
  const walk = (outlines: unknown, folders: string[]) => {
    if (!Array.isArray(outlines)) return;
    for (const outline of outlines as XmlObject[]) {
      if (typeof outline !== 'object' || outline === null) continue;
      const text = readText(outline['title']) ?? readText(outline['text']);
      const xmlUrl = readText(outline['xmlurl']);
      const type = readText(outline['type'])?.toLowerCase();
      if (xmlUrl) {
        feeds.push({ title: text ?? xmlUrl, xmlUrl, htmlUrl: readText(outline['htmlurl']), folders });
      } else if (type === 'include' || type === 'link') {
        ignored.push({ text: text ?? readText(outline['url']) ?? '', reason: `type="${type}" outlines are not followed` });
      }
      walk(outline['outline'], text ? [...folders, text] : folders);
    }
  };
  walk(body['outline'], []);
  return { ok: true, title, feeds, ignored };
}

function readText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'object' && value !== null && typeof (value as XmlObject)['#text'] === 'string') return readText((value as XmlObject)['#text']);
  return undefined;
}

/** `feed://` is the old subscribe scheme for http; anything but http(s) is refused (the schema would refuse it too). */
function normalizeFeedUrl(raw: string): string | undefined {
  try {
    const url = new URL(raw.replace(/^feed:(\/\/)?/i, 'http://'));
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A source id from a title: ASCII-folded, lowercase, dashes (the schema's `[a-z0-9][a-z0-9-]*`), at most 40 characters. */
export function slugifySourceId(title: string, fallback = 'feed'): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.length > 40 ? slug.slice(0, 40).replace(/-[^-]*$/, '') || slug.slice(0, 40) : slug;
  return cut.replace(/-+$/, '') || fallback;
}

/** Which feeds become sources: new URLs only (against the config and earlier outlines), with unique ids from titles. */
export function planImport(existing: readonly { id?: unknown; url?: unknown }[], feeds: readonly OpmlFeed[]): ImportPlan {
  const ids = new Set(existing.map((s) => s.id).filter((id): id is string => typeof id === 'string'));
  const urls = new Map<string, string>();
  for (const source of existing) {
    const url = typeof source.url === 'string' ? normalizeFeedUrl(source.url) : undefined;
    if (url) urls.set(url, `already the source "${String(source.id)}"`);
  }
  const plan: ImportPlan = { added: [], skipped: [] };
  for (const feed of feeds) {
    const url = normalizeFeedUrl(feed.xmlUrl);
    if (!url) {
      plan.skipped.push({ xmlUrl: feed.xmlUrl, reason: 'not an http(s) URL' });
      continue;
    }
    const known = urls.get(url);
    if (known) {
      plan.skipped.push({ xmlUrl: feed.xmlUrl, reason: known });
      continue;
    }
    const host = new URL(url).hostname.replace(/^www\./, '');
    const title = feed.title === feed.xmlUrl ? host : feed.title; // an untitled outline: name it after its host
    const stem = slugifySourceId(title, slugifySourceId(host));
    let id = stem;
    for (let n = 2; ids.has(id); n++) id = `${stem}-${n}`;
    ids.add(id);
    urls.set(url, `listed twice in the OPML (as "${id}")`);
    plan.added.push({ id, title, url });
  }
  return plan;
}

/** The column where a line's text starts at `offset`. */
function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The offset just past the line holding `offset`. */
function endOfLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

/**
 * Adds `sources` at the end of the config's `sources:` list. The text is spliced, not re-rendered: the yaml
 * Document API finds where the list ends and renders only the new entries, so every other byte (comments, spacing,
 * quoting, flow maps) stays as written. A non-empty flow list (`sources: [{…}]`) is the one shape re-rendered whole.
 */
export function insertSources(text: string, sources: readonly NewSource[], note?: string): string {
  if (sources.length === 0) return text;
  const doc = parseDocument(text);
  const entries = (indent: number, spaced: boolean) => {
    const pad = ' '.repeat(indent);
    const block = sources.map((source) => stringify([{ ...source }], { lineWidth: 0 }).trimEnd());
    const lines = [...(note ? [`# ${note}`] : []), ...block.join(spaced ? '\n\n' : '\n').split('\n')];
    return `${lines.map((line) => (line ? pad + line : line)).join('\n')}\n`;
  };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return `${text.replace(/\n*$/, text.trim() ? '\n' : '')}sources:\n${entries(2, false)}`;
  if (!isMap(root) || root.flow) throw new CommandError('import-opml: the config is not a YAML mapping of keys in block style; add the sources by hand', 2);
  const pair = root.items.find((item) => isScalar(item.key) && item.key.value === 'sources');
  if (!pair) return `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}\nsources:\n${entries(2, false)}`;
  const keyStart = (pair.key as { range?: [number, number, number] }).range?.[0] ?? 0;
  const value = pair.value;
  if (value === null || (isScalar(value) && value.value === null) || (isSeq(value) && value.flow && value.items.length === 0)) {
    // `sources:` (entries commented out), `sources: ~` or `sources: []`: drop the empty value, put the list under the key
    const [start, end] = (value as { range?: [number, number, number] } | null)?.range ?? [keyStart, keyStart];
    const lineEnd = endOfLine(text, end);
    const rest = text.slice(end, lineEnd).replace(/^[ \t]*/, (spaces) => (spaces && /\S/.test(text.slice(end, lineEnd)) ? ' ' : ''));
    const head = `${text.slice(0, start).replace(/[ \t]+$/, '')}${/^\S/.test(rest) ? ' ' : ''}${rest}`.replace(/([^\n])$/, '$1\n');
    return `${head}${entries(columnOf(text, keyStart) + 2, false)}${text.slice(lineEnd)}`;
  }
  if (isSeq(value) && !value.flow && value.items.length > 0 && value.range) {
    const indent = columnOf(text, value.range[0]);
    const last = value.items.at(-1) as { range?: [number, number, number] };
    let at = endOfLine(text, Math.max((last.range?.[1] ?? value.range[1]) - 1, 0));
    // comment lines indented under the last entry belong to it: insert after them
    for (let next = at; next < text.length; next = endOfLine(text, next)) {
      const line = text.slice(next, endOfLine(text, next));
      if (!/^\s*#/.test(line) || columnOf(text, next + line.search(/\S/)) <= indent) break;
      at = endOfLine(text, next);
    }
    const spaced = value.items.slice(1).some((item) => (item as { spaceBefore?: boolean }).spaceBefore);
    const before = text.slice(0, at).replace(/([^\n])$/, '$1\n');
    return `${before}${spaced ? '\n' : ''}${entries(indent, spaced)}${text.slice(at)}`;
  }
  if (!isSeq(value)) throw new CommandError('import-opml: `sources:` in the config is not a list', 2);
  for (const source of sources) (value as { add(node: unknown): void }).add(doc.createNode({ ...source }));
  return doc.toString();
}

/** OPML 2.0 of the url: sources (xmlUrl, title, text); path: sources are local files with no URL to subscribe to. */
export function renderSourcesOpml(sources: readonly SourceConfig[], options: { title?: string; now?: Date } = {}): { xml: string; skipped: string[] } {
  const withUrl = sources.filter((source) => source.url);
  const outlines = withUrl.map((source) => el('outline', { type: 'rss', text: source.title, title: source.title, xmlUrl: source.url }));
  const head = el('head', undefined, [textEl('title', options.title ?? 'Wiredesk sources'), textEl('dateCreated', toRfc822((options.now ?? new Date()).toISOString()))]);
  return {
    xml: renderXmlDocument(el('opml', { version: '2.0' }, [head, el('body', undefined, outlines)])),
    skipped: sources.filter((source) => !source.url).map((source) => source.id),
  };
}

/** `wiredesk export-opml`: the configured sources as OPML to stdout. */
export async function exportOpmlCommand(options: { config: string }): Promise<number> {
  const config = loadConfigOrFail(options.config);
  const { xml, skipped } = renderSourcesOpml(config.sources);
  process.stdout.write(xml);
  if (skipped.length > 0) process.stderr.write(`export-opml: left out ${skipped.length} path: source(s) with no URL: ${skipped.join(', ')}\n`);
  return 0;
}

/** `wiredesk import-opml FILE [--dry-run]`: adds the OPML's new feeds as url: sources; refuses to write an invalid config. */
export async function importOpmlCommand(options: { config: string; dryRun?: boolean }, file: string): Promise<number> {
  let opmlText: string;
  try {
    opmlText = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CommandError(`import-opml: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 2);
  }
  const parsed = parseOpml(opmlText);
  if (!parsed.ok) throw new CommandError(`${file}:${parsed.code === 'OPML_MALFORMED' ? '' : ' '}${parsed.message} [${parsed.code}]`, 2);
  let configText: string;
  try {
    configText = readFileSync(options.config, 'utf8');
  } catch (error) {
    throw new CommandError(`import-opml: cannot read the config ${options.config} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 2);
  }
  const current = parseDocument(configText).toJS() as { sources?: unknown } | null;
  const existing = Array.isArray(current?.sources) ? (current.sources as { id?: unknown; url?: unknown }[]).filter((s) => typeof s === 'object' && s !== null) : [];
  const plan = planImport(existing, parsed.feeds);
  for (const source of plan.added) print(`+ ${source.id}  ${source.url}`);
  for (const skip of plan.skipped) print(`= ${skip.xmlUrl}  (${skip.reason})`);
  for (const outline of parsed.ignored) print(`! ${outline.text}  (${outline.reason})`);
  if (plan.added.length === 0) {
    print(`${file}: ${parsed.feeds.length} feeds, none new; ${options.config} unchanged`);
    return 0;
  }
  const next = insertSources(configText, plan.added, `added by wiredesk import-opml from ${basename(file)}`);
  try {
    parseConfigText(next, options.config, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new CommandError(`import-opml: the config would not be valid, nothing written:\n${error.errors.join('\n')}`, 2);
  }
  if (options.dryRun) {
    print(`dry run: would add ${plan.added.length} of ${parsed.feeds.length} feeds to ${options.config} (nothing written)`);
    return 0;
  }
  writeFileSync(options.config, next);
  print(`added ${plan.added.length} of ${parsed.feeds.length} feeds to ${options.config} as sources`);
  return 0;
}
