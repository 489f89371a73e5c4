// Retention pass: purges stories older than retention.days (or a source's retention_days) in small batches, keeping every story a curated feed still lists.
import type { App } from '../app.ts';

const DAY_MS = 86_400_000;
const BATCH = 200;

/** Purges what is old; returns how many stories went. Yields between batches so that the server keeps answering. */
export async function runRetention(app: App, now = new Date()): Promise<number> {
  const { config, store } = app;
  const keep = new Set<string>();
  for (const feed of config.feeds) {
    for (const story of await app.feedStories(feed, now)) keep.add(story.id);
  }
  const cutoff = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const sourceCutoffs: Record<string, string> = {};
  for (const source of config.sources) {
    if (source.retention_days !== undefined) sourceCutoffs[source.id] = cutoff(source.retention_days);
  }
  let purged = 0;
  for (;;) {
    const ids = await store.purgeBatch({ now, defaultCutoff: cutoff(config.retention.days), sourceCutoffs, keep, batchSize: BATCH });
    purged += ids.length;
    if (ids.length < BATCH) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (purged > 0) app.logger.info({ stories_purged: purged, kept_listed: keep.size }, 'retention purged old stories');
  return purged;
}
