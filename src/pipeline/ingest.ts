// Takes parsed documents of one source through dedupe keys and tagging into one store transaction.
import type { SourceConfig } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { ParsedFeed } from '../model/item.ts';
import type { PreparedItem, StoryResolver } from '../model/story.ts';
import type { Tagger } from '../tag/index.ts';
import type { IngestResult, Store } from '../store/types.ts';
import { identifyItems, prepareItems } from '../dedupe/index.ts';
import { htmlToText } from '../parse/sanitize.ts';
import { refreshRelated, type RelateOptions, type RelateSummary } from '../relate/index.ts';

/** The tag stage as the pipeline sees it (the pipeline may combine stages; `explain` is optional for stand-ins). */
export type TagStage = Pick<Tagger, 'tag'> & Partial<Pick<Tagger, 'explain'>>;

export interface IngestDeps {
  store: Store;
  resolver: StoryResolver;
  tagger: TagStage;
  logger: Logger;
  dedupeWindowMs: number;
  /** The relate stage's settings from `related:` in the config. */
  relate?: Partial<RelateOptions>;
}

/** Dedupe keys and tags for every item of the documents, then one `ingestBatch` for the whole source. */
export async function ingestDocuments(
  deps: IngestDeps,
  source: SourceConfig,
  feeds: readonly ParsedFeed[],
  now: Date,
): Promise<IngestResult & { itemsSeen: number; related?: RelateSummary }> {
  const prepared: PreparedItem[] = [];
  let seen = 0;
  for (const feed of feeds) {
    if (feed.warnings.length > 0) {
      // what the parser recovered from (bare &, undeclared entities, unreadable dates): the publisher may want to know
      deps.logger.info({ source_id: source.id, parse_warnings: feed.warnings.slice(0, 20), warning_count: feed.warnings.length }, 'feed parsed with recoveries');
    }
    const { identities, contentHashes, identityMode, warnings } = identifyItems(feed.items);
    if (identityMode === 'link') {
      deps.logger.warn({ source_id: source.id, warnings }, 'guids missing or repeated: this document uses link-based identity');
    }
    // a feed repeats most of its items at every poll: only new or changed ones are fingerprinted, tagged and written
    const known = await deps.store.knownContentHashes(source.id, identities);
    const changed = feed.items.map((_item, i) => i).filter((i) => {
      const stored = known.get(identities[i] as string);
      return stored !== contentHashes[i] && stored !== '*';
    });
    seen += feed.items.length;
    const { prepared: items } = prepareItems(changed.map((i) => feed.items[i]!), { identities: changed.map((i) => identities[i] as string) });
    for (const item of items) {
      const tags = deps.tagger.tag({
        title: item.title,
        text: htmlToText(item.contentHtml ?? item.summary ?? ''),
        categories: item.categories,
        sourceId: source.id,
        sourceTags: [...source.tags],
        mapCategories: source.categories,
      });
      prepared.push({ ...item, tags });
    }
  }
  if (prepared.length === 0) return { itemsNew: 0, itemsUpdated: 0, storiesTouched: [], itemsSeen: seen };
  const result = await deps.store.ingestBatch(source.id, prepared, deps.resolver, { now, windowMs: deps.dedupeWindowMs });
  // related posts: after the batch is stored, outside its transaction; a failure here never loses the batch
  let related: RelateSummary | undefined;
  if (result.storiesTouched.length > 0) {
    try {
      related = await refreshRelated(deps.store, result.storiesTouched, deps.relate);
      deps.logger.debug({ source_id: source.id, ...related }, 'related posts refreshed');
      if (related.refitted) {
        deps.logger.info({ source_id: source.id, subject_version: related.subjectVersion, duration_ms: related.durationMs }, 'related posts: subject space refitted');
      }
    } catch (error) {
      deps.logger.error({ source_id: source.id, error: (error as Error).message }, 'related posts could not be refreshed');
    }
  }
  return { ...result, itemsSeen: seen, related };
}
