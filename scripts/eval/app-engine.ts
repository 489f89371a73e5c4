// Runs the evaluation corpus through the real pipeline (openApp + ingestFeed) once src/app.ts exists.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ParsedFeed } from '../../src/model/item.ts';
import type { StoryView } from '../../src/model/story.ts';
import { ingestInPolls } from './run-corpus.ts';
import { OUTLETS, WIRE, type EvalItem } from './dedup-corpus.ts';

interface AppLike {
  ingestFeed(sourceId: string, feed: ParsedFeed, now?: Date): Promise<unknown>;
  stories(query?: { limit?: number }): Promise<StoryView[]>;
  close(): Promise<void>;
}

/** Story id per corpus item through openApp, or undefined (with the reason printed) when the app cannot run. */
export async function runThroughApp(items: EvalItem[], thresholds: { window: number; text_threshold: number; title_threshold: number }): Promise<{ predicted: string[] } | undefined> {
  const root = resolve(import.meta.dirname, '../..');
  const appPath = resolve(root, 'src/app.ts');
  const loadPath = resolve(root, 'src/config/load.ts');
  if (!existsSync(appPath) || !existsSync(loadPath)) {
    console.log('\n(real pipeline skipped: src/app.ts or src/config/load.ts does not exist yet)');
    return undefined;
  }
  let app: AppLike | undefined;
  try {
    const { openApp } = (await import(pathToFileURL(appPath).href)) as { openApp: (config: unknown, options?: unknown) => Promise<AppLike> };
    const { validateConfig } = (await import(pathToFileURL(loadPath).href)) as { validateConfig: (input: unknown) => unknown };
    const config = validateConfig({
      database: ':memory:',
      log: { level: 'silent' },
      dedupe: { window: `${Math.round(thresholds.window / 3_600_000)}h`, text_threshold: thresholds.text_threshold, title_threshold: thresholds.title_threshold },
      sources: [WIRE, ...OUTLETS].map((s) => ({ id: s.id, title: s.attribution, attribution: s.attribution, path: `eval/${s.id}.xml` })),
      tagging: { entities: false },
    });
    app = await openApp(config, {});
    const opened = app;
    await ingestInPolls(items.map((e) => ({ sourceId: e.source.id, attribution: e.source.attribution, item: e.item })), {
      async ingest(source, batch, now) {
        await opened.ingestFeed(source.id, { format: 'rss', items: batch, warnings: [] }, now);
      },
    });
    const storyByUrl = new Map<string, string>();
    for (const story of await app.stories({ limit: 1_000_000 })) {
      for (const url of [story.shown.link, ...story.versions.map((v) => v.url), ...story.alsoReportedBy.map((v) => v.url)]) {
        if (url) storyByUrl.set(url, story.id);
      }
    }
    return { predicted: items.map((e, i) => storyByUrl.get(e.item.link ?? '') ?? `unlisted-${i}`) };
  } catch (error) {
    console.log(`\n(real pipeline failed: ${(error as Error).stack ?? String(error)})`);
    return undefined;
  } finally {
    await app?.close();
  }
}
