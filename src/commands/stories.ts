// `wiredesk stories`: lists stored stories; `stories merge A B`, `split ITEM`, `hide STORY`, `unhide STORY` record a person's decision.
import { relateOptionsOf } from '../pipeline/relate-options.ts';
import { refreshRelated } from '../relate/index.ts';
import { StoreError } from '../store/errors.ts';
import { CommandError, formatTable, print, withApp } from './shared.ts';

interface StoriesOptions {
  config: string;
  tag?: string[];
  feed?: string;
  limit: string;
  json?: boolean;
  all?: boolean;
}

const ACTIONS = ['merge', 'split', 'hide', 'unhide'] as const;

export async function storiesCommand(options: StoriesOptions, action?: string, args: string[] = []): Promise<number> {
  if (action !== undefined && !(ACTIONS as readonly string[]).includes(action)) {
    throw new CommandError(`unknown stories action "${action}"; use one of: ${ACTIONS.join(', ')} (or no action to list)`);
  }
  return withApp(options.config, async (app) => {
    const now = new Date();
    try {
      if (action === 'merge') {
        if (args.length !== 2) throw new CommandError('usage: wiredesk stories merge STORY_A STORY_B');
        const kept = await app.store.mergeStories(args[0] as string, args[1] as string, now);
        await refreshRelated(app.store, [kept], relateOptionsOf(app.config));
        print(`merged: ${args.join(' + ')} -> ${kept} (the older id survives)`);
        return 0;
      }
      if (action === 'split') {
        if (args.length !== 1) throw new CommandError('usage: wiredesk stories split ITEM (an item id, guid or URL)');
        const item = await app.store.findItem(args[0] as string);
        if (!item) throw new CommandError(`no item matches "${args[0]}"`);
        const story = await app.store.splitItem(item.id, now);
        await refreshRelated(app.store, [story, item.storyId], relateOptionsOf(app.config));
        print(`split: item ${item.id} left ${item.storyId} and is now story ${story}`);
        return 0;
      }
      if (action === 'hide' || action === 'unhide') {
        if (args.length !== 1) throw new CommandError(`usage: wiredesk stories ${action} STORY`);
        const id = await app.store.setStoryHidden(args[0] as string, action === 'hide', now);
        print(`${action === 'hide' ? 'hidden' : 'shown again'}: ${id}`);
        return 0;
      }
    } catch (error) {
      if (error instanceof StoreError && error.code === 'STORE_NOT_FOUND') throw new CommandError(error.message);
      throw error;
    }
    const limit = Number(options.limit) || 50;
    const stories = options.feed
      ? await app.stories({ feedId: options.feed, limit })
      : await app.store.queryStories({ limit, tagsAll: options.tag?.length ? options.tag : null, includeHidden: options.all });
    if (options.json) {
      print(JSON.stringify(stories, null, 2));
      return 0;
    }
    print(
      formatTable(
        ['story', 'date', 'source', 'copies', 'title', 'tags'],
        stories.map((s) => [s.id, s.date.slice(0, 16), s.source.id, s.alsoReportedBy.length + s.versions.length, s.shown.title.slice(0, 70), s.tags.join(', ').slice(0, 80)]),
      ),
    );
    return 0;
  });
}
