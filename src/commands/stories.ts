// `wiredesk stories`: lists stored stories, newest first, optionally by tag or curated feed.
import { formatTable, print, withApp } from './shared.ts';

export async function storiesCommand(options: { config: string; tag?: string[]; feed?: string; limit: string; json?: boolean }): Promise<number> {
  return withApp(options.config, async (app) => {
    const limit = Number(options.limit) || 50;
    const stories = options.feed
      ? await app.stories({ feedId: options.feed, limit })
      : await app.store.queryStories({ limit, tagsAll: options.tag?.length ? options.tag : null });
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
