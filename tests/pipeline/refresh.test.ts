// One source through the whole pipeline (local path sources): change detection, error recording, nothing stored is lost.
import { mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app.ts';
import { validateConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/log.ts';
import { retagItems } from '../../src/pipeline/retag.ts';

const rss = (titles: string[]) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Drop</title><link>https://drop.example/</link><description>d</description>
${titles.map((t, i) => `<item><title>${t}</title><link>https://drop.example/${i}</link><guid>drop-${i}</guid><pubDate>Tue, 24 Nov 2026 0${i}:00:00 GMT</pubDate><description>Body of ${t}.</description></item>`).join('')}
</channel></rss>`;

describe('refreshing a path: source', () => {
  let dir: string;
  let app: App;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wiredesk-refresh-'));
    writeFileSync(join(dir, 'a.xml'), rss(['Flood warning issued for river towns', 'Rail strike called off after late deal']));
    writeFileSync(join(dir, 'notes.txt'), 'not a feed');
    const config = validateConfig({ database: ':memory:', sources: [{ id: 'drop', path: dir }], feeds: [{ id: 'all', title: 'All' }] });
    app = await openApp(config, { logger: silentLogger() });
  });
  afterEach(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a folder of feed files, and an unchanged folder is a no-op like a 304', async () => {
    const first = await app.refresh('drop');
    expect(first).toMatchObject({ ok: true, notModified: false, itemsSeen: 2, itemsNew: 2 });
    const second = await app.refresh('drop');
    expect(second).toMatchObject({ ok: true, notModified: true, itemsNew: 0 });
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'B', items: [{ id: 'b1', url: 'https://b.example/1', title: 'Bridge reopens', content_text: 'Traffic flows again.' }] }));
    const third = await app.refresh('drop');
    expect(third).toMatchObject({ ok: true, notModified: false, itemsSeen: 3, itemsNew: 1 });
    const state = await app.store.getSourceState('drop');
    expect(state).toMatchObject({ consecutiveErrors: 0, isFailing: false });
    expect(state?.nextCheckAt).toBeDefined();
  });

  it('records a broken document as a coded error, backs off, and keeps what was stored', async () => {
    await app.refresh('drop');
    writeFileSync(join(dir, 'a.xml'), '<html><body><h1>502 Bad Gateway</h1></body></html>');
    const later = new Date(Date.now() + 1000);
    utimesSync(join(dir, 'a.xml'), later, later);
    const outcome = await app.refresh('drop');
    expect(outcome.ok).toBe(false);
    expect(outcome.errorCode).toMatch(/^PARSE_/);
    expect(outcome.errorMessage).toBeTruthy();
    const state = await app.store.getSourceState('drop');
    expect(state).toMatchObject({ consecutiveErrors: 1, lastErrorCode: outcome.errorCode });
    expect(Date.parse(state?.nextCheckAt ?? '')).toBeGreaterThan(Date.now());
    expect((await app.stories()).map((s) => s.shown.title).sort()).toEqual(['Flood warning issued for river towns', 'Rail strike called off after late deal']);
  });

  it('a re-read with the same items writes nothing (only new or changed items go through dedupe, tags and the store)', async () => {
    await app.refresh('drop');
    const before = await app.store.lastChange();
    const later = new Date(Date.now() + 2000);
    utimesSync(join(dir, 'a.xml'), later, later); // the folder's stamp changes, its items do not
    const again = await app.refresh('drop', { now: new Date(Date.now() + 60_000) });
    expect(again).toMatchObject({ ok: true, notModified: false, itemsSeen: 2, itemsNew: 0, itemsUpdated: 0 });
    expect(await app.store.lastChange()).toBe(before);
  });

  it('in a folder, a file that does not parse is skipped by name and the others are stored', async () => {
    writeFileSync(join(dir, 'broken.xml'), 'Service Unavailable');
    const outcome = await app.refresh('drop');
    expect(outcome).toMatchObject({ ok: true, itemsNew: 2 });
  });

  it('a missing path is an error that names the path', async () => {
    rmSync(dir, { recursive: true, force: true });
    const outcome = await app.refresh('drop');
    expect(outcome.ok).toBe(false);
    expect(outcome.errorMessage).toContain(dir);
  });
});

describe('re-tagging stored items', () => {
  it('applies a new rule to stored stories and marks them changed, so outputs re-render', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wiredesk-retag-'));
    try {
      writeFileSync(join(dir, 'a.xml'), rss(['Cocaine seizure at the port', 'Council passes budget']));
      const base = { database: join(dir, 'db.sqlite'), sources: [{ id: 'drop', path: dir }] };
      const first = await openApp(validateConfig(base), { logger: silentLogger() });
      await first.refresh('drop');
      const before = await first.store.lastChange();
      expect((await first.stories()).flatMap((s) => s.tags)).not.toContain('topic:drugs');
      await first.close();
      const withRule = validateConfig({ ...base, tagging: { rules: [{ tag: 'topic:drugs', any: ['cocaine'] }] } });
      const second = await openApp(withRule, { logger: silentLogger() });
      const progress: number[] = [];
      const result = await retagItems(second, { now: new Date(Date.now() + 1000), onProgress: (done) => progress.push(done) });
      expect(result).toEqual({ items: 2, storiesChanged: 1 });
      expect(progress.at(-1)).toBe(2);
      const drugs = await second.store.queryStories({ limit: 5, tagsAny: ['topic:drugs'] });
      expect(drugs.map((s) => s.shown.title)).toEqual(['Cocaine seizure at the port']);
      expect(await second.store.itemTagOrigins(drugs[0]!.shown.id)).toContainEqual({ tag: 'topic:drugs', origin: 'rule:topic:drugs#1' });
      expect((await second.store.lastChange())! > before!).toBe(true);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
