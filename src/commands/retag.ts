// `wiredesk retag [--since 7d]`: recomputes stored stories' tags after rules, aliases or the gazetteer changed.
import { parseDuration } from '../config/units.ts';
import { retagItems } from '../pipeline/retag.ts';
import { createProgress } from './progress.ts';
import { CommandError, print, withApp } from './shared.ts';

export async function retagCommand(options: { config: string; since?: string }): Promise<number> {
  let since: Date | undefined;
  if (options.since !== undefined) {
    const ms = parseDuration(options.since);
    if (ms === undefined) throw new CommandError(`--since ${JSON.stringify(options.since)} is not a duration (use 7d)`);
    since = new Date(Date.now() - ms);
  }
  return withApp(options.config, async (app) => {
    const progress = createProgress('retag', await app.store.countItemsSince(since?.toISOString()));
    const result = await retagItems(app, { since, onProgress: (done) => progress.tick(done) });
    progress.finish();
    print(`re-tagged ${result.items} items; ${result.storiesChanged} stories changed their tags (outputs follow at the next render)`);
    return 0;
  });
}
