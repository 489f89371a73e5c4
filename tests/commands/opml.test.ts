// import-opml and export-opml: nested outlines, duplicates, unique ids, byte-for-byte YAML edits, refusals, round trip.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.ts';
import { insertSources, parseOpml, planImport, slugifySourceId } from '../../src/commands/opml.ts';
import { parseConfigText } from '../../src/config/load.ts';

const FIXTURES = resolve(import.meta.dirname, 'fixtures/opml');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** Runs the CLI in-process, capturing what it prints. */
async function runCli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('parseOpml', () => {
  it('flattens nested folders and reads xmlUrl in any letter case', () => {
    const result = parseOpml(fixture('nested.opml'));
    if (!result.ok) throw new Error(result.message);
    expect(result.title).toBe('My subscriptions');
    expect(result.feeds.map((f) => [f.title, f.xmlUrl, f.folders.join('/')])).toEqual([
      ['World News', 'https://wire.example/world.rss', 'News/World'],
      ['World News', 'https://other.example/world/feed.xml', 'News/World'],
      ['Andes Daily', 'HTTPS://ANDES.EXAMPLE/feed.json', 'News/World'],
      ['Lab & Orbit — Ciência', 'https://lab.example/atom.xml', 'News/Science & Tech'],
      ['Duplicate of world', 'https://wire.example/world.rss', 'News/Science & Tech'],
      ['Old style', 'feed://legacy.example/rss', ''],
      ['Not a web feed', 'ftp://files.example/feed.xml', ''],
      ['https://www.untitled.example/rss', 'https://www.untitled.example/rss', ''],
    ]);
    expect(result.feeds[0]?.htmlUrl).toBe('https://wire.example/');
    expect(result.ignored.map((i) => i.text)).toEqual(['More lists', 'A web page']);
  });

  it.each([
    ['broken.opml', 'OPML_MALFORMED', /^7:3: not well-formed XML: Expected closing tag 'outline'/],
    ['not-opml.xml', 'OPML_NOT_OPML', /no <opml> root/],
  ])('refuses %s with %s', (name, code, message) => {
    const result = parseOpml(fixture(name));
    expect(result).toMatchObject({ ok: false, code });
    expect(result.ok ? '' : result.message).toMatch(message);
  });

  it('refuses entity declarations (XML bombs)', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><opml version="2.0"><body><outline text="&b;" xmlUrl="https://a.example/"/></body></opml>';
    expect(parseOpml(bomb)).toMatchObject({ ok: false, code: 'OPML_ENTITIES' });
  });
});

