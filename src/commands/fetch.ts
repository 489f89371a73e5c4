// `wiredesk fetch`: one pass over the due sources (or one named source, now), then exit.
import type { RefreshOutcome } from '../pipeline/refresh.ts';
import { CommandError, formatTable, print, withApp } from './shared.ts';

export async function fetchCommand(options: { config: string; source?: string; all?: boolean }): Promise<number> {
  return withApp(options.config, async (app) => {
    let ids: string[];
    if (options.source) {
      if (!app.config.sources.some((s) => s.id === options.source)) {
        throw new CommandError(`unknown source "${options.source}"; configured: ${app.config.sources.map((s) => s.id).join(', ')}`);
      }
      ids = [options.source];
    } else if (options.all) {
      ids = app.config.sources.map((s) => s.id);
    } else {
      const configured = new Set(app.config.sources.map((s) => s.id));
      ids = (await app.store.dueSources(new Date())).filter((id) => configured.has(id));
    }
    const outcomes: RefreshOutcome[] = [];
    for (const [index, id] of ids.entries()) {
      process.stderr.write(`fetch ${index + 1}/${ids.length}: ${id}\n`);
      outcomes.push(await app.refresh(id, { force: Boolean(options.source) }));
    }
    print(
      formatTable(
        ['source', 'result', 'seen', 'new', 'updated', 'ms'],
        outcomes.map((o) => [o.sourceId, o.ok ? (o.notModified ? 'not modified' : 'ok') : `${o.errorCode}: ${o.errorMessage}`, o.itemsSeen, o.itemsNew, o.itemsUpdated, o.durationMs]),
      ),
    );
    return outcomes.every((o) => o.ok) ? 0 : 1;
  });
}
