// The shipped configs validate (against zod and the JSON Schema), and the bundled sample wire is what the README says.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.ts';
import { renderConfigJsonSchema } from '../../src/config/json-schema.ts';
import { parseFeed } from '../../src/parse/index.ts';
import type { ParsedFeed } from '../../src/model/item.ts';

const SHIPPED = ['config/wiredesk.yaml', 'config/sources.example.yaml'];

describe('shipped configs', () => {
  it.each(SHIPPED)('%s validates', (file) => {
    const config = loadConfigFile(file, {});
    expect(config.sources.length).toBeGreaterThan(0);
    expect(config.feeds.length).toBeGreaterThan(0);
  });

  it.each(SHIPPED)('%s validates against the JSON Schema for editors', (file) => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(renderConfigJsonSchema()) as object);
    const isValid = validate(parseYaml(readFileSync(file, 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('the JSON Schema rejects an unknown key, as the loader does', () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(renderConfigJsonSchema()) as object);
    expect(validate({ sources: [{ id: 'a', url: 'https://e.org/', evry: '5m' }] })).toBe(false);
  });

  it('config/wiredesk.yaml reads only the bundled sample wire, with at least 5 sources, and every path exists', () => {
    const config = loadConfigFile('config/wiredesk.yaml', {});
    expect(config.sources.length).toBeGreaterThanOrEqual(5);
    for (const source of config.sources) {
      expect(source.url).toBeUndefined();
      expect(source.path?.startsWith('config/sample-wire/')).toBe(true);
      expect(existsSync(source.path as string)).toBe(true);
    }
  });

  it('config/sources.example.yaml holds only url: sources', () => {
    const config = loadConfigFile('config/sources.example.yaml', {});
    for (const source of config.sources) expect(source.url).toMatch(/^https:\/\//);
  });
});

/** Every document of every source of the shipped config, parsed by the project's parser. */
function readSampleWire(): Map<string, ParsedFeed[]> {
  const config = loadConfigFile('config/wiredesk.yaml', {});
  const bySource = new Map<string, ParsedFeed[]>();
  for (const source of config.sources) {
    const path = source.path as string;
    const files = statSync(path).isDirectory() ? readdirSync(path).sort().map((name) => join(path, name)) : [path];
    bySource.set(
      source.id,
      files.map((file) => parseFeed(readFileSync(file), { baseUrl: `file://${file}` })),
    );
  }
  return bySource;
}

describe('the sample wire', () => {
  const wire = readSampleWire();
  const items = [...wire.values()].flat().flatMap((feed) => feed.items);
  const titles = items.map((item) => item.title);

  it('covers RSS 2.0, Atom 1.0 and JSON Feed 1.1, one source being a folder of several files', () => {
    const formats = new Set([...wire.values()].flat().map((feed) => `${feed.format} ${feed.version}`));
    expect(formats).toEqual(new Set(['rss 2.0', 'atom atom10', 'json json1.1']));
    expect(Math.max(...[...wire.values()].map((feeds) => feeds.length))).toBeGreaterThanOrEqual(2);
    for (const feed of [...wire.values()].flat()) expect(feed.warnings).toEqual([]);
  });

  it('holds about 40 stories dated 21-25 November 2026, each with a title, link and date', () => {
    expect(items.length).toBeGreaterThanOrEqual(40);
    for (const item of items) {
      expect(item.title).not.toBe('');
      expect(item.link).toMatch(/^https:\/\/[a-z.]+\.example\//);
      expect(item.published! >= '2026-11-21T00:00:00Z' && item.published! < '2026-11-26T00:00:00Z').toBe(true);
    }
  });

  it('has refiles, updates, corrections and a kill notice of the same wire stories', () => {
    for (const prefix of ['UPDATE 1-', 'REFILE-', 'CORRECTED-', 'KILL-']) {
      const version = items.find((item) => item.title.startsWith(prefix));
      expect(version, prefix).toBeDefined();
      const original = items.find((item) => item !== version && item.link === version?.link && !/^[A-Z ]+\d?-/.test(item.title));
      expect(original, `original of ${prefix}`).toBeDefined();
    }
  });

  it('has copies republished with tracking parameters and through an AMP link', () => {
    expect(items.some((item) => /[?&]utm_source=/.test(item.link ?? '') && item.link?.includes('northwire.example'))).toBe(true);
    expect(items.some((item) => /[?&]fbclid=/.test(item.link ?? ''))).toBe(true);
    expect(items.some((item) => item.link?.startsWith('https://www.northwire.example/amp/'))).toBe(true);
  });

  it('has authors, categories, enclosures, images and HTML with images and links', () => {
    expect(items.filter((item) => item.author).length).toBe(items.length);
    expect(items.every((item) => item.categories.length > 0)).toBe(true);
    expect(items.some((item) => item.enclosures.some((enclosure) => enclosure.type === 'audio/mpeg'))).toBe(true);
    expect(items.some((item) => item.image)).toBe(true);
    expect(items.some((item) => /<img [^>]*src="https:/.test(item.contentHtml ?? ''))).toBe(true);
    expect(items.some((item) => /<a [^>]*href="https:/.test(item.contentHtml ?? ''))).toBe(true);
  });

  it('carries a hostile item that sanitizing cleans', () => {
    const raw = readFileSync('config/sample-wire/meridian-post.atom', 'utf8');
    expect(raw).toContain('onerror=');
    const hostile = items.find((item) => item.title.startsWith('Spacecraft watches a comet'));
    expect(hostile?.contentHtml).toContain('<img');
    expect(hostile?.contentHtml).not.toMatch(/onerror|<script|javascript:|style=/i);
  });

  it('covers Latin America, markets, central banks, energy and sport', () => {
    for (const word of [/Colombia/, /Venezuela/, /Fed |ECB|central bank/i, /OPEC/, /profit/i, /Davis Cup|Springboks/]) {
      expect(titles.some((title) => word.test(title)), String(word)).toBe(true);
    }
  });
});
