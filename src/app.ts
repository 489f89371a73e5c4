// Assembles the stages around one store for a loaded config: what the daemon, the CLI commands and the evaluations share.
import { createHash } from 'node:crypto';
import type { Config, FeedConfig, SourceConfig } from './config/schema.ts';
import { createStoryResolver } from './dedupe/index.ts';
import { closeSharedFetchAgent } from './fetch/index.ts';
import { createLogger, type Logger } from './log.ts';
import type { ParsedFeed } from './model/item.ts';
import type { StoryView } from './model/story.ts';
import { ingestDocuments, type TagStage } from './pipeline/ingest.ts';
import { refreshSource, type RefreshDeps, type RefreshOutcome } from './pipeline/refresh.ts';
import { planNextCheck } from './pipeline/plan.ts';
import { relateOptionsOf } from './pipeline/relate-options.ts';
import { attachRelated, type RelateOptions, type RelateSummary } from './relate/index.ts';
import { openStore } from './store/index.ts';
import type { SourceRecord, Store, StoryQuery } from './store/types.ts';
import { createTagger } from './tag/index.ts';

export interface App {
  config: Config;
  store: Store;
  logger: Logger;
  /** The tag stage of this config (ingest and `wiredesk retag` use the same one). */
  tagger: TagStage;
  /** Runs one parsed document of a source through dedupe → tag → store, as the daemon does. */
  ingestFeed(sourceId: string, feed: ParsedFeed, now?: Date): Promise<{ itemsNew: number; itemsUpdated: number; storiesTouched: string[]; related?: RelateSummary }>;
  /** Fetches (or reads) one source now and stores what is new. */
  refresh(sourceId: string, options?: { force?: boolean; signal?: AbortSignal; now?: Date }): Promise<RefreshOutcome>;
  /** Stories, newest first, as publishers see them; `feedId` applies that curated feed's filter and limit. */
  stories(query?: { limit?: number; feedId?: string }): Promise<StoryView[]>;
  /** Stories of one curated feed, by its filter. */
  feedStories(feed: FeedConfig, now?: Date): Promise<StoryView[]>;
  /** The newest stories carrying `tag` (the per-tag feeds). */
  tagStories(tag: string, limit: number): Promise<StoryView[]>;
  source(sourceId: string): SourceConfig;
  close(): Promise<void>;
}

/** Tag feeds (DESIGN.md, Output) list 5 related posts per story. */
const TAG_FEED_RELATED = 5;

/** The store's record of a configured source (defaults already applied by the schema), with a hash of its config to notice edits. */
export function toSourceRecord(source: SourceConfig): SourceRecord {
  return {
    id: source.id,
    title: source.title,
    attribution: source.attribution,
    priority: source.priority,
    republish: source.republish,
    url: source.url,
    path: source.path,
    configHash: createHash('sha256')
      .update(JSON.stringify({ url: source.url, path: source.path, headers: source.headers }))
      .digest('hex')
      .slice(0, 16),
  };
}

/** The store query of a curated feed's filter at `now`. */
export function feedQuery(feed: FeedConfig, now: Date): StoryQuery {
  const { filter } = feed;
  return {
    tagsAny: filter.tags_any,
    tagsAll: filter.tags_all,
    excludeTags: filter.exclude_tags,
    sources: filter.sources,
    query: filter.query,
    since: filter.max_age === null ? null : new Date(now.getTime() - filter.max_age).toISOString(),
    limit: feed.limit,
  };
}

/**
 * Opens the store (or takes `options.store`, on a config reload) and assembles the stages for `config`.
 * `close()` closes the store only when this app opened it.
 */
/** `relate` overrides relate-stage options beyond the config's (evaluation and tuning scripts). */
export async function openApp(
  config: Config,
  options: { logger?: Logger; store?: Store; relate?: Partial<RelateOptions> } = {},
): Promise<App> {
  const relateOptions = { ...relateOptionsOf(config), ...options.relate };
  const logger = options.logger ?? createLogger(config.log.level);
  const store = options.store ?? (await openStore(config.database));
  await store.setSizeLimit(config.database_max_size);
  await store.syncSources(config.sources.map(toSourceRecord));
  const tagger: TagStage = createTagger(config.tagging);
  const resolver = createStoryResolver(config.dedupe);
  const sources = new Map(config.sources.map((source) => [source.id, source]));
  const deps: RefreshDeps = {
    store,
    resolver,
    tagger,
    logger,
    config,
    dedupeWindowMs: config.dedupe.window,
    relate: relateOptions,
    planNext: (input) => planNextCheck(config, store, input),
  };

  const source = (sourceId: string): SourceConfig => {
    const found = sources.get(sourceId);
    if (!found) throw new Error(`unknown source "${sourceId}" (configured: ${[...sources.keys()].join(', ') || 'none'})`);
    return found;
  };

  return {
    config,
    store,
    logger,
    tagger,
    source,
    async ingestFeed(sourceId, feed, now = new Date()) {
      return ingestDocuments(deps, source(sourceId), [feed], now);
    },
    refresh(sourceId, refreshOptions = {}) {
      return refreshSource(deps, source(sourceId), refreshOptions);
    },
    async feedStories(feed, now = new Date()) {
      const { limit: _limit, ...scope } = feedQuery(feed, now);
      const views = await store.queryStories(feedQuery(feed, now));
      return attachRelated(store, views, { limit: feed.related, scope: feed.related_scope === 'feed' ? scope : undefined }, relateOptions);
    },
    async tagStories(tag, limit) {
      const views = await store.queryStories({ tagsAll: [tag], limit });
      return attachRelated(store, views, { limit: TAG_FEED_RELATED, scope: { tagsAll: [tag] } }, relateOptions);
    },
    async stories(query = {}) {
      if (query.feedId) {
        const feed = config.feeds.find((f) => f.id === query.feedId);
        if (!feed) throw new Error(`unknown feed "${query.feedId}"`);
        return store.queryStories({ ...feedQuery(feed, new Date()), limit: query.limit ?? feed.limit });
      }
      return store.queryStories({ limit: query.limit ?? 50 });
    },
    close: async () => {
      await closeSharedFetchAgent(config.fetch);
      if (!options.store) await store.close();
    },
  };
}
