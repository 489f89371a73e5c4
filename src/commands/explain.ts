// `wiredesk explain STORY_OR_ITEM`: why an item joined its story (as decided at the time), editorial decisions, and where each tag came from.
import type { App } from '../app.ts';
import type { StoredItem } from '../model/story.ts';
import { htmlToText } from '../parse/sanitize.ts';
import { describeRelated } from '../relate/index.ts';
import type { StoredDecision } from '../store/types.ts';
import { CommandError, print, withApp } from './shared.ts';

/** One line saying how the item's story was decided. */
export function describeDecision(decision: StoredDecision): string {
  const score = decision.score === undefined ? '' : ` (score ${decision.score.toFixed(3)})`;
  if (decision.rule.startsWith('new-story')) {
    const reason = decision.rule.slice('new-story'.length).replace(/^:/, '').replace(/-/g, ' ');
    const closest = decision.matchedItemId === undefined ? '' : `; closest was item ${decision.matchedItemId}${score}, rejected: ${reason}`;
    return `started story ${decision.storyId}${closest || (reason ? `: ${reason}` : ': no stored item matched')}, decided ${decision.decidedAt}`;
  }
  if (decision.rule.startsWith('manual-')) return `moved to story ${decision.storyId} by an editor (${decision.rule}), ${decision.decidedAt}`;
  const matched = decision.matchedItemId === undefined ? '' : ` matching item ${decision.matchedItemId}`;
  return `joined story ${decision.storyId} by rule "${decision.rule}"${score}${matched}, decided ${decision.decidedAt}`;
}

async function describeItem(app: App, item: StoredItem): Promise<string[]> {
  const lines = [`item ${item.id} from ${item.sourceId}: ${item.title}`, `  link: ${item.link ?? '-'}   guid: ${item.guid ?? '-'}   identity: ${item.identity}`];
  const decision = await app.store.getDecision(item.id);
  if (decision) lines.push(`  ${describeDecision(decision)}`);
  for (const { tag, origin } of await app.store.itemTagOrigins(item.id)) lines.push(`  tag ${tag}  <- ${origin}`);
  // what untag: rules remove now, and which rule (the stored tags above are what survived)
  const source = app.config.sources.find((s) => s.id === item.sourceId);
  const input = {
    title: item.title,
    text: htmlToText(item.contentHtml ?? item.summary ?? ''),
    categories: item.categories,
    sourceId: item.sourceId,
    sourceTags: [...(source?.tags ?? [])],
    mapCategories: source?.categories ?? true,
  };
  if (app.tagger.explain) {
    for (const removed of app.tagger.explain(input).removed) lines.push(`  untagged ${removed.tag} (from ${removed.origin}) by ${removed.removedBy}`);
  }
  return lines;
}

export async function explainCommand(options: { config: string }, ref: string): Promise<number> {
  return withApp(options.config, async (app) => {
    const story = /^s_[0-9a-f]+$/.test(ref) ? await app.store.getStory(ref) : undefined;
    const item = story ? story.shown : await app.store.findItem(ref);
    if (!item) throw new CommandError(`no story or item matches "${ref}" (give a story id, an item id, a guid or a URL)`);
    const view = story ?? (await app.store.getStory(item.storyId));
    if (view) {
      print(`story ${view.id}: ${view.shown.title}`);
      print(`  shown item ${view.shown.id} from ${view.source.id} (${view.source.attribution}); date ${view.date}`);
      print(`  versions: ${view.versions.length}, also reported by: ${view.alsoReportedBy.map((r) => r.source.attribution).join(', ') || 'none'}`);
      print(`  tags: ${view.tags.join(', ') || 'none'}`);
      for (const o of await app.store.storyOverrides(view.id)) {
        print(`  editor: ${o.kind}${o.otherId ? ` ${o.otherId}` : ''}${o.itemId ? ` (item ${o.itemId})` : ''} at ${o.decidedAt}`);
      }
      const related = (await app.store.getRelated([view.id])).get(view.id) ?? [];
      print(`  related posts (score = relevance x recency; parts in brackets):${related.length ? '' : ' none yet'}`);
      for (const line of describeRelated(related)) print(`    ${line}`);
    }
    const others = story ? [...story.versions, ...story.alsoReportedBy] : [];
    const items = [item, ...(await Promise.all(others.map((r) => app.store.findItem(String(r.itemId)))))];
    for (const each of items) {
      if (each) for (const line of await describeItem(app, each)) print(line);
    }
    return 0;
  });
}
