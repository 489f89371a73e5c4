// Related posts through the whole pipeline on the bundled sample wire: computed after each batch, scoped per feed.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app.ts';
import { loadConfigFile } from '../../src/config/load.ts';
import { validateConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/log.ts';

describe('related posts on the sample wire', () => {
  let app: App;
  beforeAll(async () => {
    const shipped = loadConfigFile('config/wiredesk.yaml', {});
    const config = validateConfig({
      database: ':memory:',
      sources: shipped.sources.map((s) => ({ id: s.id, path: s.path, title: s.title, attribution: s.attribution, priority: s.priority })),
      tagging: { rules: shipped.tagging.rules.map((r) => ({ ...r })) },
      feeds: [
        { id: 'all', title: 'All', related: 3, related_scope: 'all' },
        { id: 'latam', title: 'Latam', filter: { tags_any: ['place:Colombia', 'place:Venezuela', 'place:Peru'] }, related: 5 },
        { id: 'quiet', title: 'No related', related: 0 },
        { id: 'peso', title: 'Peso', filter: { query: 'peso OR "coca crops"' } },
        { id: 'oil', title: 'Oil, not Venezuela', filter: { query: 'oil -venezuela' } },
      ],
    });
    app = await openApp(config, { logger: silentLogger() });
    for (const source of config.sources) await app.refresh(source.id);
  }, 60_000);
  afterAll(() => app.close());

  const feed = (id: string) => app.feedStories(app.config.feeds.find((f) => f.id === id)!);

  it('lists other stories, never the story itself or its versions and copies, at most N', async () => {
    const stories = await feed('all');
    const withRelated = stories.filter((s) => s.related.length > 0);
    expect(withRelated.length).toBeGreaterThan(stories.length / 2);
    for (const story of stories) {
      expect(story.related.length).toBeLessThanOrEqual(3);
      const own = new Set([story.shown.link, ...story.versions.map((v) => v.url), ...story.alsoReportedBy.map((c) => c.url)]);
      for (const related of story.related) {
        expect(related.id).not.toBe(story.id);
        expect(own.has(related.url)).toBe(false);
        expect(related.score).toBeGreaterThan(0);
      }
    }
  });

  it("filters a feed by its full-text query (words, phrases, OR, -word)", async () => {
    const peso = (await feed('peso')).map((s) => s.shown.title);
    expect(peso.some((t) => t.includes('peso'))).toBe(true);
    expect(peso.some((t) => t.includes('coca crops'))).toBe(true);
    expect(peso.length).toBeLessThan((await feed('all')).length);
    const oil = (await feed('oil')).map((s) => s.shown.title);
    expect(oil.length).toBeGreaterThan(0);
    expect(oil.every((t) => !/venezuela/i.test(t))).toBe(true);
  });

  it('keeps related posts inside the feed by default (related_scope: feed), and related: 0 turns them off', async () => {
    const latam = await feed('latam');
    const ids = new Set((await app.store.queryStories({ limit: 500, tagsAny: ['place:Colombia', 'place:Venezuela', 'place:Peru'] })).map((s) => s.id));
    const peso = latam.find((s) => s.shown.title.startsWith('Colombian peso'));
    expect(peso?.related.length).toBeGreaterThan(0);
    for (const story of latam) for (const related of story.related) expect(ids.has(related.id)).toBe(true);
    expect((await feed('quiet')).every((s) => s.related.length === 0)).toBe(true);
  });
});

describe('related: settings from the config', () => {
  it('max_refresh bounds how many older stories a stored batch re-scores', async () => {
    const { parseFeed } = await import('../../src/parse/index.ts');
    const { readFileSync, readdirSync } = await import('node:fs');
    const files = readdirSync('config/sample-wire/northwire-world').map((f) => `config/sample-wire/northwire-world/${f}`);
    const feeds = files.map((f) => parseFeed(readFileSync(f)));
    const run = async (related: Record<string, unknown>) => {
      const config = validateConfig({ database: ':memory:', sources: [{ id: 'w', path: 'config/sample-wire/northwire-world' }, { id: 'm', path: 'config/sample-wire/northwire-markets.xml' }], related });
      const app = await openApp(config, { logger: silentLogger() });
      await app.ingestFeed('m', parseFeed(readFileSync('config/sample-wire/northwire-markets.xml')));
      let refreshed = 0;
      for (const feed of feeds) refreshed += (await app.ingestFeed('w', feed)).related?.refreshed ?? 0;
      await app.close();
      return refreshed;
    };
    expect(await run({})).toBeGreaterThan(0);
    expect(await run({ max_refresh: 0 })).toBe(0);
  });
});

describe('the subject space through the pipeline', () => {
  it('is fitted once the store holds enough stories, says so in the log, and scores related posts with it', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write(chunk, _encoding, done) { lines.push(JSON.parse(String(chunk)) as Record<string, unknown>); done(); } });
    const shipped = loadConfigFile('config/wiredesk.yaml', {});
    const config = validateConfig({
      database: ':memory:',
      sources: shipped.sources.map((s) => ({ id: s.id, path: s.path, title: s.title, attribution: s.attribution, priority: s.priority })),
      feeds: [{ id: 'all', title: 'All', related: 3, related_scope: 'all' }],
    });
    // the sample wire has a few dozen stories: a first fit at 20 (the default, 200, is for real stores)
    const app = await openApp(config, { logger: pino({ level: 'info' }, sink), relate: { subjectMinStories: 20, subjectDims: 4 } });
    try {
      for (const source of config.sources) await app.refresh(source.id);
      const refits = lines.filter((line) => line.msg === 'related posts: subject space refitted');
      expect(refits.length).toBeGreaterThan(0);
      expect(refits[0]).toMatchObject({ level: 30, subject_version: 1, source_id: expect.any(String) });
      expect((await app.store.subjectModelInfo())?.dims).toBe(4);
      const stories = await app.feedStories(app.config.feeds[0]!);
      const ids = stories.filter((s) => s.related.length > 0).map((s) => s.id);
      const explained = await app.store.getRelated(ids);
      expect([...explained.values()].flat().some((r) => r.parts.subject !== undefined)).toBe(true);
    } finally {
      await app.close();
    }
  }, 60_000);
});
