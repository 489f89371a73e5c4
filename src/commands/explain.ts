// `wiredesk explain STORY_OR_ITEM`: why an item joined its story (as decided at the time) and where each tag came from.
import type { App } from '../app.ts';
import type { StoredItem } from '../model/story.ts';
import { CommandError, print, withApp } from './shared.ts';

async function describeItem(app: App, item: StoredItem): Promise<string[]> {
  const lines = [`item ${item.id} from ${item.sourceId}: ${item.title}`, `  link: ${item.link ?? '-'}   guid: ${item.guid ?? '-'}   identity: ${item.identity}`];
  const decision = await app.store.getDecision(item.id);
  if (decision) {
    const matched = decision.matchedItemId === undefined ? '' : ` matching item ${decision.matchedItemId}`;
    const score = decision.score === undefined ? '' : ` (score ${decision.score.toFixed(3)})`;
    lines.push(`  story: ${decision.storyId} by rule "${decision.rule}"${score}${matched}, decided ${decision.decidedAt}`);
  }
  for (const { tag, origin } of await app.store.itemTagOrigins(item.id)) lines.push(`  tag ${tag}  <- ${origin}`);
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
    }
    const items = story ? [story.shown, ...(await Promise.all([...story.versions, ...story.alsoReportedBy].map((r) => app.store.findItem(String(r.itemId)))))] : [item];
    for (const each of items) {
      if (each) for (const line of await describeItem(app, each)) print(line);
    }
    return 0;
  });
}
