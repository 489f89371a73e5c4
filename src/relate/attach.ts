// Fills StoryView.related for an output: the persisted lists, limited to the feed's `related: N` and, by default, to its own filter.
import type { StoryView } from '../model/story.ts';
import type { RelatedPick, RelatedScope, Store, StoredRelated } from '../store/types.ts';
import { computeRelated, resolveRelateOptions, type RelateOptions } from './refresh.ts';

export interface RelatedSetting {
  /** `related: N` of the feed; 0 turns related posts off. */
  limit: number;
  /** The feed's filter when `related_scope: feed` (the default); undefined for `related_scope: all`. */
  scope?: RelatedScope;
}

/**
 * Returns the views with `related` filled. A list that the scope cut short is completed by a scoped computation
 * over the whole index (not persisted: it depends on the feed), so a narrow feed still gets its N.
 */
export async function attachRelated(
  store: Store,
  views: readonly StoryView[],
  setting: RelatedSetting,
  options: Partial<RelateOptions> = {},
): Promise<StoryView[]> {
  if (setting.limit <= 0 || views.length === 0) return views.map((view) => ({ ...view, related: [] }));
  const stored = await store.getRelated(
    views.map((view) => view.id),
    { limit: setting.limit, scope: setting.scope },
  );
  const resolved = resolveRelateOptions(options);
  const result: StoryView[] = [];
  for (const view of views) {
    let list: StoredRelated[] = stored.get(view.id) ?? [];
    if (setting.scope && list.length < setting.limit) {
      const picks = await computeRelated(store, view.id, resolved, setting.limit, setting.scope);
      if (picks.length > list.length) list = await describePicks(store, picks);
    }
    result.push({
      ...view,
      related: list.map(({ id, url, title, score, sourceTitle }) => ({ id, url, title, score, sourceTitle })),
    });
  }
  return result;
}

/** Links and titles of freshly computed picks, from the stories they point to (as the persisted lists show them). */
async function describePicks(store: Store, picks: readonly RelatedPick[]): Promise<StoredRelated[]> {
  const computedAt = new Date().toISOString();
  const result: StoredRelated[] = [];
  for (const pick of picks) {
    const story = await store.getStory(pick.id);
    if (!story) continue;
    result.push({
      id: pick.id, url: story.shown.link, title: story.shown.title, score: pick.score, sourceTitle: story.source.title,
      rank: result.length, parts: pick.parts, computedAt,
    });
  }
  return result;
}

/** One line per related post with the parts of its score, for `wiredesk explain`. */
export function describeRelated(related: readonly StoredRelated[]): string[] {
  return related.map((r) => {
    const shared = r.parts.shared.length > 0 ? ` shared ${r.parts.shared.join(', ')}` : '';
    return `${r.rank + 1}. ${r.id} ${r.score.toFixed(3)} "${r.title}" (tags ${r.parts.tags.toFixed(2)}, text ${r.parts.text.toFixed(2)}${r.parts.subject === undefined ? '' : `, subject ${r.parts.subject.toFixed(2)}`}, recency ${r.parts.recency.toFixed(2)} at ${r.parts.days} days${shared})`;
  });
}
