// Re-tags stored items after rules, aliases or the gazetteer changed: the same tag stage as ingest, in batches.
import type { Config } from '../config/schema.ts';
import { htmlToText } from '../parse/sanitize.ts';
import { refreshRelated } from '../relate/index.ts';
import { relateOptionsOf } from './relate-options.ts';
import type { Store } from '../store/types.ts';
import type { TagStage } from './ingest.ts';

const BATCH = 500;

export interface RetagResult {
  items: number;
  storiesChanged: number;
}

/** Recomputes the tags of items first seen since `since` (all when undefined); `onProgress` gets the running count. */
export async function retagItems(
  deps: { store: Store; tagger: TagStage; config: Config },
  options: { since?: Date; now?: Date; onProgress?: (done: number, total: number) => void } = {},
): Promise<RetagResult> {
  const since = options.since?.toISOString();
  const total = await deps.store.countItemsSince(since);
  const sources = new Map(deps.config.sources.map((s) => [s.id, s]));
  let afterId = 0;
  let items = 0;
  let storiesChanged = 0;
  for (;;) {
    const page = await deps.store.itemsForRetag({ since, afterId, limit: BATCH });
    if (page.length === 0) break;
    const batch = page.map((item) => {
      const source = sources.get(item.sourceId);
      return {
        itemId: item.id,
        tags: deps.tagger.tag({
          title: item.title,
          text: htmlToText(item.html),
          categories: item.categories,
          sourceId: item.sourceId,
          sourceTags: [...(source?.tags ?? [])],
          mapCategories: source?.categories ?? true,
        }),
      };
    });
    const { storiesChanged: changed } = await deps.store.replaceItemTags(batch, options.now ?? new Date());
    storiesChanged += changed.length;
    // tags feed the related-post scores: re-index and re-score the stories whose tags changed
    if (changed.length > 0) await refreshRelated(deps.store, changed, relateOptionsOf(deps.config));
    items += page.length;
    afterId = page.at(-1)?.id ?? afterId;
    options.onProgress?.(items, total);
  }
  return { items, storiesChanged };
}