describe('planImport', () => {
  it('adds new http(s) feeds with unique ids from titles and skips known or repeated URLs', () => {
    const parsed = parseOpml(fixture('nested.opml'));
    if (!parsed.ok) throw new Error(parsed.message);
    const existing = [{ id: 'andes-daily', url: 'https://andes.example/feed.json' }, { id: 'world-news', path: 'x' }];
    const plan = planImport(existing, parsed.feeds);
    expect(plan.added).toEqual([
      { id: 'world-news-2', title: 'World News', url: 'https://wire.example/world.rss' },
      { id: 'world-news-3', title: 'World News', url: 'https://other.example/world/feed.xml' },
      { id: 'lab-and-orbit-ciencia', title: 'Lab & Orbit — Ciência', url: 'https://lab.example/atom.xml' },
      { id: 'old-style', title: 'Old style', url: 'http://legacy.example/rss' },
      { id: 'untitled-example', title: 'untitled.example', url: 'https://www.untitled.example/rss' },
    ]);
    expect(plan.skipped).toEqual([
      { xmlUrl: 'HTTPS://ANDES.EXAMPLE/feed.json', reason: 'already the source "andes-daily"' },
      { xmlUrl: 'https://wire.example/world.rss', reason: 'listed twice in the OPML (as "world-news-2")' },
      { xmlUrl: 'ftp://files.example/feed.xml', reason: 'not an http(s) URL' },
    ]);
  });

  it.each([
    ['Reuters: World News', 'reuters-world-news'],
    ['  ¡Última Hora!  ', 'ultima-hora'],
    ['日本のニュース', 'feed'],
    ['A very long feed title that goes on and on past forty characters', 'a-very-long-feed-title-that-goes-on-and'],
  ])('slugifySourceId(%j) is %j', (title, id) => {
    expect(slugifySourceId(title)).toBe(id);
    expect(id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
  });
});

describe('insertSources', () => {
  const added = [{ id: 'new-wire', title: 'New: "wire" & co', url: 'https://new.example/rss?a=1&b=2' }];
  const entry = "  # added by a test\n  - id: new-wire\n    title: 'New: \"wire\" & co'\n    url: https://new.example/rss?a=1&b=2\n";

  it('inserts into a block list without touching any other byte', () => {
    const before = fixture('wiredesk.yaml');
    const after = insertSources(before, added, 'added by a test');
    const at = after.indexOf(entry);
    expect(at).toBeGreaterThan(0);
    expect(after.slice(0, at) + after.slice(at + entry.length)).toBe(before.replace('last source\n\n', 'last source\n\n\n'));
    expect(parseConfigText(after, 'test.yaml', {}).sources.at(-1)).toEqual(expect.objectContaining(added[0]));
  });

  it.each([
    ['`sources:` with its entries commented out', 'server: { port: 0 }\nsources:\n#  - id: a\n#    url: https://a.example/\nfeeds: []\n', `server: { port: 0 }\nsources:\n${entry}#  - id: a\n#    url: https://a.example/\nfeeds: []\n`],
    ['`sources: []`', 'server:\n  port: 0\nsources: [] # none yet\nfeeds: []\n', `server:\n  port: 0\nsources: # none yet\n${entry}feeds: []\n`],
    ['`sources: ~`', 'sources: ~\n', `sources:\n${entry}`],
    ['no sources key', '# only a comment\nserver:\n  port: 0\n', `# only a comment\nserver:\n  port: 0\n\nsources:\n${entry}`],
    ['an empty file', '', `sources:\n${entry}`],
  ])('fills %s', (_, before, expected) => {
    const after = insertSources(before, added, 'added by a test');
    expect(after).toBe(expected);
    expect(parseConfigText(after, 'test.yaml', {}).sources.at(-1)).toEqual(expect.objectContaining(added[0]));
  });

  it('puts new entries after the last entry and its own comments, spaced like the others', () => {
    const after = insertSources(fixture('wiredesk.yaml'), added);
    expect(after).toContain(
      '    # a comment that belongs to the last source\n\n  - id: new-wire\n    title: \'New: "wire" & co\'\n    url: https://new.example/rss?a=1&b=2\n\n# Curated feeds.',
    );
  });

  it('re-renders a non-empty flow list (the one shape it cannot splice)', () => {
    const after = insertSources('sources: [{ id: a, url: "https://a.example/" }] # kept\n', added);
    expect(parseConfigText(after, 'test.yaml', {}).sources.map((s) => s.id)).toEqual(['a', 'new-wire']);
  });
});

describe('wiredesk import-opml / export-opml', () => {
  let dir: string;
  let configPath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wiredesk-opml-'));
    configPath = join(dir, 'wiredesk.yaml');
    copyFileSync(join(FIXTURES, 'wiredesk.yaml'), configPath);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds the new feeds, keeps comments, and a second import adds nothing', async () => {
    const before = readFileSync(configPath, 'utf8');
    const first = await runCli(['import-opml', join(FIXTURES, 'nested.opml'), '--config', configPath]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('+ lab-and-orbit-ciencia  https://lab.example/atom.xml');
    expect(first.stdout).toContain('= HTTPS://ANDES.EXAMPLE/feed.json  (already the source "andes-daily")');
    expect(first.stdout).toContain('! More lists  (type="include" outlines are not followed)');
    expect(first.stdout).toContain('added 5 of 8 feeds');
    const after = readFileSync(configPath, 'utf8');
    expect(after.startsWith(before.slice(0, before.indexOf('\n# Curated feeds.')))).toBe(true);
    expect(after).toContain('# added by wiredesk import-opml from nested.opml');
    expect(after.endsWith(before.slice(before.indexOf('\n# Curated feeds.')))).toBe(true);
    expect(parseConfigText(after, configPath, {}).sources).toHaveLength(7);

    const second = await runCli(['import-opml', join(FIXTURES, 'nested.opml'), '--config', configPath]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('none new');
    expect(readFileSync(configPath, 'utf8')).toBe(after);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const before = readFileSync(configPath, 'utf8');
    const result = await runCli(['import-opml', join(FIXTURES, 'nested.opml'), '--dry-run', '--config', configPath]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dry run: would add 5 of 8 feeds');
    expect(readFileSync(configPath, 'utf8')).toBe(before);
  });

  it('names the file, line and column of malformed XML and changes nothing', async () => {
    const before = readFileSync(configPath, 'utf8');
    const result = await runCli(['import-opml', join(FIXTURES, 'broken.opml'), '--config', configPath]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.opml:7:3: not well-formed XML: .*\[OPML_MALFORMED\]/);
    expect(readFileSync(configPath, 'utf8')).toBe(before);
  });

  it('refuses to write a config that would not validate', async () => {
    writeFileSync(configPath, `${readFileSync(configPath, 'utf8')}\nschedule: { every: soon }\n`);
    const before = readFileSync(configPath, 'utf8');
    const result = await runCli(['import-opml', join(FIXTURES, 'nested.opml'), '--config', configPath]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nothing written');
    expect(result.stderr).toMatch(/wiredesk\.yaml:\d+:\d+ schedule\.every: "soon" is not a duration/);
    expect(readFileSync(configPath, 'utf8')).toBe(before);
  });

  it('exports url: sources as OPML 2.0 that imports back to the same URLs', async () => {
    await runCli(['import-opml', join(FIXTURES, 'nested.opml'), '--config', configPath]);
    const exported = await runCli(['export-opml', '--config', configPath]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain('left out 1 path: source(s) with no URL: world-news');
    const parsed = parseOpml(exported.stdout);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(exported.stdout).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<opml version="2.0">/);
    expect(parsed.feeds.map((f) => f.xmlUrl)).toEqual([
      'https://andes.example/feed.json',
      'https://wire.example/world.rss',
      'https://other.example/world/feed.xml',
      'https://lab.example/atom.xml',
      'http://legacy.example/rss',
      'https://www.untitled.example/rss',
    ]);
    expect(parsed.feeds.find((f) => f.xmlUrl.includes('lab.example'))?.title).toBe('Lab & Orbit — Ciência');

    const empty = join(dir, 'empty.yaml');
    const opml = join(dir, 'out.opml');
    writeFileSync(empty, '# nothing yet\n');
    writeFileSync(opml, exported.stdout);
    expect((await runCli(['import-opml', opml, '--config', empty])).code).toBe(0);
    const roundTrip = parseConfigText(readFileSync(empty, 'utf8'), empty, {});
    expect(roundTrip.sources.map((s) => s.url)).toEqual(parsed.feeds.map((f) => f.xmlUrl));
    expect(roundTrip.sources.map((s) => s.title)).toEqual(parsed.feeds.map((f) => f.title));
  });
});
